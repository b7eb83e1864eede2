package io.desire.operators;

import io.desire.features.ranking.TopItems;
import io.desire.features.ranking.TrendingItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Global popularity: merges the per-context {@link TrendingItems} of {@link ContextTrending} for each
 * window into one top-K list (default 50) with context key {@link TrendingItems#GLOBAL}.
 *
 * <p>It runs at window rate, not event rate: its input is at most one record per context per slide,
 * keyed by the window's end, so each window's lists meet in one key and pending windows — many, while
 * a backfill or a catch-up runs ahead of the watermark — are kept apart. An item's global score is
 * the sum of its scores in the contexts whose top K it made, so it is exact for items in every
 * context's top K and a lower bound otherwise (an item that is moderately popular everywhere but
 * never in any context's top K is missed).
 *
 * <p><b>State:</b> the window's per-context lists received and not yet merged ({@value #STATE_NAME},
 * appended without reading, so each arrival is cheap on RocksDB) and one event-time timer at {@code
 * windowEnd − 1}. <b>TTL:</b> none; the timer merges the window's lists once the watermark says every
 * context has reported and clears them. Lists arriving after their window was merged are dropped and
 * counted in {@value #LATE_METRIC}; records that are already global are ignored. (Savepoints of
 * versions that used one constant key hold pending lists of several windows under it; its timers
 * merge each window's share.)
 *
 * <p>Wiring: {@code contextTrending.keyBy(GlobalPopularity.keySelector())}; needs the watermarks that
 * flow out of {@link ContextTrending}.
 */
public class GlobalPopularity extends KeyedProcessFunction<String, TrendingItems, TrendingItems> {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TOP_K = 50;
    public static final String STATE_NAME = "global-partials";
    public static final String LATE_METRIC = "latePartialsDropped";

    private final int topK;

    private transient ListState<TrendingItems> partials;
    private transient Counter late;

    public GlobalPopularity() {
        this(DEFAULT_TOP_K);
    }

    /** @param topK items in the global list; ≥ 1 */
    public GlobalPopularity(int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be ≥ 1, got " + topK);
        }
        this.topK = topK;
    }

    public static ListStateDescriptor<TrendingItems> createStateDescriptor() {
        return new ListStateDescriptor<>(STATE_NAME, TypeInformation.of(TrendingItems.class));
    }

    /** The window's end (as text: the key type of earlier versions), so a window's lists meet in one key. */
    public static KeySelector<TrendingItems, String> keySelector() {
        return t -> Long.toString(t.windowEnd);
    }

    @Override
    public void open(OpenContext openContext) {
        partials = getRuntimeContext().getListState(createStateDescriptor());
        late = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
    }

    @Override
    public void processElement(TrendingItems t, Context ctx, Collector<TrendingItems> out) throws Exception {
        if (TrendingItems.GLOBAL.equals(t.contextKey) || t.size() == 0) {
            return;
        }
        if (t.windowEnd - 1 <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        partials.add(t);
        ctx.timerService().registerEventTimeTimer(t.windowEnd - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingItems> out) throws Exception {
        long end = timestamp + 1;
        Map<String, Double> scores = new HashMap<>();
        Map<String, String> categories = new HashMap<>();
        List<TrendingItems> later = new ArrayList<>();
        Iterable<TrendingItems> all = partials.get();
        if (all != null) {
            for (TrendingItems t : all) {
                if (t.windowEnd > end) {
                    later.add(t);
                } else if (t.windowEnd == end) {
                    for (int i = 0; i < t.size(); i++) {
                        scores.merge(t.items[i], t.scores[i], Double::sum);
                        if (t.categories != null && t.categories[i] != null) {
                            categories.putIfAbsent(t.items[i], t.categories[i]);
                        }
                    }
                }
            }
        }
        if (later.isEmpty()) {
            partials.clear();
        } else {
            partials.update(later);
        }
        if (scores.isEmpty()) {
            return;
        }
        TopItems top = new TopItems(topK);
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            top.offer(e.getKey(), e.getValue(), categories.get(e.getKey()));
        }
        out.collect(top.toTrending(TrendingItems.GLOBAL, end));
    }
}
