package io.desire.sinks.elasticsearch;

import static io.desire.sinks.elasticsearch.LocalElasticsearch.recommendation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.desire.features.recs.Recommendation;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Elasticsearch sink against a real Elasticsearch (the local 7.17 node that
 * {@code bin/desire test} starts; URL from {@code -Ddesire.it.es.url} or {@code DESIRE_ES_URL}).
 * Each test works on its own alias, removed afterwards.
 */
class ElasticsearchSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long T0 = 1_714_586_400_000L; // 2024-05-01T18:00:00Z

    private static String esUrl;
    private String alias;

    @BeforeAll
    static void findElasticsearch() {
        esUrl = LocalElasticsearch.url("ElasticsearchSinkITCase");
    }

    @BeforeEach
    void uniqueAlias() {
        alias = "it-recs-"
                + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36)
                        .toLowerCase(Locale.ROOT);
    }

    @AfterEach
    void removeIndices() throws Exception {
        http("DELETE", "/" + alias + "-*", null);
        http("DELETE", "/_index_template/" + alias, null);
    }

    @Test
    void bootstrapCreatesTemplateAndAliasEvenWhenWritersStartTogether() throws Exception {
        RecommendationIndex index = new RecommendationIndex(alias, 0);
        ElasticsearchSinkConfig config = sinkBuilder().build().config();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Void> open = () -> {
                    writer(config, index, new TestMetricGroup()).close();
                    return null;
                };
                starts.add(pool.submit(open));
            }
            for (Future<Void> f : starts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        JsonNode template = http("GET", "/_index_template/" + alias, null)
                .path("index_templates")
                .get(0)
                .path("index_template");
        assertThat(template.path("index_patterns").get(0).asText()).isEqualTo(alias + "-*");
        assertThat(template.at("/template/settings/index/number_of_shards").asText())
                .isEqualTo("1");
        assertThat(template.at("/template/settings/index/number_of_replicas").asText())
                .isEqualTo("0");
        JsonNode props = template.at("/template/mappings/properties");
        assertThat(props.at("/user/type").asText()).isEqualTo("keyword");
        assertThat(props.at("/context/properties/geo_cell/type").asText()).isEqualTo("keyword");
        assertThat(props.at("/items/enabled").asBoolean(true))
                .as("items are kept in _source, not indexed")
                .isFalse();
        assertThat(props.at("/event_time/type").asText()).isEqualTo("date");

        JsonNode aliases = http("GET", "/_alias/" + alias, null);
        assertThat(aliases.fieldNames()).toIterable().containsExactly(alias + "-000001");
        assertThat(aliases.at("/" + alias + "-000001/aliases/" + alias + "/is_write_index")
                        .asBoolean())
                .isTrue();
        // The concrete index took its mapping from the template.
        JsonNode mapping = http("GET", "/" + alias + "-000001/_mapping", null);
        assertThat(mapping.at("/" + alias + "-000001/mappings/properties/updated_at/type")
                        .asText())
                .isEqualTo("date");
    }

    @Test
    void flinkJobWritesDocumentsReadableById() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Recommendation a = recommendation("u1", "u33d", "evening", "mobile", T0, "i1", "i2");
        Recommendation b = recommendation("u2", "u33e", "morning", "desktop", T0 + 5, "i3");
        Recommendation c = recommendation("u3", "unknown", "night", "other", T0 + 9, "i4", "i5", "i6");
        env.fromData(a, b, c)
                .sinkTo(RecommendationDocuments.sinkBuilder(alias, 0)
                        .setHosts(esUrl)
                        .build())
                .name("elasticsearch");
        env.execute("es-sink-itcase");

        JsonNode doc = http("GET", "/" + alias + "/_doc/" + a.documentId(), null);
        assertThat(doc.path("found").asBoolean()).isTrue();
        assertThat(doc.path("_version").asLong()).isEqualTo(T0);
        JsonNode src = doc.path("_source");
        assertThat(src.path("user").asText()).isEqualTo("u1");
        assertThat(src.at("/context/geo_cell").asText()).isEqualTo("u33d");
        assertThat(src.at("/context/time_bucket").asText()).isEqualTo("evening");
        assertThat(src.at("/context/device").asText()).isEqualTo("mobile");
        assertThat(src.at("/context/key").asText()).isEqualTo("u33d:evening:mobile");
        assertThat(src.at("/items/0/item").asText()).isEqualTo("i1");
        assertThat(src.at("/items/0/rank").asInt()).isEqualTo(1);
        assertThat(src.at("/items/1/rank").asInt()).isEqualTo(2);
        assertThat(src.at("/items/0/reasons/0").asText()).isEqualTo("popular");
        assertThat(src.path("model_version").asText()).isEqualTo("m-1");
        assertThat(src.path("event_time").asText()).isEqualTo("2024-05-01T18:00:00Z");

        assertThat(http("GET", "/" + alias + "/_doc/" + b.documentId(), null)
                        .path("found")
                        .asBoolean())
                .isTrue();
        assertThat(http("GET", "/" + alias + "/_doc/" + c.documentId(), null)
                        .at("/_source/items")
                        .size())
                .isEqualTo(3);
        // Apps query by context fields.
        http("POST", "/" + alias + "/_refresh", null);
        JsonNode hits =
                http("POST", "/" + alias + "/_search", "{\"query\":{\"term\":{\"context.device\":\"desktop\"}}}");
        assertThat(hits.at("/hits/hits/0/_id").asText()).isEqualTo(b.documentId());
    }

    /**
     * By default a document's items come back exactly as written but queries cannot match them;
     * with searchable items (a second alias, its own template) the same document is found by item.
     */
    @Test
    void itemsAreReturnedAsWrittenAndMatchQueriesOnlyWhenSearchable() throws Exception {
        String searchableAlias = alias.replace("it-recs-", "it-searchable-"); // patterns must not overlap
        Recommendation doc = recommendation("u1", "g1", "evening", "mobile", T0, "i1", "i2");
        try {
            for (RecommendationIndex index :
                    List.of(new RecommendationIndex(alias, 0), new RecommendationIndex(searchableAlias, 0, true))) {
                try (ElasticsearchWriter<Recommendation> writer =
                        writer(sinkBuilder().build().config(), index.alias(), index, new TestMetricGroup())) {
                    writer.write(doc, null);
                    writer.flush(true);
                }
                http("POST", "/" + index.alias() + "/_refresh", null);
                JsonNode src = http("GET", "/" + index.alias() + "/_doc/" + doc.documentId(), null)
                        .path("_source");
                assertThat(src.at("/items/1/item").asText()).isEqualTo("i2");
                assertThat(src.at("/items/1/rank").asInt()).isEqualTo(2);
                assertThat(src.at("/items/1/reasons/0").asText()).isEqualTo("popular");
            }
            String byItem = "{\"term\":{\"items.item\":\"i2\"}}";
            assertThat(count(alias, byItem)).as("not searchable by default").isZero();
            assertThat(count(searchableAlias, byItem)).isEqualTo(1);
            assertThat(count(alias, "{\"term\":{\"user\":\"u1\"}}"))
                    .as("user and context stay searchable")
                    .isEqualTo(1);
        } finally {
            http("DELETE", "/" + searchableAlias + "-*", null);
            http("DELETE", "/_index_template/" + searchableAlias, null);
        }
    }

    @Test
    void replayOfAnOlderVersionNeverMakesADocumentOlder() throws Exception {
        TestMetricGroup metrics = new TestMetricGroup();
        Recommendation newer = recommendation("u1", "g", "evening", "mobile", T0 + 1000, "new-item");
        Recommendation older = recommendation("u1", "g", "evening", "mobile", T0, "old-item");
        try (ElasticsearchWriter<Recommendation> writer =
                writer(sinkBuilder().build().config(), new RecommendationIndex(alias, 0), metrics)) {
            writer.write(newer, null);
            writer.flush(false);
            writer.write(older, null); // e.g. replayed after a restart
            writer.write(newer, null); // same version again: accepted, same content
            writer.flush(false);
        }
        JsonNode doc = http("GET", "/" + alias + "/_doc/" + newer.documentId(), null);
        assertThat(doc.path("_version").asLong()).isEqualTo(T0 + 1000);
        assertThat(doc.at("/_source/items/0/item").asText()).isEqualTo("new-item");
        assertThat(metrics.count(ElasticsearchWriter.METRIC_VERSION_CONFLICTS)).isEqualTo(1);
        assertThat(metrics.count("numRecordsOutErrors")).isZero();
        assertThat(metrics.count("numRecordsSend")).isEqualTo(3);
    }

    @Test
    void forgetRemovesEveryDocumentOfTheUserAndNothingElse() throws Exception {
        TestMetricGroup metrics = new TestMetricGroup();
        try (ElasticsearchWriter<Recommendation> writer =
                writer(sinkBuilder().build().config(), new RecommendationIndex(alias, 0), metrics)) {
            writer.write(recommendation("u1", "g1", "evening", "mobile", T0, "i1"), null);
            writer.flush(false);
            // Still buffered when the forget arrives: must be written first, then deleted.
            writer.write(recommendation("u1", "g2", "morning", "desktop", T0 + 1, "i2"), null);
            writer.write(recommendation("u2", "g1", "evening", "mobile", T0 + 2, "i3"), null);
            writer.write(Recommendation.forgetUser("u1", T0 + 3, T0 + 3), null);
            writer.flush(true);
            assertThat(writer.pendingOperations()).isZero();
        }
        assertThat(count("{\"term\":{\"user\":\"u1\"}}")).isZero();
        assertThat(count("{\"term\":{\"user\":\"u2\"}}")).isEqualTo(1);
        assertThat(metrics.count(ElasticsearchWriter.METRIC_DELETES_BY_QUERY)).isEqualTo(1);
    }

    @Test
    void flinkJobAppliesForgetAfterEarlierDocuments() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(
                        recommendation("u7", "g1", "evening", "mobile", T0, "i1"),
                        recommendation("u7", "g2", "evening", "mobile", T0, "i2"),
                        recommendation("u8", "g1", "evening", "mobile", T0, "i3"),
                        Recommendation.forgetUser("u7", T0 + 1, T0 + 1))
                .sinkTo(RecommendationDocuments.sinkBuilder(alias, 0)
                        .setHosts(esUrl)
                        .build());
        env.execute("es-sink-forget-itcase");

        assertThat(count("{\"term\":{\"user\":\"u7\"}}")).isZero();
        assertThat(count("{\"term\":{\"user\":\"u8\"}}")).isEqualTo(1);
    }

    @Test
    void wrongHostFailsWithAMessageNamingIt() throws Exception {
        // A free port nothing listens on.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ElasticsearchSinkConfig config = RecommendationDocuments.sinkBuilder(alias, 0)
                .setHosts("http://127.0.0.1:" + port)
                .build()
                .config();
        assertThatThrownBy(() -> writer(config, new RecommendationIndex(alias, 0), new TestMetricGroup()))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("127.0.0.1:" + port);
    }

    // ---- helpers ----

    private ElasticsearchSinkBuilder<Recommendation> sinkBuilder() {
        return RecommendationDocuments.sinkBuilder(alias, 0).setHosts(esUrl);
    }

    private ElasticsearchWriter<Recommendation> writer(
            ElasticsearchSinkConfig config, IndexBootstrap bootstrap, TestMetricGroup metrics) throws IOException {
        return writer(config, alias, bootstrap, metrics);
    }

    private ElasticsearchWriter<Recommendation> writer(
            ElasticsearchSinkConfig config, String writeAlias, IndexBootstrap bootstrap, TestMetricGroup metrics)
            throws IOException {
        return new ElasticsearchWriter<>(
                config,
                new RecommendationDocuments(writeAlias),
                bootstrap,
                ElasticsearchClients.create(config),
                metrics,
                new TestProcessingTimeService(),
                ElasticsearchWriter.BLOCKING_SLEEPER);
    }

    private long count(String query) throws Exception {
        return count(alias, query);
    }

    private static long count(String alias, String query) throws Exception {
        http("POST", "/" + alias + "/_refresh", null);
        return http("POST", "/" + alias + "/_count", "{\"query\":" + query + "}")
                .path("count")
                .asLong();
    }

    private static JsonNode http(String method, String path, String body) throws Exception {
        return LocalElasticsearch.request(esUrl, method, path, body).body();
    }
}
