package io.desire.operators;

import io.desire.features.event.Event;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Forwards the first event of each {@code event_id} and drops later copies, so that "the same
 * {@code event_id} seen twice counts once".
 *
 * <p><b>State:</b> one {@code Boolean} per event id ({@value #STATE_NAME}), only to remember that the
 * id was seen. <b>TTL:</b> configurable, default {@link #DEFAULT_TTL 24 h} of processing time since
 * the first copy, cleaned up by the RocksDB compaction filter; a copy arriving later than the TTL is
 * forwarded again. Because the TTL runs on processing time, a fast backfill remembers every id it
 * replays within the TTL, so its state grows with the number of events replayed.
 *
 * <p>Wiring: key by {@link #keySelector()} (the event id). Metric: counter
 * {@value #DUPLICATES_METRIC}.
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final String STATE_NAME = "dedup-seen";
    public static final String DUPLICATES_METRIC = "duplicatesDropped";

    private final Duration ttl;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateEvents() {
        this(DEFAULT_TTL);
    }

    /** @param ttl how long an event id is remembered, in processing time; positive */
    public DeduplicateEvents(Duration ttl) {
        this.ttl = StateTtl.requirePositive("ttl", ttl);
    }

    /** The descriptor of the "seen" flag, with the TTL of {@code ttl}. */
    public static ValueStateDescriptor<Boolean> createStateDescriptor(Duration ttl) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>(STATE_NAME, Types.BOOLEAN);
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /** Keys events by event id. */
    public static KeySelector<Event, String> keySelector() {
        return e -> e.eventId;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(createStateDescriptor(ttl));
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES_METRIC);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(event);
    }
}
