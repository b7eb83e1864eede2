package io.desire.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.desire.features.recs.Recommendation;
import io.desire.sinks.elasticsearch.LocalElasticsearch.Reply;
import java.io.IOException;
import java.util.Locale;
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
 * {@link IndexGenerations} and the generation sink against a real Elasticsearch (the local node that
 * {@code bin/desire test} starts; URL from {@code -Ddesire.it.es.url} or {@code DESIRE_ES_URL}):
 * what apps reading the alias see before, during and after a backfill. Each test works on its own
 * alias, removed afterwards.
 */
class IndexGenerationsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long T0 = 1_714_586_400_000L; // 2024-05-01T18:00:00Z

    private static String esUrl;
    private String alias;
    private IndexGenerations generations;
    private ElasticsearchClient client;

    @BeforeAll
    static void findElasticsearch() {
        esUrl = LocalElasticsearch.url("IndexGenerationsITCase");
    }

    @BeforeEach
    void uniqueAlias() {
        alias = "it-gen-"
                + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36)
                        .toLowerCase(Locale.ROOT);
        generations = new IndexGenerations(alias, 0);
        client = RecommendationDocuments.sinkBuilder(alias, 0)
                .setHosts(esUrl)
                .build()
                .createClient();
    }

    @AfterEach
    void removeIndices() throws Exception {
        client.close();
        http("DELETE", "/" + alias + "-*?expand_wildcards=open,closed", null);
        http("DELETE", "/_index_template/" + alias, null);
    }

    @Test
    void firstPromotionCreatesTheAliasOnAFreshGeneration() throws Exception {
        assertThat(generations.generations(client)).isEmpty();
        assertThat(generations.aliased(client)).isEmpty();

        String index = generations.createNext(client);
        assertThat(index).isEqualTo(alias + "-000001");
        assertThat(http("GET", "/_alias/" + alias, null).status()).isEqualTo(404);
        // Created from the alias's template.
        assertThat(http("GET", "/" + index + "/_mapping", null)
                        .body()
                        .at("/" + index + "/mappings/properties/user/type")
                        .asText())
                .isEqualTo("keyword");
        put(index, "a", "u1");

        IndexGenerations.Promotion p = generations.promote(client, index, 2);

        assertThat(p).isEqualTo(new IndexGenerations.Promotion(index, java.util.List.of(), java.util.List.of()));
        assertThat(generations.aliased(client)).containsExactly(index);
        assertThat(isWriteIndex(index)).isTrue();
        assertThat(countThroughAlias("u1")).isEqualTo(1);
    }

    @Test
    void promotionSwapsTheLiveIndexAtOnceAndMakesTheNewOneTheWriteIndex() throws Exception {
        // The live job's bootstrap made <alias>-000001 and writes through the alias.
        new RecommendationIndex(alias, 0).ensure(client);
        String live = alias + "-000001";
        assertThat(put(alias, "old", "u-old")).isEqualTo(live);
        http("POST", "/" + alias + "/_refresh", null);

        String fresh = generations.createNext(client);
        assertThat(fresh).isEqualTo(alias + "-000002");
        // No periodic refresh, so only promote's own refresh can make these searchable.
        http("PUT", "/" + fresh + "/_settings", "{\"index\":{\"refresh_interval\":\"-1\"}}");
        put(fresh, "new-1", "u-new");
        put(fresh, "new-2", "u-new");

        // While the backfill runs, apps read the live index only.
        assertThat(countThroughAlias("u-old")).isEqualTo(1);
        assertThat(countThroughAlias("u-new")).isZero();
        assertThat(generations.aliased(client)).containsExactly(live);

        IndexGenerations.Promotion p = generations.promote(client, fresh, 1);

        assertThat(p.index()).isEqualTo(fresh);
        assertThat(p.previous()).containsExactly(live);
        assertThat(p.deleted()).isEmpty();
        assertThat(generations.aliased(client)).containsExactly(fresh);
        assertThat(isWriteIndex(fresh)).isTrue();
        // Searched without a refresh of our own: everything written is visible the moment the alias moved.
        assertThat(http("POST", "/" + alias + "/_search", "{\"query\":{\"match_all\":{}}}")
                        .body()
                        .at("/hits/total/value")
                        .asLong())
                .isEqualTo(2);
        assertThat(countThroughAlias("u-old")).isZero();
        // Writers through the alias (the live job) now land in the new generation.
        assertThat(put(alias, "later", "u-live")).isEqualTo(fresh);
        // The previous generation is kept for rollback, untouched.
        assertThat(generations.generations(client)).containsExactly(live, fresh);
        http("POST", "/" + live + "/_refresh", null);
        assertThat(http("POST", "/" + live + "/_count", null)
                        .body()
                        .path("count")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void retentionWithKeepOneDeletesTheOldestGeneration() throws Exception {
        new RecommendationIndex(alias, 0).ensure(client);
        String first = alias + "-000001";
        String second = generations.createNext(client);
        assertThat(generations.promote(client, second, 1).deleted()).isEmpty();

        String third = generations.createNext(client);
        assertThat(third).isEqualTo(alias + "-000003");
        IndexGenerations.Promotion p = generations.promote(client, third, 1);

        assertThat(p.previous()).containsExactly(second);
        assertThat(p.deleted()).containsExactly(first);
        assertThat(generations.generations(client)).containsExactly(second, third);
        assertThat(http("HEAD", "/" + first, null).status()).isEqualTo(404);
        assertThat(generations.aliased(client)).containsExactly(third);

        // Rolling back to the kept generation leaves the newer one alone, whatever keep says.
        IndexGenerations.Promotion back = generations.promote(client, second, 0);
        assertThat(back.previous()).containsExactly(third);
        assertThat(back.deleted()).isEmpty();
        assertThat(generations.generations(client)).containsExactly(second, third);
        assertThat(generations.aliased(client)).containsExactly(second);
    }

    @Test
    void aFailedBackfillLeavesTheAliasUntouchedAndItsIndexCanBeDiscarded() throws Exception {
        new RecommendationIndex(alias, 0).ensure(client);
        String live = alias + "-000001";
        put(alias, "old", "u-old");
        http("POST", "/" + alias + "/_refresh", null);

        String partial = generations.createNext(client);
        put(partial, "half", "u-half");
        // The backfill fails here: no promote.

        assertThat(generations.aliased(client)).containsExactly(live);
        assertThat(isWriteIndex(live)).isTrue();
        assertThat(countThroughAlias("u-old")).isEqualTo(1);
        assertThat(countThroughAlias("u-half")).isZero();
        assertThatThrownBy(() -> generations.discard(client, live))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("points to it");

        generations.discard(client, partial);

        assertThat(generations.generations(client)).containsExactly(live);
        assertThat(generations.aliased(client)).containsExactly(live);
        assertThat(countThroughAlias("u-old")).isEqualTo(1);
        assertThatThrownBy(() -> generations.promote(client, partial, 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no such index");
        assertThatThrownBy(() -> generations.discard(client, partial))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no such index");
        assertThat(generations.aliased(client)).containsExactly(live);
        // The next attempt takes the next free number again.
        assertThat(generations.createNext(client)).isEqualTo(alias + "-000002");
    }

    @Test
    void numberingIgnoresAnIndexWithoutANumberBehindTheAlias() throws Exception {
        String legacy = alias + "-legacy";
        http("PUT", "/" + legacy, "{\"aliases\":{\"" + alias + "\":{\"is_write_index\":true}}}");

        String created = generations.createNext(client);
        assertThat(created).isEqualTo(alias + "-000001");
        IndexGenerations.Promotion p = generations.promote(client, created, 0);

        assertThat(p.previous()).containsExactly(legacy);
        assertThat(p.deleted()).isEmpty(); // not a generation: never deleted
        assertThat(http("HEAD", "/" + legacy, null).status()).isEqualTo(200);
        assertThat(generations.aliased(client)).containsExactly(created);
    }

    @Test
    void generationSinkWritesIntoTheIndexAndLeavesTheAliasAlone() throws Exception {
        String index = generations.createNext(client);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Recommendation a = rec("u1", "g1", T0, "i1", "i2");
        Recommendation b = rec("u2", "g2", T0 + 5, "i3");
        env.fromData(a, b, rec("u3", "g1", T0, "i4"), Recommendation.forgetUser("u3", T0 + 1, T0 + 1))
                .sinkTo(RecommendationDocuments.generationSinkBuilder(alias, index, 0)
                        .setHosts(esUrl)
                        .build())
                .name("elasticsearch generation");
        env.execute("es-generation-itcase");

        // No alias and no other index: apps see nothing of the backfill yet.
        assertThat(http("GET", "/_alias/" + alias, null).status()).isEqualTo(404);
        assertThat(generations.generations(client)).containsExactly(index);
        JsonNode doc =
                http("GET", "/" + index + "/_doc/" + a.documentId(), null).body();
        assertThat(doc.path("found").asBoolean()).isTrue();
        assertThat(doc.path("_version").asLong()).isEqualTo(T0);
        assertThat(doc.at("/_source/items/1/item").asText()).isEqualTo("i2");
        http("POST", "/" + index + "/_refresh", null);
        assertThat(http("POST", "/" + index + "/_count", null)
                        .body()
                        .path("count")
                        .asLong())
                .isEqualTo(2);

        generations.promote(client, index, 1);
        assertThat(countThroughAlias("u1")).isEqualTo(1);
        assertThat(countThroughAlias("u2")).isEqualTo(1);
        assertThat(countThroughAlias("u3")).isZero(); // forgotten in the generation itself
    }

    // ---- helpers ----

    private static Recommendation rec(String user, String geo, long t, String... items) {
        return LocalElasticsearch.recommendation(user, geo, "evening", "mobile", t, items);
    }

    /** Indexes a small document into {@code target} (an index or the alias), returns the index it went to. */
    private static String put(String target, String id, String user) throws Exception {
        Reply reply = http("PUT", "/" + target + "/_doc/" + id, "{\"user\":\"" + user + "\"}");
        assertThat(reply.status())
                .as("indexing into %s: %s", target, reply.body())
                .isBetween(200, 201);
        return reply.body().path("_index").asText();
    }

    /** Matching documents through the alias as an app searches it: no refresh of our own. */
    private long countThroughAlias(String user) throws Exception {
        Reply reply = http("POST", "/" + alias + "/_count", "{\"query\":{\"term\":{\"user\":\"" + user + "\"}}}");
        assertThat(reply.status())
                .as("count through %s: %s", alias, reply.body())
                .isEqualTo(200);
        return reply.body().path("count").asLong();
    }

    private boolean isWriteIndex(String index) throws Exception {
        return http("GET", "/_alias/" + alias, null)
                .body()
                .at("/" + index + "/aliases/" + alias + "/is_write_index")
                .asBoolean(false);
    }

    private static Reply http(String method, String path, String body) throws Exception {
        return LocalElasticsearch.request(esUrl, method, path, body);
    }
}
