package io.desire.operators;

import io.desire.features.event.Event;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Forwards the first event of each {@code event_id} and drops later copies, so that "the same
 * {@code event_id} seen twice counts once".
 *
 * <p>It is keyed like the catalog step ({@link #keySelector()}: the item id, or the user for events
 * without an item), because every copy of a retried event carries the same item and user. That lets
 * the catalog step follow without another network exchange
 * ({@code DataStreamUtils.reinterpretAsKeyedStream}), and an event id is looked up only among the
 * ids of one item. Two different events that share an id but not an item are both kept.
 *
 * <p><b>State:</b> one {@code Boolean} per event id within the key ({@value #STATE_NAME}), only to
 * remember that the id was seen. <b>TTL:</b> configurable, default {@link #DEFAULT_TTL 24 h} of processing time since
 * the first copy, cleaned up by the RocksDB compaction filter; a copy arriving later than the TTL is
 * forwarded again. Because the TTL runs on processing time, a fast backfill remembers every id it
 * replays within the TTL, so its state grows with the number of events replayed.
 *
 * <p>Wiring: key by {@link #keySelector()}. Metric: counter
 * {@value #DUPLICATES_METRIC}.
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final String STATE_NAME = "dedup-seen";
    public static final String DUPLICATES_METRIC = "duplicatesDropped";

    private final Duration ttl;

    private transient MapState<String, Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateEvents() {
        this(DEFAULT_TTL);
    }

    /** @param ttl how long an event id is remembered, in processing time; positive */
    public DeduplicateEvents(Duration ttl) {
        this.ttl = StateTtl.requirePositive("ttl", ttl);
    }

    /** The descriptor of the "seen" flag, with the TTL of {@code ttl}. */
    public static MapStateDescriptor<String, Boolean> createStateDescriptor(Duration ttl) {
        MapStateDescriptor<String, Boolean> d = new MapStateDescriptor<>(STATE_NAME, Types.STRING, Types.BOOLEAN);
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /** Keys events as the catalog step does: by item id, or by user for events without an item. */
    public static KeySelector<Event, String> keySelector() {
        return EnrichFromCatalog.keySelector();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(createStateDescriptor(ttl));
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES_METRIC);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        if (seen.contains(event.eventId)) {
            duplicates.inc();
            return;
        }
        seen.put(event.eventId, Boolean.TRUE);
        out.collect(event);
    }
}
