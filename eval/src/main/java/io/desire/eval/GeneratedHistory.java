package io.desire.eval;

import io.desire.features.event.ParserConfig;
import io.desire.jobs.history.HistoryFormat;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A {@link History} of generated traffic ({@link EventGenerator}): the catalogue, then behaviour
 * events with planted tastes and context effects, read through the live pipeline's parser as a JSONL
 * file would be. Deterministic for a seed.
 */
public final class GeneratedHistory {

    /** First instant of generated traffic: 2026-01-01T00:00Z. */
    static final long GENERATED_START = 1_767_225_600_000L;
    /** Generated traffic spans this many days, so every context (daypart, weekpart) is visited. */
    static final long GENERATED_DAYS = 28;

    static final double GENERATED_MALFORMED_RATE = 0.001;
    static final double GENERATED_DUPLICATE_RATE = 0.001;

    private GeneratedHistory() {}

    /**
     * {@code events} behaviour events (after the catalog) of a {@link World} of {@code users} ×
     * {@code items}, spread evenly over {@value #GENERATED_DAYS} days, with a small share of
     * malformed and repeated records so the bad-line path is exercised.
     */
    public static History of(int events, int users, int items, long seed) {
        return of(events, users, items, seed, false);
    }

    /** As {@link #of(int, int, int, long)}; with {@code keepRaw}, each row keeps its event JSON. */
    public static History of(int events, int users, int items, long seed, boolean keepRaw) {
        World world = new World(users, items, seed);
        EventGenerator generator = new EventGenerator(world, seed, GENERATED_MALFORMED_RATE, GENERATED_DUPLICATE_RATE);
        long span = GENERATED_DAYS * 86_400_000L;
        long end = GENERATED_START + span;
        ParserConfig config = ParserConfig.builder()
                .clock(Clock.fixed(Instant.ofEpochMilli(end + 86_400_000L), ZoneOffset.UTC))
                .build();
        String source = "generated: " + events + " events, " + users + " users, " + items + " items, seed " + seed;
        HistorySink sink = new HistorySink(new LoadReport(source, "generated"), config, keepRaw, HistoryFormat.JSONL);
        long n = 0;
        while (generator.inCatalogPhase()) {
            sink.accept(generator.next(GENERATED_START), "generated#" + (++n));
        }
        for (int e = 0; e < events; e++) {
            long ts = GENERATED_START + (long) ((double) span * e / events);
            sink.accept(generator.next(ts), "generated#" + (++n));
        }
        return sink.finish();
    }
}
