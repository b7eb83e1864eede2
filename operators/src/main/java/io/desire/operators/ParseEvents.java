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
 * to {@link #DEAD_LETTERS} with its reason, origin and raw bytes, and is counted in the metric
 * {@code deadLetters} and in {@code deadLetters.<REASON>}. It never throws on bad input and keeps no
 * state.
 */
public class ParseEvents extends ProcessFunction<RawRecord, Event> {
    private static final long serialVersionUID = 1L;

    /** Side output of rejected records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

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
        eventsIn = metrics.counter("eventsIn");
        deadLetters = metrics.counter("deadLetters");
        byReason = new EnumMap<>(RejectReason.class);
        MetricGroup reasons = metrics.addGroup("deadLetterReason");
        for (RejectReason r : RejectReason.values()) {
            byReason.put(r, reasons.counter(r.name()));
        }
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Event> out) {
        ParseOutcome outcome = parser.parse(record);
        if (outcome.isValid()) {
            eventsIn.inc();
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
