package io.desire.operators.ranker;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.operators.feedback.FeedbackJoin;
import io.desire.operators.feedback.LabeledExample;
import io.desire.operators.feedback.NegativeSampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns labels into training examples over the features the ranker actually scored: joins each
 * {@link LabeledExample} (from {@link FeedbackJoin}, or from {@link NegativeSampler} where a data set has
 * no impressions) with the latest {@link ServedFeatures} of the same (user, context, item) served at
 * or before the impression, and emits a {@link TrainingExample}.
 *
 * <p><b>Why key by (user, context, item) and not by request:</b> documents are ranked ahead of time
 * and read from Elasticsearch later, so the request id of an impression is created by the app after
 * the ranker scored the item and is unknown to it; sampled examples have no impression or request of
 * their own at all. What both sides do know is the user, the context key and the item.
 *
 * <p><b>No label leakage:</b> only records served at or before the impression time are used (a later
 * re-ranking may already reflect the click). An example is held until the watermark of both inputs
 * reaches its impression time, so every record served up to then has arrived and the join does not
 * depend on which input Flink happened to read first; examples from {@link FeedbackJoin} are emitted
 * after their impression, so they rarely wait. Records served more than {@code retention} before the
 * impression are not used.
 *
 * <p><b>Fallback:</b> when no served record matches (the item was shown from a document ranked before
 * logging started, its record aged out, or the example was sampled), features are rebuilt from the
 * example's item, category and context with an anonymous user and no numeric signals, counted in
 * {@value #REBUILT_METRIC}; with {@code rebuildMissing(false)} such examples are dropped and counted in
 * {@value #DROPPED_METRIC}. Rebuilt vectors lack the user-taste crosses and the ALS, popularity and
 * recency values the ranker sees, so they teach only item and context effects; a high share of
 * rebuilt examples means the serving log does not reach the assembler.
 *
 * <p><b>State</b> per key: {@link ServedHistory} ({@value #SERVED_STATE_NAME}), the newest
 * {@code maxServedPerKey} (default {@value #DEFAULT_MAX_SERVED_PER_KEY}) served records; and the
 * examples waiting for the watermark ({@value #WAITING_STATE_NAME}). <b>TTL:</b> none in Flink's
 * processing-time sense; retention is in event time so that a backfill and a live run assemble the same
 * examples: one event-time timer per key at latest serving time + {@code retention} (default 24 h)
 * clears the history once the key was not served for that long, and each waiting example has a timer
 * at its impression time. A key whose item was not served for {@code retention} and has no waiting
 * example holds no state and no timers. {@code retention} must exceed the feedback window plus the
 * usual time between ranking and impression, else examples fall back to rebuilt features.
 *
 * <p><b>Wiring:</b> {@code labeled.connect(served).keyBy(ExampleAssembler.exampleKeySelector(),
 * ExampleAssembler.servedKeySelector()).process(assembler)}; both inputs need event-time watermarks
 * (examples wait for them). Emitted examples carry the label's decision time in
 * {@link TrainingExample#eventTime}. Metrics: counters {@value #JOINED_METRIC}, {@value #REBUILT_METRIC},
 * {@value #DROPPED_METRIC}, {@value #SERVED_METRIC}.
 */
public class ExampleAssembler extends KeyedCoProcessFunction<String, LabeledExample, ServedFeatures, TrainingExample> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final int DEFAULT_MAX_SERVED_PER_KEY = 4;
    public static final String SERVED_STATE_NAME = "ranker-served-history";
    public static final String WAITING_STATE_NAME = "ranker-examples-waiting";
    public static final String JOINED_METRIC = "rankerExamplesJoined";
    public static final String REBUILT_METRIC = "rankerExamplesRebuilt";
    public static final String DROPPED_METRIC = "rankerExamplesDropped";
    public static final String SERVED_METRIC = "rankerServedRecords";

    /** Separates the parts of a join key; validated ids and context keys never contain it. */
    static final char KEY_SEPARATOR = '\u001f';

    private final RankingFeatures features;
    private final long retention;
    private final int maxServedPerKey;
    private final boolean rebuildMissing;
    private final double negativeWeight;

    private transient ValueState<ServedHistory> history;
    private transient ListState<LabeledExample> waiting;
    private transient Counter joined;
    private transient Counter rebuilt;
    private transient Counter dropped;
    private transient Counter servedRecords;

    /** All defaults (features over the default FTRL space, context crosses on). */
    public ExampleAssembler() {
        this(builder());
    }

    private ExampleAssembler(Builder b) {
        this.features = b.features;
        this.retention = b.retention.toMillis();
        this.maxServedPerKey = b.maxServedPerKey;
        this.rebuildMissing = b.rebuildMissing;
        this.negativeWeight = b.negativeWeight;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ValueStateDescriptor<ServedHistory> createServedStateDescriptor() {
        return new ValueStateDescriptor<>(SERVED_STATE_NAME, TypeInformation.of(ServedHistory.class));
    }

    public static ListStateDescriptor<LabeledExample> createWaitingStateDescriptor() {
        return new ListStateDescriptor<>(WAITING_STATE_NAME, TypeInformation.of(LabeledExample.class));
    }

    /** {@code user U+001F contextKey U+001F item}. */
    public static String joinKey(String userId, String contextKey, String itemId) {
        return userId + KEY_SEPARATOR + contextKey + KEY_SEPARATOR + itemId;
    }

    /** Keys a labelled example by user, the impression's context key and item. */
    public static KeySelector<LabeledExample, String> exampleKeySelector() {
        return x -> joinKey(x.userId, x.contextKey(), x.itemId);
    }

    /** Keys a served record by user, context key and item. */
    public static KeySelector<ServedFeatures, String> servedKeySelector() {
        return ServedFeatures::joinKey;
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(createServedStateDescriptor());
        waiting = getRuntimeContext().getListState(createWaitingStateDescriptor());
        joined = getRuntimeContext().getMetricGroup().counter(JOINED_METRIC);
        rebuilt = getRuntimeContext().getMetricGroup().counter(REBUILT_METRIC);
        dropped = getRuntimeContext().getMetricGroup().counter(DROPPED_METRIC);
        servedRecords = getRuntimeContext().getMetricGroup().counter(SERVED_METRIC);
    }

    @Override
    public void processElement1(LabeledExample x, Context ctx, Collector<TrainingExample> out) throws Exception {
        if (x.impressionTs <= ctx.timerService().currentWatermark()) {
            assemble(x, history.value(), out);
        } else {
            waiting.add(x);
            ctx.timerService().registerEventTimeTimer(x.impressionTs);
        }
    }

    @Override
    public void processElement2(ServedFeatures s, Context ctx, Collector<TrainingExample> out) throws Exception {
        if (s.features == null) {
            return;
        }
        servedRecords.inc();
        ServedHistory h = history.value();
        if (h == null) {
            h = new ServedHistory();
        }
        h.add(s.servedAt, s.features, maxServedPerKey);
        if (h.cleanupAt == ServedHistory.NONE) {
            // one timer per key: when it fires it re-arms at the then-latest serving time + retention
            h.cleanupAt = saturatedAdd(h.latest(), retention);
            ctx.timerService().registerEventTimeTimer(h.cleanupAt);
        }
        history.update(h);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainingExample> out) throws Exception {
        ServedHistory h = history.value();
        // release waiting examples first, so one whose impression is exactly at the cleanup time still joins
        List<LabeledExample> keep = null;
        boolean released = false;
        for (LabeledExample x : waiting.get()) {
            if (x.impressionTs <= timestamp) {
                assemble(x, h, out);
                released = true;
            } else {
                if (keep == null) {
                    keep = new ArrayList<>();
                }
                keep.add(x);
            }
        }
        if (released) {
            if (keep == null) {
                waiting.clear();
            } else {
                waiting.update(keep);
            }
        }
        if (h != null && h.cleanupAt != ServedHistory.NONE && timestamp >= h.cleanupAt) {
            long expiry = saturatedAdd(h.latest(), retention);
            if (expiry <= timestamp) {
                history.clear();
            } else {
                h.cleanupAt = expiry;
                ctx.timerService().registerEventTimeTimer(expiry);
                history.update(h);
            }
        }
    }

    private void assemble(LabeledExample x, ServedHistory h, Collector<TrainingExample> out) {
        HashedFeatures f = h == null ? null : h.latestAtOrBefore(x.impressionTs, x.impressionTs - retention);
        if (f != null) {
            joined.inc();
        } else if (rebuildMissing) {
            f = features.builder()
                    .context(x.geoCell, x.timeBucket, x.deviceClass)
                    .item(x.itemId, x.category)
                    .build();
            rebuilt.inc();
        } else {
            dropped.inc();
            return;
        }
        out.collect(new TrainingExample(f, x.label, x.label == 0 ? negativeWeight : 1.0, x.decisionTs));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** Validated configuration of an {@link ExampleAssembler}; every setter checks its argument at once. */
    public static final class Builder {
        private RankingFeatures features = new RankingFeatures(FeatureHasher.forParams(FtrlParams.defaults()));
        private Duration retention = DEFAULT_RETENTION;
        private int maxServedPerKey = DEFAULT_MAX_SERVED_PER_KEY;
        private boolean rebuildMissing = true;
        private double negativeWeight = 1.0;

        private Builder() {}

        /**
         * How fallback features are built; must be the ranker's {@link RankingFeatures} (same bits, seed
         * and settings). Default: the default FTRL space with context crosses.
         */
        public Builder features(RankingFeatures f) {
            if (f == null) {
                throw new IllegalArgumentException("features must not be null");
            }
            this.features = f;
            return this;
        }

        /** How long, in event time, a served record stays usable; positive, default 24 h. */
        public Builder retention(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retention must be a positive duration, got " + d);
            }
            this.retention = d;
            return this;
        }

        /** Served records kept per (user, context, item); ≥ 1, default {@value #DEFAULT_MAX_SERVED_PER_KEY}. */
        public Builder maxServedPerKey(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxServedPerKey must be ≥ 1, got " + n);
            }
            this.maxServedPerKey = n;
            return this;
        }

        /** Whether examples without served features are trained on rebuilt features (default) or dropped. */
        public Builder rebuildMissing(boolean rebuild) {
            this.rebuildMissing = rebuild;
            return this;
        }

        /**
         * Importance weight of negatives, e.g. 1/r when only a fraction r of negatives is kept upstream;
         * positive and finite, default 1.
         */
        public Builder negativeWeight(double w) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("negativeWeight must be positive and finite, got " + w);
            }
            this.negativeWeight = w;
            return this;
        }

        public ExampleAssembler build() {
            return new ExampleAssembler(this);
        }
    }
}
