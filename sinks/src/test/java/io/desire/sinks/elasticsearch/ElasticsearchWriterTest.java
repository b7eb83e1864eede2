package io.desire.sinks.elasticsearch;

import static io.desire.sinks.elasticsearch.StubElasticsearch.bulkIds;
import static io.desire.sinks.elasticsearch.StubElasticsearch.bulkResponse;
import static io.desire.sinks.elasticsearch.StubElasticsearch.error;
import static io.desire.sinks.elasticsearch.StubElasticsearch.failed;
import static io.desire.sinks.elasticsearch.StubElasticsearch.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.sinks.elasticsearch.StubElasticsearch.Request;
import io.desire.sinks.elasticsearch.StubElasticsearch.Response;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer's batching, retries, failure messages and metrics against an in-process HTTP stub. */
class ElasticsearchWriterTest {

    private static final long T0 = 1_714_586_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StubElasticsearch stub;
    private final TestMetricGroup metrics = new TestMetricGroup();
    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStub() throws Exception {
        stub = new StubElasticsearch();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void retriesOnlyTheFailedRetryableItemsThenSucceeds() throws Exception {
        AtomicInteger bulks = new AtomicInteger();
        stub.respond(r -> {
            List<String> ids = bulkIds(r);
            if (bulks.incrementAndGet() == 1) {
                return new Response(
                        200,
                        bulkResponse(
                                ok(ids.get(0)),
                                failed(
                                        ids.get(1),
                                        429,
                                        "es_rejected_execution_exception",
                                        "rejected execution of bulk"),
                                failed(
                                        ids.get(2),
                                        503,
                                        "unavailable_shards_exception",
                                        "primary shard is not active")));
            }
            return new Response(
                    200, bulkResponse(ids.stream().map(StubElasticsearch::ok).toArray(String[]::new)));
        });
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            writer.write(rec("u3", T0), null);
            writer.flush(false);
        }

        List<Request> sent = stub.requests("/_bulk");
        assertThat(sent).hasSize(2);
        assertThat(bulkIds(sent.get(0))).hasSize(3);
        assertThat(bulkIds(sent.get(1)))
                .containsExactly(rec("u2", T0).documentId(), rec("u3", T0).documentId());
        assertThat(waits).containsExactly(Duration.ofMillis(100));
        assertThat(metrics.count(ElasticsearchWriter.METRIC_RETRIES)).isEqualTo(2);
        assertThat(metrics.count("numRecordsSend")).isEqualTo(3);
        assertThat(metrics.count("numRecordsOutErrors")).isZero();
        assertThat(metrics.count("numBytesSend"))
                .isEqualTo(sent.get(0).body().length() + sent.get(1).body().length());
    }

    @Test
    void backoffDoublesUpToTheMaxThenGivesUpNamingTheDocument() throws Exception {
        stub.respond(r -> new Response(
                200, bulkResponse(failed(bulkIds(r).get(0), 429, "es_rejected_execution_exception", "queue full"))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> b.setBulkFlushMaxRetries(4)
                .setBulkFlushBackoffInitialDelay(Duration.ofMillis(100))
                .setBulkFlushBackoffMaxDelay(Duration.ofMillis(300)))) {
            writer.write(rec("u1", T0), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessageContaining("after 4 retries")
                    .hasMessageContaining("u1:g:evening:mobile")
                    .hasMessageContaining("desire-recs-000001")
                    .hasMessageContaining("es_rejected_execution_exception: queue full");
        }
        assertThat(stub.requests("/_bulk")).hasSize(5);
        assertThat(waits)
                .containsExactly(
                        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300));
        assertThat(metrics.count("numRecordsOutErrors")).isEqualTo(1);
    }

    @Test
    void versionConflictIsCountedAndTreatedAsWritten() throws Exception {
        stub.respond(
                r -> new Response(
                        200,
                        bulkResponse(
                                ok(bulkIds(r).get(0)),
                                failed(
                                        bulkIds(r).get(1),
                                        409,
                                        "version_conflict_engine_exception",
                                        "[u2:g:evening:mobile]: version conflict, current version [2000] is higher than or equal to the one provided [1000]"))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            writer.flush(false);
            assertThat(writer.pendingOperations()).isZero();
        }
        assertThat(stub.requests("/_bulk")).hasSize(1);
        assertThat(metrics.count(ElasticsearchWriter.METRIC_VERSION_CONFLICTS)).isEqualTo(1);
        assertThat(metrics.count("numRecordsSend")).isEqualTo(2);
        assertThat(metrics.count("numRecordsOutErrors")).isZero();
        assertThat(waits).isEmpty();
    }

    @Test
    void mappingErrorFailsWithIndexIdAndReason() throws Exception {
        stub.respond(r -> new Response(
                200,
                bulkResponse(
                        ok(bulkIds(r).get(0)),
                        failed(
                                bulkIds(r).get(1),
                                400,
                                "mapper_parsing_exception",
                                "failed to parse field [items.score] of type [float] in document"))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessageContaining("cannot succeed on retry")
                    .hasMessageContaining("index of document id 'u2:g:evening:mobile' in index 'desire-recs-000001'")
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("mapper_parsing_exception: failed to parse field [items.score]");
        }
        assertThat(stub.requests("/_bulk")).hasSize(1); // not retried
        assertThat(metrics.count("numRecordsOutErrors")).isEqualTo(1);
    }

    @Test
    void unauthorizedFailsWithAnAuthenticationMessageWithoutThePassword() throws Exception {
        stub.respond(r -> new Response(
                401,
                error(401, "security_exception", "unable to authenticate user [writer] for REST request [/_bulk]")));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> b.setBasicAuth("writer", "s3cr3t-pw"))) {
            writer.write(rec("u1", T0), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessageContaining("authentication failed for user 'writer'")
                    .hasMessageContaining(stub.url())
                    .hasMessageContaining("HTTP 401")
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain("s3cr3t-pw"));
        }
        assertThat(stub.requests("/_bulk")).hasSize(1); // fatal: no retry
        assertThat(stub.requests().get(0).header("Authorization")).startsWith("Basic ");
    }

    @Test
    void forbiddenWithApiKeyNamesNeitherKeyNorSecret() throws Exception {
        stub.respond(r -> new Response(
                403, error(403, "security_exception", "action [indices:data/write/bulk] is unauthorized")));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> b.setApiKey("a2V5LWlkOmtleS1zZWNyZXQ="))) {
            writer.write(rec("u1", T0), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .hasMessageContaining("authentication failed for the configured API key")
                    .hasMessageContaining("HTTP 403")
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain("a2V5LWlkOmtleS1zZWNyZXQ="));
        }
        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("ApiKey a2V5LWlkOmtleS1zZWNyZXQ=");
    }

    @Test
    void wholeRequestOverloadIsRetriedWithBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        stub.respond(r -> calls.incrementAndGet() == 1
                ? new Response(
                        503,
                        error(
                                503,
                                "cluster_block_exception",
                                "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]"))
                : new Response(200, bulkResponse(ok(bulkIds(r).get(0)))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            writer.write(rec("u1", T0), null);
            writer.flush(false);
        }
        assertThat(stub.requests("/_bulk")).hasSize(2);
        assertThat(waits).containsExactly(Duration.ofMillis(100));
        assertThat(metrics.count("numRecordsSend")).isEqualTo(1);
    }

    @Test
    void wholeRequestRejectionFailsWithElasticsearchsReason() throws Exception {
        stub.respond(r ->
                new Response(400, error(400, "illegal_argument_exception", "Validation Failed: 1: index is missing;")));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            writer.write(rec("u1", T0), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessage("Bulk request of 1 operations failed: HTTP 400: illegal_argument_exception:"
                            + " Validation Failed: 1: index is missing;");
        }
        assertThat(waits).isEmpty();
    }

    @Test
    void flushAtEndOfInputSendsEverythingPending() throws Exception {
        stub.respond(r -> new Response(
                200, bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            for (int i = 0; i < 5; i++) {
                writer.write(rec("u" + i, T0), null);
            }
            assertThat(stub.requests("/_bulk")).isEmpty(); // below every threshold: buffered
            assertThat(writer.pendingOperations()).isEqualTo(5);

            writer.flush(true);

            assertThat(writer.pendingOperations()).isZero();
            assertThat(stub.requests("/_bulk")).hasSize(1);
            assertThat(bulkIds(stub.requests("/_bulk").get(0))).hasSize(5);
            writer.flush(true); // nothing left: no empty bulk request
            assertThat(stub.requests("/_bulk")).hasSize(1);
        }
        assertThat(metrics.count("numRecordsSend")).isEqualTo(5);
    }

    @Test
    void flushesWhenMaxActionsOrMaxSizeIsReached() throws Exception {
        stub.respond(r -> new Response(
                200, bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> b.setBulkFlushMaxActions(2))) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            writer.write(rec("u3", T0), null);
            assertThat(stub.requests("/_bulk")).hasSize(1);
            assertThat(bulkIds(stub.requests("/_bulk").get(0))).hasSize(2);
            assertThat(writer.pendingOperations()).isEqualTo(1);
        }
        StubElasticsearch.Request first;
        try (ElasticsearchWriter<Recommendation> writer =
                writer(b -> b.setBulkFlushMaxSize(MemorySize.parse("600b")))) {
            int before = stub.requests("/_bulk").size();
            writer.write(rec("u1", T0), null); // ~400 bytes with its action line
            assertThat(stub.requests("/_bulk")).hasSize(before);
            writer.write(rec("u2", T0), null);
            assertThat(stub.requests("/_bulk")).hasSize(before + 1);
            first = stub.requests("/_bulk").get(before);
        }
        assertThat(first.body().length()).isGreaterThanOrEqualTo(600);
    }

    @Test
    void flushesWhenTheIntervalElapses() throws Exception {
        stub.respond(r -> new Response(
                200, bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new))));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> b.setBulkFlushInterval(Duration.ofMillis(200)))) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            assertThat(time.activeTimers()).isEqualTo(1);
            time.advanceTo(199);
            assertThat(stub.requests("/_bulk")).isEmpty();
            time.advanceTo(200);
            assertThat(stub.requests("/_bulk")).hasSize(1);
            assertThat(writer.pendingOperations()).isZero();
            assertThat(time.activeTimers()).isZero(); // nothing buffered, nothing scheduled

            writer.write(rec("u3", T0), null);
            assertThat(time.activeTimers()).isEqualTo(1);
        }
    }

    @Test
    void concurrentBulksAreInFlightTogetherAndAFlushWaitsForAll() throws Exception {
        // Each bulk is answered only once both have arrived: with one request at a time the first
        // would wait in vain and fail the flush.
        CountDownLatch bothArrived = new CountDownLatch(2);
        stub.respond(r -> {
            bothArrived.countDown();
            if (!await(bothArrived)) {
                return new Response(500, error(500, "stub_timeout", "the second bulk never arrived"));
            }
            return new Response(
                    200,
                    bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new)));
        });
        try (ElasticsearchWriter<Recommendation> writer =
                writer(b -> b.setBulkConcurrency(2).setBulkFlushMaxActions(1).setBulkFlushMaxRetries(0))) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            assertThat(writer.pendingOperations()).isZero();

            writer.flush(false);

            assertThat(writer.requestsInFlight()).isZero();
        }
        assertThat(stub.requests("/_bulk")).hasSize(2);
        assertThat(metrics.count("numRecordsSend")).isEqualTo(2);
        assertThat(metrics.count("numBytesSend"))
                .isEqualTo(stub.requests("/_bulk").stream()
                        .mapToLong(r -> r.body().length())
                        .sum());
    }

    @Test
    void aFinishedBulkIsCountedWithoutAnotherWriteOrFlush() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        stub.respond(r -> {
            answered.countDown();
            return new Response(
                    200,
                    bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new)));
        });
        try (ElasticsearchWriter<Recommendation> writer =
                writer(b -> b.setBulkConcurrency(2).setBulkFlushMaxActions(1))) {
            writer.write(rec("u1", T0), null);
            assertThat(await(answered)).isTrue();
            // The sender thread finishes shortly after the stub answered; each poll completes what is over.
            long now = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (writer.requestsInFlight() > 0 && System.nanoTime() < deadline) {
                now += ElasticsearchWriter.COMPLETION_POLL_MILLIS;
                time.advanceTo(now);
                Thread.onSpinWait();
            }
            assertThat(writer.requestsInFlight()).isZero();
            assertThat(metrics.count("numRecordsSend")).isEqualTo(1);
        }
    }

    @Test
    void writesOfOneDocumentAreNeverInFlightTogether() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        List<String> versions = new CopyOnWriteArrayList<>();
        stub.respond(r -> {
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            versions.add(r.lines().get(0).replaceAll(".*\"version\":(\\d+).*", "$1"));
            // The first write lingers: a second one of the same document must not overtake it.
            if (versions.size() == 1) {
                await(new CountDownLatch(1), Duration.ofMillis(300));
            }
            active.decrementAndGet();
            return new Response(
                    200,
                    bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new)));
        });
        try (ElasticsearchWriter<Recommendation> writer =
                writer(b -> b.setBulkConcurrency(4).setBulkFlushMaxActions(1))) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u1", T0 + 1), null);
            writer.write(rec("u1", T0 + 2), null);
            writer.flush(false);
        }
        assertThat(mostActive).hasValue(1);
        assertThat(versions).containsExactly(Long.toString(T0), Long.toString(T0 + 1), Long.toString(T0 + 2));
    }

    @Test
    void aFailedBulkInFlightFailsTheNextFlushAndIsCounted() throws Exception {
        stub.respond(r -> new Response(
                200,
                bulkResponse(failed(bulkIds(r).get(0), 400, "mapper_parsing_exception", "failed to parse field"))));
        try (ElasticsearchWriter<Recommendation> writer =
                writer(b -> b.setBulkConcurrency(2).setBulkFlushMaxActions(1))) {
            writer.write(rec("u1", T0), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessageContaining("u1:g:evening:mobile")
                    .hasMessageContaining("mapper_parsing_exception");
        }
        assertThat(metrics.count("numRecordsOutErrors")).isEqualTo(1);
        assertThat(metrics.count("numRecordsSend")).isZero();
    }

    @Test
    void forgetFlushesWhatCameBeforeThenDeletesByQueryOnTheUser() throws Exception {
        stub.respond(r -> {
            if (r.path().endsWith("/_bulk")) {
                return new Response(
                        200,
                        bulkResponse(
                                bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new)));
            }
            if (r.path().endsWith("/_delete_by_query")) {
                return new Response(
                        200,
                        "{\"took\":5,\"timed_out\":false,\"total\":2,\"deleted\":2,\"batches\":1,"
                                + "\"version_conflicts\":0,\"noops\":0,\"retries\":{\"bulk\":0,\"search\":0},"
                                + "\"throttled_millis\":0,\"requests_per_second\":-1.0,\"throttled_until_millis\":0,\"failures\":[]}");
            }
            return new Response(200, "{\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}");
        });
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            writer.write(rec("u1", T0), null);
            writer.write(rec("u2", T0), null);
            writer.write(Recommendation.forgetUser("u1", T0 + 1, T0 + 1), null);
            assertThat(writer.pendingOperations()).isZero();
        }
        List<Request> all = stub.requests();
        assertThat(all)
                .extracting(Request::path)
                .containsExactly("/_bulk", "/desire-recs/_refresh", "/desire-recs/_delete_by_query");
        Request dbq = all.get(2);
        assertThat(dbq.body()).isEqualTo("{\"query\":{\"term\":{\"user\":{\"value\":\"u1\"}}}}");
        assertThat(dbq.query()).contains("conflicts=proceed").contains("refresh=true");
        assertThat(metrics.count(ElasticsearchWriter.METRIC_DELETES_BY_QUERY)).isEqualTo(1);
    }

    @Test
    void deleteByQueryFailuresFailTheWrite() throws Exception {
        stub.respond(r -> r.path().endsWith("/_delete_by_query")
                ? new Response(
                        200,
                        "{\"took\":5,\"timed_out\":false,\"total\":1,\"deleted\":0,\"batches\":1,"
                                + "\"version_conflicts\":0,\"noops\":0,\"retries\":{\"bulk\":0,\"search\":0},"
                                + "\"throttled_millis\":0,\"requests_per_second\":-1.0,\"throttled_until_millis\":0,\"failures\":["
                                + "{\"index\":\"desire-recs-000001\",\"id\":\"u1:g:evening:mobile\",\"status\":400,"
                                + "\"cause\":{\"type\":\"illegal_argument_exception\",\"reason\":\"boom\"}}]}")
                : new Response(200, "{\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}"));
        try (ElasticsearchWriter<Recommendation> writer = writer(b -> {})) {
            assertThatThrownBy(() -> writer.write(Recommendation.forgetUser("u1", T0, T0), null))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessageContaining("Delete-by-query on 'desire-recs'")
                    .hasMessageContaining("u1:g:evening:mobile")
                    .hasMessageContaining("illegal_argument_exception: boom");
        }
    }

    @Test
    void connectionRefusedSaysTheHostIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String host = "http://127.0.0.1:" + port;
        ElasticsearchSinkConfig config =
                RecommendationDocuments.sinkBuilder().setHosts(host).build().config();
        assertThatThrownBy(() -> new ElasticsearchWriter<>(
                        config,
                        new RecommendationDocuments(),
                        new RecommendationIndex("desire-recs", 0),
                        ElasticsearchClients.create(config),
                        metrics,
                        time,
                        waits::add))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("unreachable at " + host);
        assertThat(waits).isEmpty(); // fatal: no retries
    }

    @Test
    void unknownHostSaysTheHostIsUnreachable() throws Exception {
        ElasticsearchSinkConfig config = RecommendationDocuments.sinkBuilder()
                .setHosts("http://no-such-host.invalid:9200")
                .build()
                .config();
        try (ElasticsearchWriter<Recommendation> writer = new ElasticsearchWriter<>(
                config,
                new RecommendationDocuments(),
                IndexBootstrap.NONE,
                ElasticsearchClients.create(config),
                metrics,
                time,
                waits::add)) {
            writer.write(rec("u1", T0), null);
            assertThatThrownBy(() -> writer.flush(true))
                    .isInstanceOf(ElasticsearchSinkException.class)
                    .hasMessageContaining("unreachable")
                    .hasMessageContaining("no-such-host.invalid");
        }
    }

    @Test
    void bootstrapPutsTheTemplateAndCreatesTheAliasOnce() throws Exception {
        stub.respond(r -> {
            if (r.method().equals("HEAD")) {
                return new Response(404, "");
            }
            if (r.path().equals("/desire-recs-000001")) {
                return new Response(
                        200, "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"desire-recs-000001\"}");
            }
            return new Response(200, "{\"acknowledged\":true}");
        });
        RecommendationIndex index = RecommendationIndex.defaults();
        ElasticsearchSinkConfig config = RecommendationDocuments.sinkBuilder()
                .setHosts(stub.url())
                .build()
                .config();
        new ElasticsearchWriter<>(
                        config,
                        new RecommendationDocuments(),
                        index,
                        ElasticsearchClients.create(config),
                        metrics,
                        time,
                        waits::add)
                .close();

        List<Request> all = stub.requests();
        assertThat(all)
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "PUT /_index_template/desire-recs", "HEAD /_alias/desire-recs", "PUT /desire-recs-000001");
        // The client re-serialises the template: same content, its own key order and number format.
        JsonNode sentTemplate = JSON.readTree(all.get(0).body());
        JsonNode expected = JSON.readTree(index.templateJson());
        assertThat(sentTemplate.at("/template/mappings")).isEqualTo(expected.at("/template/mappings"));
        assertThat(sentTemplate.path("index_patterns")).isEqualTo(expected.path("index_patterns"));
        assertThat(sentTemplate.at("/template/settings/number_of_shards").asText())
                .isEqualTo("1");
        assertThat(sentTemplate.at("/template/settings/number_of_replicas").asText())
                .isEqualTo("0");
        assertThat(all.get(2).body()).isEqualTo("{\"aliases\":{\"desire-recs\":{\"is_write_index\":true}}}");
    }

    @Test
    void bootstrapToleratesLosingTheRaceToCreateTheIndex() throws Exception {
        AtomicInteger heads = new AtomicInteger();
        stub.respond(r -> {
            if (r.method().equals("HEAD")) {
                return new Response(heads.incrementAndGet() == 1 ? 404 : 200, "");
            }
            if (r.path().equals("/desire-recs-000001")) {
                return new Response(
                        400,
                        error(
                                400,
                                "resource_already_exists_exception",
                                "index [desire-recs-000001/abc] already exists"));
            }
            return new Response(200, "{\"acknowledged\":true}");
        });
        ElasticsearchSinkConfig config = RecommendationDocuments.sinkBuilder()
                .setHosts(stub.url())
                .build()
                .config();
        new ElasticsearchWriter<>(
                        config,
                        new RecommendationDocuments(),
                        RecommendationIndex.defaults(),
                        ElasticsearchClients.create(config),
                        metrics,
                        time,
                        waits::add)
                .close();
        assertThat(stub.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "PUT /_index_template/desire-recs",
                        "HEAD /_alias/desire-recs",
                        "PUT /desire-recs-000001",
                        "HEAD /_alias/desire-recs");
    }

    // ---- helpers ----

    private ElasticsearchWriter<Recommendation> writer(Consumer<ElasticsearchSinkBuilder<Recommendation>> settings)
            throws Exception {
        ElasticsearchSinkBuilder<Recommendation> builder =
                RecommendationDocuments.sinkBuilder().setHosts(stub.url());
        settings.accept(builder);
        ElasticsearchSinkConfig config = builder.build().config();
        return new ElasticsearchWriter<>(
                config,
                new RecommendationDocuments(),
                IndexBootstrap.NONE,
                ElasticsearchClients.create(config),
                metrics,
                time,
                waits::add);
    }

    static Recommendation rec(String user, long t) {
        return Recommendation.upsert(
                user,
                "g",
                "evening",
                "mobile",
                new RankedItem[] {new RankedItem("i1", 0.9, "shoes", new String[] {"popular"})},
                t,
                t,
                "m-1");
    }

    private static boolean await(CountDownLatch latch) {
        return await(latch, Duration.ofSeconds(10));
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String fullText(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
