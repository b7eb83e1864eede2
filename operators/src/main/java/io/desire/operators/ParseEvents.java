package io.desire.operators;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.event.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and validates raw records. Valid events go to the main output; every rejected record goes
 * to {@link #DEAD_LETTERS} with its reason, origin and raw bytes. It never throws on bad input and
 * keeps no state.
 *
 * <p>Metrics: counters {@value #EVENTS_IN_METRIC} (every record read, valid or not),
 * {@value #DEAD_LETTERS_METRIC} (rejected records) and, per {@link RejectReason},
 * {@value #DEAD_LETTER_REASON_GROUP}{@code .<REASON>} (all registered at open, so every reason
 * reports 0 until it happens). Valid events = {@value #EVENTS_IN_METRIC} − {@value #DEAD_LETTERS_METRIC}.
 */
public class ParseEvents extends ProcessFunction<RawRecord, Event> {
    private static final long serialVersionUID = 1L;

    /** Side output of rejected records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    /** Counter of every record read. */
    public static final String EVENTS_IN_METRIC = "eventsIn";
    /** Counter of rejected records. */
    public static final String DEAD_LETTERS_METRIC = "deadLetters";
    /** Metric group of one counter per reject reason, named after {@link RejectReason#name()}. */
    public static final String DEAD_LETTER_REASON_GROUP = "deadLetterReason";

    private final ParserConfig config;
    private transient EventParser parser;
    private transient Counter eventsIn;
    private transient Counter deadLetters;
    private transient Map<RejectReason, Counter> byReason;

    public ParseEvents(ParserConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new EventParser(config);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter(EVENTS_IN_METRIC);
        deadLetters = metrics.counter(DEAD_LETTERS_METRIC);
        byReason = new EnumMap<>(RejectReason.class);
        MetricGroup reasons = metrics.addGroup(DEAD_LETTER_REASON_GROUP);
        for (RejectReason r : RejectReason.values()) {
            byReason.put(r, reasons.counter(r.name()));
        }
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Event> out) {
        eventsIn.inc(); // every record, so that deadLetters / eventsIn is the rejected share
        ParseOutcome outcome = parser.parse(record);
        if (outcome.isValid()) {
            out.collect(outcome.event());
        } else {
            DeadLetter dl = outcome.deadLetter();
            deadLetters.inc();
            Counter c = byReason.get(RejectReason.valueOf(dl.reason));
            if (c != null) {
                c.inc();
            }
            ctx.output(DEAD_LETTERS, dl);
        }
    }
}
