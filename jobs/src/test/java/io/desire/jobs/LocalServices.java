package io.desire.jobs;

/**
 * Endpoints of the real Kafka broker and Elasticsearch node that {@code bin/desire test} starts once
 * for the whole suite and passes as system properties (or environment variables).
 */
final class LocalServices {
    private LocalServices() {}

    static String kafkaBootstrap() {
        return require("desire.it.kafka.bootstrap", "DESIRE_KAFKA_BOOTSTRAP");
    }

    static String elasticsearchUrl() {
        String url = require("desire.it.es.url", "DESIRE_ES_URL");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String require(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("Integration tests need a real server: system property " + property
                    + " or environment variable " + env + " is not set. Run them with `bin/desire test`,"
                    + " which starts Kafka and Elasticsearch and sets both.");
        }
        return v;
    }
}
