package io.desire.sinks.elasticsearch;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Turns one stream element into Elasticsearch requests, which makes {@link ElasticsearchSink}
 * generic. Called on the writer's task thread, one element at a time and in stream order.
 *
 * @param <T> the stream element type
 */
@FunctionalInterface
public interface ElasticsearchEmitter<T> extends Serializable {

    /**
     * Adds the requests for {@code element} to {@code indexer}. Requests of one element and of
     * consecutive elements reach Elasticsearch in the order they were added.
     *
     * @throws IOException when a request the indexer had to send right away failed for good
     */
    void emit(T element, SinkWriter.Context context, RequestIndexer indexer) throws IOException;
}
