package io.desire.operators;

import io.desire.features.event.Event;
import io.desire.features.profile.EventWeights;
import io.desire.features.ranking.TrendingItems;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What earlier versions of {@link ContextTrending} wrote before any window fired, for restore tests:
 * map item → {@link ItemPanes} under {@value ContextTrending#LEGACY_STATE_NAME}, with users map user →
 * {@link UserPanes} under {@value ContextTrending#LEGACY_USER_STATE_NAME}, and a timer at the end of
 * each pane.
 */
final class EarlierContextTrending extends KeyedProcessFunction<String, Event, TrendingItems> {
    private final long slide;
    private final EventWeights weights;
    private final boolean users;
    private transient MapState<String, ItemPanes> items;
    private transient MapState<String, UserPanes> userPanes;

    EarlierContextTrending(long slideMillis, EventWeights weights, boolean users) {
        this.slide = slideMillis;
        this.weights = weights;
        this.users = users;
    }

    @Override
    public void open(OpenContext openContext) {
        items = getRuntimeContext().getMapState(ContextTrending.createLegacyStateDescriptor());
        userPanes = getRuntimeContext().getMapState(ContextTrending.createLegacyUserStateDescriptor());
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<TrendingItems> out) throws Exception {
        long pane = Math.floorDiv(e.ts, slide) * slide;
        ItemPanes item = items.get(e.itemId);
        if (item == null) {
            item = new ItemPanes();
        }
        int i = Arrays.binarySearch(item.paneStarts, pane);
        if (i < 0) {
            i = -i - 1;
            item.paneStarts = insert(item.paneStarts, i, pane);
            double[] w = new double[item.weights.length + 1];
            System.arraycopy(item.weights, 0, w, 0, i);
            System.arraycopy(item.weights, i, w, i + 1, item.weights.length - i);
            item.weights = w;
        }
        item.weights[i] += weights.weight(e.type, e.value);
        if (e.category != null) {
            item.category = e.category;
        }
        items.put(e.itemId, item);
        if (users && e.userId != null) {
            UserPanes user = userPanes.get(e.userId);
            if (user == null) {
                user = new UserPanes();
            }
            boolean seen = false;
            for (int j = 0; j < user.paneStarts.length; j++) {
                seen |= user.paneStarts[j] == pane && user.items[j].equals(e.itemId);
            }
            if (!seen) { // events arrive in pane order here: append
                user.paneStarts = insert(user.paneStarts, user.paneStarts.length, pane);
                user.items = Arrays.copyOf(user.items, user.items.length + 1);
                user.items[user.items.length - 1] = e.itemId;
            }
            userPanes.put(e.userId, user);
        }
        ctx.timerService().registerEventTimeTimer(pane + slide - 1);
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] b = new long[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = v;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }
}
