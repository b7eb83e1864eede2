package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Turns {@link Recommendation}s into Elasticsearch requests on the recommendation alias.
 *
 * <p>{@code UPSERT}: one index operation, id {@link Recommendation#documentId()}, external version
 * {@link Recommendation#eventTime} with {@code external_gte}, so a replay rewrites a document with
 * the same content and never replaces it by an older one. The document:
 *
 * <pre>{@code
 * {"user":"u1",
 *  "context":{"geo_cell":"u33d","time_bucket":"evening","device":"mobile","key":"u33d:evening:mobile"},
 *  "items":[{"item":"i9","rank":1,"score":0.93,"category":"shoes","reasons":["context_trending"]}],
 *  "model_version":"ftrl-42",
 *  "profile_events":17,
 *  "event_time":"2024-05-01T18:00:00Z",
 *  "updated_at":"2024-05-01T18:00:01.250Z"}
 * }</pre>
 *
 * <p>{@code rank} is 1-based in list order; {@code null} fields are left out, as is a non-finite
 * score (JSON has no NaN). {@code FORGET_USER}: a delete-by-query on the {@code user} term, run
 * after everything emitted before it is written, so no earlier document of the user survives.
 *
 * <p>That ordering holds within one sink subtask: with sink parallelism above 1, key the stream by
 * user before the sink ({@code recs.keyBy(r -> r.userId).sinkTo(sink)}) so a user's upserts and
 * forget go through the same writer.
 */
public final class RecommendationDocuments implements ElasticsearchEmitter<Recommendation> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private final String alias;

    /** Writes to {@link RecommendationIndex#DEFAULT_ALIAS}. */
    public RecommendationDocuments() {
        this(RecommendationIndex.DEFAULT_ALIAS);
    }

    public RecommendationDocuments(String alias) {
        this.alias = RecommendationIndex.validAlias(alias);
    }

    /**
     * A sink builder for recommendations on alias {@link RecommendationIndex#DEFAULT_ALIAS} with
     * {@link RecommendationIndex#DEFAULT_REPLICAS} replicas: emitter and index bootstrap are set;
     * set the hosts (and credentials, TLS) and build.
     */
    public static ElasticsearchSinkBuilder<Recommendation> sinkBuilder() {
        return sinkBuilder(RecommendationIndex.DEFAULT_ALIAS, RecommendationIndex.DEFAULT_REPLICAS);
    }

    /** As {@link #sinkBuilder()} with another alias and replica count. */
    public static ElasticsearchSinkBuilder<Recommendation> sinkBuilder(String alias, int replicas) {
        return sinkBuilder(alias, replicas, false);
    }

    /** As above; {@code searchableItems} as in {@link RecommendationIndex#RecommendationIndex(String, int, boolean)}. */
    public static ElasticsearchSinkBuilder<Recommendation> sinkBuilder(
            String alias, int replicas, boolean searchableItems) {
        return ElasticsearchSink.<Recommendation>builder()
                .setEmitter(new RecommendationDocuments(alias))
                .setIndexBootstrap(new RecommendationIndex(alias, replicas, searchableItems));
    }

    /**
     * A sink builder that fills one generation {@code index} of {@code alias} (see
     * {@link IndexGenerations}), e.g. a backfill's fresh index: upserts and forget-user deletes go to
     * {@code index} itself, and the index bootstrap only puts the alias's template (with
     * {@code replicas}). It never creates the alias nor {@code <alias>-000001}, so apps keep reading
     * what the alias points to until {@link IndexGenerations#promote} moves it.
     *
     * @throws IllegalArgumentException when {@code index} is not named {@code <alias>-NNNNNN}
     */
    public static ElasticsearchSinkBuilder<Recommendation> generationSinkBuilder(
            String alias, String index, int replicas) {
        return generationSinkBuilder(alias, index, replicas, false);
    }

    /** As above; {@code searchableItems} as in {@link RecommendationIndex#RecommendationIndex(String, int, boolean)}. */
    public static ElasticsearchSinkBuilder<Recommendation> generationSinkBuilder(
            String alias, String index, int replicas, boolean searchableItems) {
        IndexGenerations generations = new IndexGenerations(alias, replicas, searchableItems);
        if (!generations.isGeneration(index)) {
            throw new IllegalArgumentException("Index '" + index + "' is not a generation of alias '" + alias
                    + "': expected " + alias + "-NNNNNN with six digits, as IndexGenerations.createNext names them");
        }
        return ElasticsearchSink.<Recommendation>builder()
                .setEmitter(new RecommendationDocuments(index)) // the "alias" it writes to is the concrete index
                .setIndexBootstrap(new GenerationTemplate(alias, replicas, searchableItems));
    }

    public String alias() {
        return alias;
    }

    @Override
    public void emit(Recommendation rec, SinkWriter.Context context, RequestIndexer indexer) throws IOException {
        if (rec.op == null) {
            throw new IllegalArgumentException("Recommendation without op: " + rec);
        }
        switch (rec.op) {
            case UPSERT -> indexer.add(indexOperation(rec));
            case FORGET_USER -> indexer.deleteByQuery(alias, forgetQuery(requireUser(rec)));
        }
    }

    /** The bulk index operation for an {@code UPSERT}. */
    public BulkOperation indexOperation(Recommendation rec) {
        requireUser(rec);
        if (rec.eventTime < 0) {
            throw new IllegalArgumentException("Recommendation " + rec.documentId() + " has a negative event time "
                    + rec.eventTime + "; it is the document's external version");
        }
        BinaryData document = BinaryData.of(documentJson(rec), ContentType.APPLICATION_JSON);
        return BulkOperation.of(b -> b.index(i -> i.index(alias)
                .id(rec.documentId())
                .version(rec.eventTime)
                .versionType(VersionType.ExternalGte)
                .document(document)));
    }

    /** Matches every document of {@code userId}. */
    public static Query forgetQuery(String userId) {
        return Query.of(q -> q.term(t -> t.field("user").value(userId)));
    }

    /** The document of an {@code UPSERT} as UTF-8 JSON. */
    public static byte[] documentJson(Recommendation rec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("user", rec.userId);
            g.writeObjectFieldStart("context");
            stringField(g, "geo_cell", rec.geoCell);
            stringField(g, "time_bucket", rec.timeBucket);
            stringField(g, "device", rec.deviceClass);
            g.writeStringField("key", rec.contextKey());
            g.writeEndObject();
            g.writeArrayFieldStart("items");
            RankedItem[] items = rec.items == null ? new RankedItem[0] : rec.items;
            for (int i = 0; i < items.length; i++) {
                RankedItem it = items[i];
                if (it == null) {
                    continue;
                }
                g.writeStartObject();
                stringField(g, "item", it.item);
                g.writeNumberField("rank", i + 1);
                if (Double.isFinite(it.score)) {
                    g.writeNumberField("score", it.score);
                }
                stringField(g, "category", it.category);
                g.writeArrayFieldStart("reasons");
                if (it.reasons != null) {
                    for (String reason : it.reasons) {
                        if (reason != null) {
                            g.writeString(reason);
                        }
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            stringField(g, "model_version", rec.modelVersion);
            g.writeNumberField("profile_events", rec.profileEvents);
            g.writeStringField("event_time", Instant.ofEpochMilli(rec.eventTime).toString());
            g.writeStringField("updated_at", Instant.ofEpochMilli(rec.updatedAt).toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static String requireUser(Recommendation rec) {
        if (rec.userId == null || rec.userId.isEmpty()) {
            throw new IllegalArgumentException("Recommendation without user id: " + rec);
        }
        return rec.userId;
    }

    @Override
    public String toString() {
        return "RecommendationDocuments{alias=" + alias + '}';
    }
}
