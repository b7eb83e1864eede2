package io.desire.features.recs;

import io.desire.features.context.ContextDefaults;
import java.util.Arrays;

/**
 * What the engine publishes for apps: the ranked list for one (user, context), or the erasure of a
 * user's documents. A Flink POJO.
 *
 * <p>{@link #documentId()} is deterministic in (user, context), so replays overwrite instead of
 * duplicating; {@link #eventTime} only grows per document and serves as its external version, so a
 * replay never makes a document older.
 */
public class Recommendation {

    /** What the sink does with this record. */
    public enum Op {
        /** Index (create or replace) the document of (user, context). */
        UPSERT,
        /** Delete every document of the user (right to be forgotten). */
        FORGET_USER
    }

    public Op op;
    public String userId;
    public String geoCell;
    public String timeBucket;
    public String deviceClass;
    public RankedItem[] items;
    /** Latest event time (epoch ms) reflected in this document; its version. */
    public long eventTime;
    /** Wall-clock time (epoch ms) at which the engine produced this document. */
    public long updatedAt;
    /** Version of the ranking model that ordered the items. */
    public String modelVersion;
    /** Events of the user the profile behind this list had applied ({@code UserProfile#events}). */
    public long profileEvents;

    public Recommendation() {}

    public static Recommendation upsert(
            String userId,
            String geoCell,
            String timeBucket,
            String deviceClass,
            RankedItem[] items,
            long eventTime,
            long updatedAt,
            String modelVersion) {
        Recommendation r = new Recommendation();
        r.op = Op.UPSERT;
        r.userId = userId;
        r.geoCell = geoCell;
        r.timeBucket = timeBucket;
        r.deviceClass = deviceClass;
        r.items = items;
        r.eventTime = eventTime;
        r.updatedAt = updatedAt;
        r.modelVersion = modelVersion;
        return r;
    }

    public static Recommendation forgetUser(String userId, long eventTime, long updatedAt) {
        Recommendation r = new Recommendation();
        r.op = Op.FORGET_USER;
        r.userId = userId;
        r.items = new RankedItem[0];
        r.eventTime = eventTime;
        r.updatedAt = updatedAt;
        return r;
    }

    public String contextKey() {
        return ContextDefaults.contextKey(geoCell, timeBucket, deviceClass);
    }

    /** The Elasticsearch document id: {@code user:geoCell:timeBucket:deviceClass}. */
    public String documentId() {
        return documentId(userId, contextKey());
    }

    public static String documentId(String userId, String contextKey) {
        return userId + ContextDefaults.SEPARATOR + contextKey;
    }

    @Override
    public String toString() {
        return "Recommendation{" + op + ' ' + (op == Op.UPSERT ? documentId() : userId) + " t=" + eventTime + ' '
                + Arrays.toString(items) + '}';
    }
}
