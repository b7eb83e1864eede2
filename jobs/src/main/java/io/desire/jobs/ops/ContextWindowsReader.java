package io.desire.jobs.ops;

import io.desire.operators.ContextTrending;
import io.desire.operators.PaneTotals;
import io.desire.operators.PendingPane;
import io.desire.operators.Uids;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The context windows of a savepoint as one logical value per context: the panes in keyed state plus
 * the increments the operator had buffered at the snapshot (its union list state), summed per (pane,
 * item). So two savepoints of the same events compare equal whether or not a window fired, and so
 * wrote its buffer, before the snapshot.
 */
final class ContextWindowsReader {
    /** Label of the rows {@link #read} emits: {label, context, pane start, item, weight, category}. */
    static final String PART = "context window part";

    private ContextWindowsReader() {}

    /** One row per (context, pane, item) from keyed state and one per buffered one. */
    static DataStream<String[]> read(SavepointReader savepoint) throws Exception {
        OperatorIdentifier uid = OperatorIdentifier.forUid(Uids.CONTEXT_TRENDING);
        DataStream<String[]> stored = savepoint.readKeyedState(uid, new StoredPanes());
        DataStream<String[]> buffered = savepoint
                .readUnionState(uid, ContextTrending.PENDING_STATE_NAME, TypeInformation.of(PendingPane.class))
                .flatMap((PendingPane p, Collector<String[]> out) -> rows(p.contextKey, p.paneStart, p.totals, out))
                .returns(String[].class);
        return stored.union(buffered);
    }

    /** Sums the rows of {@link #read} into context → {pane start → {item → {weight, category}}}. */
    static Map<String, Map<Long, Map<String, Map<String, Object>>>> merge(List<String[]> rows) {
        Map<String, Map<Long, Map<String, Map<String, Object>>>> contexts = new TreeMap<>();
        for (String[] row : rows) {
            Map<String, Object> item = contexts.computeIfAbsent(row[1], k -> new TreeMap<>())
                    .computeIfAbsent(Long.parseLong(row[2]), k -> new TreeMap<>())
                    .computeIfAbsent(row[3], k -> new HashMap<>());
            item.merge("weight", Double.parseDouble(row[4]), (a, b) -> (Double) a + (Double) b);
            if (row[5] != null) {
                item.put("category", row[5]);
            }
        }
        return contexts;
    }

    private static void rows(String context, long pane, PaneTotals totals, Collector<String[]> out) {
        for (int i = 0; i < totals.items.length; i++) {
            out.collect(new String[] {
                PART,
                context,
                Long.toString(pane),
                totals.items[i],
                Double.toString(totals.weights[i]),
                totals.categories[i]
            });
        }
    }

    /** The keyed panes of each context as rows. */
    private static final class StoredPanes extends KeyedStateReaderFunction<String, String[]> {
        private transient MapState<Long, PaneTotals> panes;

        @Override
        public void open(OpenContext context) {
            panes = getRuntimeContext().getMapState(ContextTrending.createStateDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String[]> out) throws Exception {
            for (Map.Entry<Long, PaneTotals> e : panes.entries()) {
                rows(key, e.getKey(), e.getValue(), out);
            }
        }
    }
}
