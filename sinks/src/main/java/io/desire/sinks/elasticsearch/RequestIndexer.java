package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import java.io.IOException;

/**
 * Where an {@link ElasticsearchEmitter} puts its requests.
 *
 * <p>Bulk operations are buffered and sent in batches; a delete-by-query is an ordering barrier:
 * everything added before it is written (and made visible to search) before it runs, so documents
 * indexed before the delete are gone after it.
 */
public interface RequestIndexer {

    /** Buffers a bulk operation (index, create, update or delete of one document). */
    void add(co.elastic.clients.elasticsearch.core.bulk.BulkOperation operation) throws IOException;

    /**
     * Flushes everything buffered, refreshes {@code index}, then deletes every document of
     * {@code index} matching {@code query}, synchronously.
     */
    void deleteByQuery(String index, Query query) throws IOException;
}
