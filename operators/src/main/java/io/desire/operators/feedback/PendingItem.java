package io.desire.operators.feedback;

/**
 * Keyed state of {@link FeedbackJoin}: what is known about one item of one request while its label is
 * open. Either an impression (possibly already decided positive, kept until its window closes so that
 * repeated clicks and duplicate impressions cannot produce a second example), or, before the
 * impression arrived, the click/purchase times buffered for it. A Flink POJO.
 */
public class PendingItem {
    /** Marks "not seen" in the time fields. */
    public static final long NONE = Long.MIN_VALUE;

    public String userId;
    public String category;
    public String geoCell;
    public String timeBucket;
    public String deviceClass;
    /** Event time of the impression, {@link #NONE} while only feedback was seen. */
    public long impressionTs = NONE;
    /** Whether the positive example was already emitted. */
    public boolean decided;
    /** Earliest and latest buffered click/purchase that arrived before the impression; {@link #NONE} if none. */
    public long firstFeedbackTs = NONE;

    public long lastFeedbackTs = NONE;
    /** Event time at which this entry is removed (and, if undecided, labelled negative); a timer is registered there. */
    public long expiresAt;

    public PendingItem() {}

    public boolean hasImpression() {
        return impressionTs != NONE;
    }
}
