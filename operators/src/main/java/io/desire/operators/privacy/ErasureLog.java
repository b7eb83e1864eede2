package io.desire.operators.privacy;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.privacy.Erasure;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each {@code forget_user} event (after pseudonymisation and de-duplication, so it carries the
 * pseudonym and counts once) into an {@link Erasure} record of the erasure log; every other event is
 * ignored. Stateless.
 */
public class ErasureLog extends ProcessFunction<Event, Erasure> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Event e, Context ctx, Collector<Erasure> out) {
        if (e.type == EventType.FORGET_USER && e.userId != null) {
            out.collect(
                    new Erasure(e.userId, e.ts, e.eventId, ctx.timerService().currentProcessingTime()));
        }
    }
}
