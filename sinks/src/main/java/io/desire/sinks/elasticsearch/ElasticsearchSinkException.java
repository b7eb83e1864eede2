package io.desire.sinks.elasticsearch;

import java.io.IOException;

/**
 * A write to Elasticsearch failed for good: a non-retryable rejection, retries exhausted, failed
 * authentication or an unreachable host. The message names what failed and why, never a secret.
 * Thrown from the writer, it fails the task; Flink then restarts from the last checkpoint and the
 * replay re-sends what was not acknowledged.
 */
public class ElasticsearchSinkException extends IOException {
    private static final long serialVersionUID = 1L;

    public ElasticsearchSinkException(String message) {
        super(message);
    }

    public ElasticsearchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
