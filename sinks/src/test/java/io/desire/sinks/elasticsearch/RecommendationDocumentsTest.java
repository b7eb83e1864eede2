package io.desire.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.NdJsonpSerializable;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.util.BinaryData;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact requests and documents written for recommendations. */
class RecommendationDocumentsTest {

    private static final JsonpMapper MAPPER = new JacksonJsonpMapper();
    private static final long T0 = 1_714_586_400_000L; // 2024-05-01T18:00:00Z

    private final RecommendationDocuments documents = new RecommendationDocuments();

    private static Recommendation upsert() {
        Recommendation rec = Recommendation.upsert(
                "u1",
                "u33d",
                "evening",
                "mobile",
                new RankedItem[] {
                    new RankedItem("i9", 0.93, "shoes", new String[] {"context_trending", "affinity_category"}),
                    new RankedItem("i4", 0.5, null, new String[] {"popular"})
                },
                T0,
                T0 + 1250,
                "ftrl-42");
        rec.profileEvents = 17;
        return rec;
    }

    @Test
    void upsertBecomesAnExternallyVersionedIndexOperationOnTheAlias() throws Exception {
        Recommendation rec = upsert();
        List<String> lines = ndjson(documents.indexOperation(rec));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .isEqualTo("{\"index\":{\"_id\":\"u1:u33d:evening:mobile\",\"_index\":\"desire-recs\","
                        + "\"version\":1714586400000,\"version_type\":\"external_gte\"}}");
        assertThat(lines.get(1))
                .isEqualTo("{\"user\":\"u1\","
                        + "\"context\":{\"geo_cell\":\"u33d\",\"time_bucket\":\"evening\",\"device\":\"mobile\",\"key\":\"u33d:evening:mobile\"},"
                        + "\"items\":["
                        + "{\"item\":\"i9\",\"rank\":1,\"score\":0.93,\"category\":\"shoes\",\"reasons\":[\"context_trending\",\"affinity_category\"]},"
                        + "{\"item\":\"i4\",\"rank\":2,\"score\":0.5,\"reasons\":[\"popular\"]}],"
                        + "\"model_version\":\"ftrl-42\","
                        + "\"profile_events\":17,"
                        + "\"event_time\":\"2024-05-01T18:00:00Z\","
                        + "\"updated_at\":\"2024-05-01T18:00:01.250Z\"}");
    }

    @Test
    void documentLeavesOutWhatJsonCannotHold() {
        Recommendation rec = Recommendation.upsert(
                "u1",
                "g",
                "night",
                "other",
                new RankedItem[] {new RankedItem("i1", Double.NaN, null, null)},
                0L,
                0L,
                null);
        assertThat(new String(RecommendationDocuments.documentJson(rec), StandardCharsets.UTF_8))
                .isEqualTo("{\"user\":\"u1\","
                        + "\"context\":{\"geo_cell\":\"g\",\"time_bucket\":\"night\",\"device\":\"other\",\"key\":\"g:night:other\"},"
                        + "\"items\":[{\"item\":\"i1\",\"rank\":1,\"reasons\":[]}],"
                        + "\"profile_events\":0,"
                        + "\"event_time\":\"1970-01-01T00:00:00Z\",\"updated_at\":\"1970-01-01T00:00:00Z\"}");
    }

    @Test
    void forgetBecomesADeleteByQueryOnTheUserTerm() throws Exception {
        List<String> calls = new ArrayList<>();
        RequestIndexer recorder = new RequestIndexer() {
            @Override
            public void add(BulkOperation operation) {
                calls.add("add " + operation._kind());
            }

            @Override
            public void deleteByQuery(String index, Query query) {
                calls.add("deleteByQuery " + index + " " + JsonpUtils.toJsonString(query, MAPPER));
            }
        };
        documents.emit(upsert(), null, recorder);
        documents.emit(Recommendation.forgetUser("u1", T0 + 1, T0 + 1), null, recorder);

        assertThat(calls)
                .containsExactly("add Index", "deleteByQuery desire-recs {\"term\":{\"user\":{\"value\":\"u1\"}}}");
    }

    @Test
    void anotherAliasIsUsedForWritesAndForgets() throws Exception {
        RecommendationDocuments custom = new RecommendationDocuments("recs-test");
        assertThat(ndjson(custom.indexOperation(upsert())).get(0)).contains("\"_index\":\"recs-test\"");
        assertThat(custom.alias()).isEqualTo("recs-test");
    }

    @Test
    void rejectsRecordsThatCannotBeAddressed() {
        Recommendation noUser = upsert();
        noUser.userId = null;
        assertThatThrownBy(() -> documents.indexOperation(noUser))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without user id");
        Recommendation negative = upsert();
        negative.eventTime = -1;
        assertThatThrownBy(() -> documents.indexOperation(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative event time");
        assertThatThrownBy(() -> new RecommendationDocuments("Desire Recs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lowercase");
    }

    /** The bulk body lines of one operation, as the client's transport writes them. */
    static List<String> ndjson(NdJsonpSerializable op) throws Exception {
        List<String> lines = new ArrayList<>();
        Iterator<?> parts = op._serializables();
        while (parts.hasNext()) {
            Object part = parts.next();
            if (part instanceof NdJsonpSerializable nested && part != op) {
                lines.addAll(ndjson(nested));
            } else {
                BinaryData data = BinaryData.of(part, MAPPER);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                data.writeTo(out);
                lines.add(out.toString(StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}
