package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.Serializable;

/**
 * Prepares Elasticsearch before a sink writer sends its first request, e.g. installs an index
 * template and creates an alias.
 *
 * <p>Every parallel writer runs it when it opens, possibly at the same time as the others and on
 * every restart, so implementations must be idempotent and tolerate losing a creation race.
 */
@FunctionalInterface
public interface IndexBootstrap extends Serializable {

    /** A bootstrap that does nothing. */
    IndexBootstrap NONE = client -> {};

    void ensure(ElasticsearchClient client) throws IOException;
}
