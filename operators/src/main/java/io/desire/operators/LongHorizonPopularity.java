package io.desire.operators;

import io.desire.features.ranking.ScoreTally;
import io.desire.features.ranking.TrendingItems;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Long-horizon popularity: what has been popular over days to weeks, not only in the last trending
 * window. Each {@link TrendingItems#GLOBAL global} window list of {@link GlobalPopularity} is added
 * into exponentially decayed scores ({@code score·2^(−Δt/halfLife)} by event time, half-life
 * {@code popularity.half-life}, default {@value #DEFAULT_HALF_LIFE_DAYS} days), and the best {@code
 * size} items are published as the list of context key {@link TrendingItems#POPULAR} after each
 * window: the serving path's {@code popular} source and its back-fill of last resort.
 *
 * <p>Window lists overlap (a sliding window counts each event window/slide times), which scales
 * every item alike and leaves the order unchanged. It runs at window rate on one key.
 *
 * <p><b>State</b> ({@value #STATE_NAME}): one {@link TrendingItems} of at most {@code 2·size} items,
 * scores expressed at its {@code windowEnd}. <b>TTL:</b> none: it is one bounded value, the model of
 * what is popular. Windows older than the state's are ignored (the decay would add them at the
 * wrong time).
 */
public class LongHorizonPopularity extends KeyedProcessFunction<String, TrendingItems, TrendingItems> {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "long-horizon-popularity";
    public static final long DEFAULT_HALF_LIFE_DAYS = 30;
    public static final int DEFAULT_SIZE = 200;

    private final long halfLifeMillis;
    private final int size;

    private transient ValueState<TrendingItems> state;

    public LongHorizonPopularity(Duration halfLife, int size) {
        if (halfLife == null || halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("popularity half-life must be positive, got " + halfLife);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be ≥ 1, got " + size);
        }
        this.halfLifeMillis = halfLife.toMillis();
        this.size = size;
    }

    public static ValueStateDescriptor<TrendingItems> createStateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(TrendingItems.class));
    }

    /** One key for all: the input is the global list, one record per window. */
    public static KeySelector<TrendingItems, String> keySelector() {
        return t -> TrendingItems.POPULAR;
    }

    /** Only the global window lists feed it. */
    public static boolean isInput(TrendingItems t) {
        return t != null && TrendingItems.GLOBAL.equals(t.contextKey);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(createStateDescriptor());
    }

    @Override
    public void processElement(TrendingItems window, Context ctx, Collector<TrendingItems> out) throws Exception {
        if (!isInput(window)) {
            return;
        }
        TrendingItems current = state.value();
        if (current != null && window.windowEnd < current.windowEnd) {
            return;
        }
        TrendingItems merged = merge(current, window, halfLifeMillis, 2 * size);
        state.update(merged);
        out.collect(top(merged, size));
    }

    /** {@code current} decayed to the window's end plus the window's scores, the best {@code keep} items. */
    static TrendingItems merge(TrendingItems current, TrendingItems window, long halfLifeMillis, int keep) {
        ScoreTally tally = new ScoreTally();
        // The window first: where both know an item's category, the window's (the latest) is kept.
        for (int i = 0; i < window.size(); i++) {
            tally.add(
                    window.items[i],
                    Math.max(0, window.scores[i]),
                    window.categories == null ? null : window.categories[i]);
        }
        if (current != null) {
            double decay = Math.pow(0.5, (window.windowEnd - current.windowEnd) / (double) halfLifeMillis);
            for (int i = 0; i < current.size(); i++) {
                tally.add(
                        current.items[i],
                        current.scores[i] * decay,
                        current.categories == null ? null : current.categories[i]);
            }
        }
        ScoreTally.Top top = tally.top(keep);
        return new TrendingItems(TrendingItems.POPULAR, window.windowEnd, top.items(), top.scores(), top.categories());
    }

    private static TrendingItems top(TrendingItems t, int n) {
        if (t.size() <= n) {
            return t;
        }
        return new TrendingItems(
                t.contextKey,
                t.windowEnd,
                java.util.Arrays.copyOf(t.items, n),
                java.util.Arrays.copyOf(t.scores, n),
                java.util.Arrays.copyOf(t.categories, n));
    }
}
