package io.desire.sinks.elasticsearch;

/**
 * The URL of the real Elasticsearch node the integration tests write to: the one {@code bin/desire
 * test} starts, passed as {@code -Ddesire.it.es.url} (or {@code DESIRE_ES_URL}).
 */
final class LocalElasticsearch {
    private LocalElasticsearch() {}

    /** The URL without a trailing slash; fails naming {@code test} and how to run it when none is set. */
    static String url(String test) {
        String url = System.getProperty("desire.it.es.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("DESIRE_ES_URL");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(test + " needs a running Elasticsearch: run it with"
                    + " `bin/desire test -pl sinks` (or pass -Ddesire.it.es.url=http://host:port / set DESIRE_ES_URL)");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
