package io.desire.operators.privacy;

import io.desire.features.event.Event;
import io.desire.features.privacy.PseudonymKeySource;
import io.desire.features.privacy.Pseudonymizer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Replaces every event's {@code user_id} by its pseudonym ({@link Pseudonymizer}: {@code k1:} and 32
 * hex digits of HMAC-SHA256) right after parsing, so no stage after it — state, loop topics,
 * documents — ever sees a raw user id. Item events (no user) pass unchanged. Stateless.
 *
 * <p>The key is read in {@link #open} on the task manager from its {@link PseudonymKeySource} (a key
 * file or an environment variable); only the location travels with the job graph, and neither the
 * key nor any id is logged. Metric: counter {@value #PSEUDONYMIZED_METRIC}.
 */
public class PseudonymizeUsers extends RichMapFunction<Event, Event> {
    private static final long serialVersionUID = 1L;

    /** Counter of events whose user id was replaced. */
    public static final String PSEUDONYMIZED_METRIC = "userIdsPseudonymized";

    private final PseudonymKeySource keySource;
    private transient Pseudonymizer pseudonymizer;
    private transient Counter replaced;

    public PseudonymizeUsers(PseudonymKeySource keySource) {
        if (keySource == null) {
            throw new IllegalArgumentException("keySource must not be null");
        }
        this.keySource = keySource;
    }

    @Override
    public void open(OpenContext openContext) {
        pseudonymizer = Pseudonymizer.from(keySource);
        replaced = getRuntimeContext().getMetricGroup().counter(PSEUDONYMIZED_METRIC);
    }

    @Override
    public Event map(Event e) {
        if (e.userId != null) {
            e.userId = pseudonymizer.pseudonym(e.userId);
            replaced.inc();
        }
        return e;
    }
}
