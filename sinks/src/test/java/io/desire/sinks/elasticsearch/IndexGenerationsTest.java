package io.desire.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.sinks.elasticsearch.StubElasticsearch.Request;
import io.desire.sinks.elasticsearch.StubElasticsearch.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Naming, numbering and retention of {@link IndexGenerations} as pure functions, and the requests
 * it sends, against a small in-memory imitation of Elasticsearch's index and alias APIs.
 */
class IndexGenerationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IndexGenerations recs = new IndexGenerations("recs", 0);

    private StubElasticsearch stub;
    private FakeIndices es;
    private ElasticsearchClient client;

    @BeforeEach
    void start() throws Exception {
        stub = new StubElasticsearch();
        es = new FakeIndices("recs");
        stub.respond(es::handle);
        client = RecommendationDocuments.sinkBuilder("recs", 0)
                .setHosts(stub.url())
                .build()
                .createClient();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        stub.close();
    }

    // ---- naming and numbering ----

    @Test
    void generationsAreNumberedWithSixDigitsLikeTheFirstIndexOfTheAlias() {
        assertThat(recs.generationName(1))
                .isEqualTo(new RecommendationIndex("recs", 0).firstIndex())
                .isEqualTo("recs-000001");
        assertThat(recs.generationName(42)).isEqualTo("recs-000042");
        assertThat(recs.generationName(IndexGenerations.MAX_NUMBER)).isEqualTo("recs-999999");
        assertThatThrownBy(() -> recs.generationName(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 1 to 999999");
        assertThatThrownBy(() -> recs.generationName(1_000_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyThisAliasWithExactlySixDigitsIsAGeneration() {
        assertThat(recs.isGeneration("recs-000001")).isTrue();
        assertThat(recs.isGeneration("recs-123456")).isTrue();
        for (String other : new String[] {
            "recs",
            "recs-",
            "recs-00001",
            "recs-0000001",
            "recs-00000a",
            "recs-000001-old",
            "recs-eu-000001",
            "xrecs-000001",
            "recs-legacy",
            "recs_000001",
            "recs-000001 "
        }) {
            assertThat(recs.isGeneration(other)).as(other).isFalse();
        }
        assertThat(recs.isGeneration(null)).isFalse();
        // The alias is matched literally, not as a regular expression.
        IndexGenerations dotted = new IndexGenerations("recs.v2", 0);
        assertThat(dotted.isGeneration("recs.v2-000003")).isTrue();
        assertThat(dotted.isGeneration("recsxv2-000003")).isFalse();
    }

    @Test
    void generationsSortByNumberAndLeaveOtherIndicesOut() {
        assertThat(recs.sortedGenerations(List.of(
                        "recs-000010", "recs-legacy", "recs-000002", "recs-eu-000001", "recs-000009", "recs-000002")))
                .containsExactly("recs-000002", "recs-000009", "recs-000010");
        assertThat(recs.sortedGenerations(List.of())).isEmpty();
    }

    @Test
    void nextNumberIsOneAboveTheHighestGeneration() {
        assertThat(recs.nextNumber(List.of())).isEqualTo(1);
        assertThat(recs.nextNumber(List.of("recs-legacy", "recs-eu-000007"))).isEqualTo(1);
        assertThat(recs.nextNumber(List.of("recs-000001", "recs-000005", "recs-000003")))
                .isEqualTo(6);
        assertThat(recs.nextNumber(List.of("recs-999998"))).isEqualTo(IndexGenerations.MAX_NUMBER);
        assertThatThrownBy(() -> recs.nextNumber(List.of("recs-999999")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("used up");
    }

    @Test
    void aliasAndReplicasAreValidated() {
        assertThatThrownBy(() -> new IndexGenerations("Recs", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid");
        assertThatThrownBy(() -> new IndexGenerations("recs*", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IndexGenerations("recs", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or more");
    }

    // ---- retention ----

    @Test
    void retentionKeepsTheHighestPreviousGenerationsBelowTheNewOne() {
        List<String> gens = List.of("recs-000001", "recs-000002", "recs-000003", "recs-000004");
        assertThat(recs.toDelete(gens, List.of("recs-000004"), "recs-000004", 0))
                .containsExactly("recs-000001", "recs-000002", "recs-000003");
        assertThat(recs.toDelete(gens, List.of("recs-000004"), "recs-000004", 1))
                .containsExactly("recs-000001", "recs-000002");
        assertThat(recs.toDelete(gens, List.of("recs-000004"), "recs-000004", 3))
                .isEmpty();
        assertThat(recs.toDelete(gens, List.of("recs-000004"), "recs-000004", 10))
                .isEmpty();
        // Gaps in the numbering do not matter: it is the count of generations that is kept.
        assertThat(recs.toDelete(List.of("recs-000002", "recs-000007", "recs-000040"), List.of(), "recs-000040", 1))
                .containsExactly("recs-000002");
    }

    @Test
    void retentionNeverDeletesTheNewOneHigherOnesAliasedOnesOrOtherIndices() {
        List<String> gens = List.of("recs-000001", "recs-000002", "recs-000003", "recs-000005", "recs-legacy");
        // Promoting 3 (a rollback): 5 is above it and stays, whatever keep is.
        assertThat(recs.toDelete(gens, List.of("recs-000003"), "recs-000003", 0))
                .containsExactly("recs-000001", "recs-000002");
        // An old generation that still holds the alias is never deleted.
        assertThat(recs.toDelete(gens, List.of("recs-000005", "recs-000001"), "recs-000005", 0))
                .containsExactly("recs-000002", "recs-000003");
        // Only generation 000001 exists and is promoted: nothing to delete.
        assertThat(recs.toDelete(List.of("recs-000001"), List.of("recs-000001"), "recs-000001", 0))
                .isEmpty();
        assertThatThrownBy(() -> recs.toDelete(gens, List.of(), "recs-000003", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or more");
        assertThatThrownBy(() -> recs.toDelete(gens, List.of(), "recs-legacy", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a generation");
    }

    // ---- requests ----

    @Test
    void createNextPutsTheTemplateAndCreatesTheNextIndexWithoutTheAlias() throws Exception {
        es.create("recs-legacy");
        es.alias("recs-legacy", true);
        es.create("recs-000003");

        String created = recs.createNext(client);

        assertThat(created).isEqualTo("recs-000004");
        Request template = only("PUT", "/_index_template/recs");
        assertSameTemplate(template.body(), new RecommendationIndex("recs", 0));
        Request create = only("PUT", "/recs-000004");
        assertThat(create.body()).doesNotContain("alias");
        assertThat(recs.aliased(client)).containsExactly("recs-legacy");
        assertThat(recs.generations(client)).containsExactly("recs-000003", "recs-000004");
    }

    @Test
    void createNextStartsAtOneAndMovesOnWhenAnotherCreatorTakesTheNumber() throws Exception {
        assertThat(recs.createNext(client)).isEqualTo("recs-000001");
        // Someone else creates 000002 right after this process listed the generations.
        es.afterResolve = () -> es.create("recs-000002");

        assertThat(recs.createNext(client)).isEqualTo("recs-000003");
        assertThat(es.createAttempts).containsExactly("recs-000001", "recs-000002", "recs-000003");
        assertThat(recs.aliased(client)).isEmpty();
    }

    @Test
    void promoteMovesTheAliasInOneRequestThenDeletesBeyondKeep() throws Exception {
        for (int i = 1; i <= 4; i++) {
            es.create("recs-00000" + i);
        }
        es.alias("recs-000003", true);
        es.create("recs-legacy-view"); // a hand-made index that also holds the alias
        es.alias("recs-legacy-view", false);

        IndexGenerations.Promotion p = recs.promote(client, "recs-000004", 1);

        assertThat(p.index()).isEqualTo("recs-000004");
        assertThat(p.previous()).containsExactly("recs-000003", "recs-legacy-view");
        assertThat(p.deleted()).containsExactly("recs-000001", "recs-000002");
        JsonNode actions = JSON.readTree(only("POST", "/_aliases").body()).path("actions");
        assertThat(actions).hasSize(3);
        assertThat(actions.toString())
                .contains("{\"remove\":{\"alias\":\"recs\",\"index\":\"recs-000003\",\"must_exist\":true}}")
                .contains("{\"remove\":{\"alias\":\"recs\",\"index\":\"recs-legacy-view\",\"must_exist\":true}}")
                .contains("{\"add\":{\"alias\":\"recs\",\"index\":\"recs-000004\",\"is_write_index\":true}}");
        assertThat(es.holders).containsExactly(Map.entry("recs-000004", true));
        assertThat(es.indices.keySet()).containsExactly("recs-000003", "recs-000004", "recs-legacy-view");
        // Refreshed before the swap, deleted only after it.
        List<String> order =
                stub.requests().stream().map(r -> r.method() + " " + r.path()).toList();
        assertThat(order.indexOf("POST /recs-000004/_refresh")).isLessThan(order.indexOf("POST /_aliases"));
        assertThat(order.indexOf("POST /_aliases")).isLessThan(order.indexOf("DELETE /recs-000001"));
    }

    @Test
    void promoteOnANewAliasOnlyAddsIt() throws Exception {
        es.create("recs-000001");

        IndexGenerations.Promotion p = recs.promote(client, "recs-000001", 0);

        assertThat(p.previous()).isEmpty();
        assertThat(p.deleted()).isEmpty();
        assertThat(JSON.readTree(only("POST", "/_aliases").body()).path("actions"))
                .hasSize(1);
        assertThat(es.holders).containsExactly(Map.entry("recs-000001", true));
    }

    @Test
    void badPromotionsChangeNothing() throws Exception {
        es.create("recs-000001");
        es.alias("recs-000001", true);
        es.create("other-000002");

        assertThatThrownBy(() -> recs.promote(client, "other-000002", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a generation of alias 'recs'")
                .hasMessageContaining("recs-000001");
        assertThatThrownBy(() -> recs.promote(client, "recs-000002", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or more");
        assertThatThrownBy(() -> recs.promote(client, "recs-000002", 1))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("'recs-000002'")
                .hasMessageContaining("no such index");

        assertThat(stub.requests("/_aliases")).isEmpty();
        assertThat(stub.requests().stream().filter(r -> r.method().equals("DELETE")))
                .isEmpty();
        assertThat(es.holders).containsExactly(Map.entry("recs-000001", true));
    }

    @Test
    void discardRefusesTheAliasedGenerationAndDeletesAnUnpromotedOne() throws Exception {
        es.create("recs-000001");
        es.alias("recs-000001", true);
        es.create("recs-000002");

        assertThatThrownBy(() -> recs.discard(client, "recs-000001"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("points to it");
        assertThatThrownBy(() -> recs.discard(client, "recs-000009"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("no such index");
        assertThatThrownBy(() -> recs.discard(client, "recs-*")).isInstanceOf(IllegalArgumentException.class);
        assertThat(stub.requests().stream().filter(r -> r.method().equals("DELETE")))
                .isEmpty();

        recs.discard(client, "recs-000002");

        assertThat(es.indices.keySet()).containsExactly("recs-000001");
        assertThat(es.holders).containsExactly(Map.entry("recs-000001", true));
    }

    @Test
    void generationSinkBootstrapOnlyPutsTheTemplate() throws Exception {
        new GenerationTemplate("recs", 2, true).ensure(client);

        assertThat(stub.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly("PUT /_index_template/recs");
        assertSameTemplate(stub.requests().get(0).body(), new RecommendationIndex("recs", 2, true));
        assertThat(es.indices).isEmpty();
        assertThat(es.holders).isEmpty();
    }

    @Test
    void generationSinkBuilderOnlyAcceptsAGenerationOfTheAlias() {
        assertThat(RecommendationDocuments.generationSinkBuilder("recs", "recs-000002", 0)
                        .setHosts(stub.url())
                        .build())
                .isNotNull();
        for (String bad : new String[] {"recs", "recs-2", "other-000002", "recs-eu-000002"}) {
            assertThatThrownBy(() -> RecommendationDocuments.generationSinkBuilder("recs", bad, 0))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a generation of alias 'recs'");
        }
    }

    /** The client re-serialises the template: same patterns, priority, mapping and settings values. */
    private static void assertSameTemplate(String sent, RecommendationIndex expected) throws Exception {
        JsonNode actual = JSON.readTree(sent);
        JsonNode wanted = JSON.readTree(expected.templateJson());
        assertThat(actual.path("index_patterns")).isEqualTo(wanted.path("index_patterns"));
        assertThat(actual.path("priority")).isEqualTo(wanted.path("priority"));
        assertThat(actual.at("/template/mappings")).isEqualTo(wanted.at("/template/mappings"));
        assertThat(actual.at("/template/settings/number_of_shards").asText())
                .isEqualTo(wanted.at("/template/settings/number_of_shards").asText());
        assertThat(actual.at("/template/settings/number_of_replicas").asText())
                .isEqualTo(wanted.at("/template/settings/number_of_replicas").asText());
    }

    private Request only(String method, String path) {
        List<Request> matching = stub.requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
        assertThat(matching).as(method + " " + path).hasSize(1);
        return matching.get(0);
    }

    /**
     * Indices and one alias, answering the index, alias, resolve, refresh and template APIs the way
     * Elasticsearch does (status codes, error types, atomic {@code _aliases}).
     */
    private static final class FakeIndices {
        final String alias;
        final Map<String, Boolean> indices = new TreeMap<>();
        /** Index holding the alias -> is_write_index. */
        final Map<String, Boolean> holders = new LinkedHashMap<>();

        final List<String> createAttempts = new ArrayList<>();
        volatile Runnable afterResolve = () -> {};

        FakeIndices(String alias) {
            this.alias = alias;
        }

        synchronized void create(String index) {
            indices.put(index, true);
        }

        synchronized void alias(String index, boolean write) {
            holders.put(index, write);
        }

        synchronized Response handle(Request r) {
            String path = r.path();
            try {
                if (r.method().equals("PUT") && path.startsWith("/_index_template/")) {
                    return ack();
                }
                if (r.method().equals("GET") && path.startsWith("/_resolve/index/")) {
                    Pattern glob = Pattern.compile(Pattern.quote(path.substring("/_resolve/index/".length()))
                            .replace("*", "\\E.*\\Q"));
                    StringBuilder names = new StringBuilder();
                    for (String index : indices.keySet()) {
                        if (glob.matcher(index).matches()) {
                            names.append(names.length() == 0 ? "" : ",")
                                    .append("{\"name\":\"")
                                    .append(index)
                                    .append("\",\"attributes\":[\"open\"]}");
                        }
                    }
                    afterResolve.run();
                    afterResolve = () -> {};
                    return new Response(200, "{\"indices\":[" + names + "],\"aliases\":[],\"data_streams\":[]}");
                }
                if (r.method().equals("GET") && path.equals("/_alias/" + alias)) {
                    if (holders.isEmpty()) {
                        return new Response(404, "{\"error\":\"alias [" + alias + "] missing\",\"status\":404}");
                    }
                    StringBuilder body = new StringBuilder("{");
                    holders.forEach((index, write) -> body.append(body.length() == 1 ? "" : ",")
                            .append('"')
                            .append(index)
                            .append("\":{\"aliases\":{\"")
                            .append(alias)
                            .append("\":{\"is_write_index\":")
                            .append(write)
                            .append("}}}"));
                    return new Response(200, body.append('}').toString());
                }
                if (r.method().equals("POST") && path.equals("/_aliases")) {
                    Map<String, Boolean> next = new LinkedHashMap<>(holders);
                    for (JsonNode action : JSON.readTree(r.body()).path("actions")) {
                        if (action.has("remove")) {
                            String index = action.at("/remove/index").asText();
                            if (next.remove(index) == null) {
                                return new Response(
                                        404,
                                        StubElasticsearch.error(
                                                404, "aliases_not_found_exception", "aliases [" + alias + "] missing"));
                            }
                        } else {
                            String index = action.at("/add/index").asText();
                            if (!indices.containsKey(index)) {
                                return new Response(
                                        404,
                                        StubElasticsearch.error(
                                                404, "index_not_found_exception", "no such index [" + index + "]"));
                            }
                            next.put(index, action.at("/add/is_write_index").asBoolean(false));
                        }
                    }
                    holders.clear();
                    holders.putAll(next);
                    return ack();
                }
                if (r.method().equals("POST") && path.endsWith("/_refresh")) {
                    return new Response(200, "{\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}");
                }
                String index = path.substring(1);
                if (index.contains("/") || index.startsWith("_")) {
                    return new Response(
                            400, StubElasticsearch.error(400, "unexpected_request", r.method() + " " + path));
                }
                switch (r.method()) {
                    case "HEAD":
                        return new Response(indices.containsKey(index) ? 200 : 404, "");
                    case "PUT":
                        createAttempts.add(index);
                        if (indices.containsKey(index)) {
                            return new Response(
                                    400,
                                    StubElasticsearch.error(
                                            400,
                                            "resource_already_exists_exception",
                                            "index [" + index + "] already exists"));
                        }
                        indices.put(index, true);
                        if (r.body().contains("\"aliases\"")) {
                            holders.put(index, r.body().contains("\"is_write_index\":true"));
                        }
                        return new Response(
                                200,
                                "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"" + index + "\"}");
                    case "DELETE":
                        if (indices.remove(index) == null) {
                            return new Response(
                                    404,
                                    StubElasticsearch.error(
                                            404, "index_not_found_exception", "no such index [" + index + "]"));
                        }
                        holders.remove(index);
                        return ack();
                    default:
                        return new Response(
                                400, StubElasticsearch.error(400, "unexpected_request", r.method() + " " + path));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static Response ack() {
            return new Response(200, "{\"acknowledged\":true}");
        }
    }
}
