package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes a stream to Elasticsearch with bulk requests, through the elasticsearch-java client.
 *
 * <p><b>Guarantees.</b> At-least-once: every checkpoint and the end of input wait until all
 * operations emitted before them are acknowledged by Elasticsearch. After a failure, Flink replays
 * from the last checkpoint; with idempotent, externally versioned operations (as
 * {@link RecommendationDocuments} emits) the index converges to what a failure-free run produces.
 * Operations of one writer on one document reach Elasticsearch in emission order (with a bulk
 * concurrency of 1, all its operations do); a delete-by-query runs only after every operation
 * emitted before it is acknowledged.
 *
 * <p><b>Failures.</b> Only bulk items that failed retryably (HTTP 429, 5xx, rejected execution) are
 * re-sent, with exponential backoff; version conflicts (HTTP 409) count as success in the
 * {@code versionConflicts} metric. Other item failures, exhausted retries, failed authentication
 * and unreachable hosts fail the task with an {@link ElasticsearchSinkException} naming the index,
 * document id, host or user involved.
 *
 * <p><b>Metrics</b> (on the sink writer's group): {@code numRecordsSend}, {@code numBytesSend},
 * {@code numRecordsOutErrors}, and counters {@code versionConflicts}, {@code retries} (operations
 * or requests re-sent) and {@code deletesByQuery}.
 *
 * @param <T> the stream element type
 */
public final class ElasticsearchSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final ElasticsearchSinkConfig config;
    private final ElasticsearchEmitter<? super T> emitter;
    private final IndexBootstrap bootstrap;

    ElasticsearchSink(
            ElasticsearchSinkConfig config, ElasticsearchEmitter<? super T> emitter, IndexBootstrap bootstrap) {
        this.config = config;
        this.emitter = emitter;
        this.bootstrap = bootstrap;
    }

    /** A builder for a sink of {@code T}; set the hosts and an emitter, the rest has defaults. */
    public static <T> ElasticsearchSinkBuilder<T> builder() {
        return new ElasticsearchSinkBuilder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new ElasticsearchWriter<>(
                config,
                emitter,
                bootstrap,
                ElasticsearchClients.create(config),
                context.metricGroup(),
                context.getProcessingTimeService(),
                ElasticsearchWriter.BLOCKING_SLEEPER);
    }

    /**
     * A client with this sink's hosts, credentials and TLS settings, for work around the job (index
     * management by a driver); the caller closes it ({@code client._transport().close()}).
     */
    public ElasticsearchClient createClient() {
        return ElasticsearchClients.create(config);
    }

    ElasticsearchSinkConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "ElasticsearchSink{" + config + '}';
    }
}
