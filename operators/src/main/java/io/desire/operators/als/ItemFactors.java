package io.desire.operators.als;

import io.desire.features.als.FoldIn;
import io.desire.operators.CoalescedEmission;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The item side of online ALS: keeps each item's factor vector, moves it on every interaction, and
 * publishes it as a versioned {@link ItemFactorUpdate} at most once per interval.
 *
 * <p><b>Update.</b> Each {@link UserFactorUpdate} (keyed by item) applies {@link FoldIn#incremental}
 * — the single-interaction update of Oryx 2's speed layer ({@code ALSUtils.computeUpdatedXu}):
 * {@code y' = y + G⁻¹·x·(target − x·y)}, the target being the rating (explicit) or, implicit, a
 * share {@code v/(1+v)} of the way to 1 for evidence {@code v = c − 1}. Oryx takes {@code G = XᵀX +
 * λI} from its in-memory copy of all user vectors; keyed by item, this operator has no such copy, so
 * {@code G = x·xᵀ/η + λI} — the interaction's own information scaled by the learning rate η —
 * which makes the step a relaxed, regularised Kaczmarz projection (normalised LMS; the squared-loss
 * kin of the passive-aggressive updates of Crammer et al. 2006) {@code y' = y + η·x·(target − x·y) /
 * (‖x‖² + ηλ)}: one interaction closes at most a
 * share η of the gap and never overshoots, whatever the scale of {@code x}. λ damps steps from
 * near-zero user vectors and the {@link AlsConfig#maxNorm() norm cap} bounds every vector. A new
 * item starts from the vector the user side assumed for it ({@link UserFactorUpdate#itemFactors}),
 * else from {@link AlsConfig#initialItemVector}.
 *
 * <p><b>Publication is coalesced.</b> The first change after a publication registers ONE
 * processing-time timer at {@code now + updateInterval} (default 1 s); further changes register
 * nothing. When it fires, the item's vector is emitted with {@code version + 1} — per item the
 * version only grows, also across restores, since it lives in keyed state — and the largest event
 * time it reflects. Processing-time timers do not fire at the end of a bounded input, so each
 * pending period also registers an event-time timer at {@link Long#MAX_VALUE}, which the final
 * watermark fires; whichever fires first deletes the other. A new item is published even if its
 * first interaction did not move it, so the user side's table learns it exists.
 *
 * <p><b>State</b> ({@value #STATE_NAME}): one {@link ItemFactorState} per item — vector, version,
 * event time, pending count and timer bookkeeping; k·8 B plus ~40 B per item, on RocksDB. <b>TTL:
 * none</b>: the vector is the model, and an expired item would restart at version 0 from its
 * initial vector while every user side still holds its published version — readers would ignore it
 * (version only grows) and the two sides would disagree. Remove items with tombstones instead.
 *
 * <p>Metrics: counters {@value #INTERACTIONS_METRIC}, {@value #PUBLISHED_METRIC}, {@value
 * #REJECTED_METRIC} (updates without user vector or of the wrong rank); gauge {@value
 * #VERSION_METRIC}: the largest item version this subtask has published since it started.
 * Accumulators for {@link AlsLoopCounts}: updates received, items with a period pending, vectors
 * published.
 */
public class ItemFactors extends KeyedProcessFunction<String, UserFactorUpdate, ItemFactorUpdate> {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "als-item-factors";
    public static final String INTERACTIONS_METRIC = "alsItemInteractions";
    public static final String PUBLISHED_METRIC = "alsItemVersionsPublished";
    public static final String REJECTED_METRIC = "alsItemRejectedUpdates";
    public static final String VERSION_METRIC = "alsItemModelVersion";

    private final AlsConfig config;

    private transient ValueState<ItemFactorState> state;
    private transient FoldIn foldIn;
    private transient Counter interactions;
    private transient Counter published;
    private transient Counter rejected;
    private transient long maxVersion;
    private transient LongCounter updatesReceived;
    private transient LongCounter vectorsPending;
    private transient LongCounter vectorsPublished;

    public ItemFactors(AlsConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
    }

    /** The per-item state descriptor; no TTL (see the class comment). */
    public static ValueStateDescriptor<ItemFactorState> createStateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(ItemFactorState.class));
    }

    /** Keys by item id. */
    public static KeySelector<UserFactorUpdate, String> keySelector() {
        return u -> u.itemId;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(createStateDescriptor());
        foldIn = config.foldIn();
        var metrics = getRuntimeContext().getMetricGroup();
        interactions = metrics.counter(INTERACTIONS_METRIC);
        published = metrics.counter(PUBLISHED_METRIC);
        updatesReceived = new LongCounter();
        getRuntimeContext().addAccumulator(AlsLoopCounts.UPDATES_RECEIVED_ACCUMULATOR, updatesReceived);
        vectorsPending = new LongCounter();
        getRuntimeContext().addAccumulator(AlsLoopCounts.VECTORS_PENDING_ACCUMULATOR, vectorsPending);
        vectorsPublished = new LongCounter();
        getRuntimeContext().addAccumulator(AlsLoopCounts.VECTORS_PUBLISHED_ACCUMULATOR, vectorsPublished);
        rejected = metrics.counter(REJECTED_METRIC);
        metrics.gauge(VERSION_METRIC, () -> maxVersion);
    }

    @Override
    public void processElement(UserFactorUpdate u, Context ctx, Collector<ItemFactorUpdate> out) throws Exception {
        updatesReceived.add(1);
        int k = config.rank();
        if (u == null || u.itemId == null || u.userFactors == null || u.userFactors.length != k) {
            rejected.inc();
            return;
        }
        interactions.inc();
        ItemFactorState s = state.value();
        boolean wasPending = s != null && CoalescedEmission.pending(s);
        if (s == null) {
            s = new ItemFactorState();
            s.factors = u.itemFactors != null && u.itemFactors.length == k
                    ? u.itemFactors.clone()
                    : config.initialItemVector(u.itemId);
        }
        double[] moved = foldIn.incremental(s.factors, u.userFactors, evidence(u), stepFactor(u.userFactors));
        if (moved != null) {
            s.factors = moved;
        }
        if (moved != null || s.version == 0) {
            s.pendingUpdates++;
            CoalescedEmission.schedule(s, ctx.timerService(), config.updateIntervalMillis());
        }
        s.eventTime = Math.max(s.eventTime, u.eventTime);
        if (u.category != null && !u.category.equals(s.category)) {
            s.category = u.category;
            s.pendingUpdates++;
            CoalescedEmission.schedule(s, ctx.timerService(), config.updateIntervalMillis());
        }
        if (!wasPending && CoalescedEmission.pending(s)) {
            vectorsPending.add(1);
        }
        state.update(s);
    }

    /** The value {@link FoldIn#incremental} expects: the rating, or signed evidence {@code c − 1}. */
    private double evidence(UserFactorUpdate u) {
        if (!config.implicit()) {
            return u.preference;
        }
        double v = Math.max(0, u.confidence - 1);
        return u.preference > 0 ? v : -v;
    }

    /** Cholesky factor of {@code x·xᵀ/η + λI}: see the class comment. */
    private double[] stepFactor(double[] x) {
        int k = x.length;
        double[] g = new double[k * k];
        ItemFactorTable.addOuter(g, x, 1.0 / config.itemLearningRate());
        return foldIn.factorForIncremental(g);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemFactorUpdate> out) throws Exception {
        ItemFactorState s = state.value();
        if (s == null) {
            return;
        }
        if (!CoalescedEmission.fire(s, timestamp, ctx.timeDomain(), ctx.timerService())) {
            return;
        }
        vectorsPending.add(-1);
        if (s.nextVersion()) {
            out.collect(new ItemFactorUpdate(ctx.getCurrentKey(), s.factors.clone(), s.version, s.eventTime)
                    .withCategory(s.category));
            published.inc();
            vectorsPublished.add(1);
            maxVersion = Math.max(maxVersion, s.version);
        }
        state.update(s);
    }
}
