package io.desire.tools.bench;

import io.desire.features.event.RawRecord;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded Flink source of generated events for benchmarks and backfill-style runs: each subtask
 * runs its own {@link EventGenerator} on a simulated clock advancing {@code 1000 / eventsPerSecond}
 * ms per event (across all subtasks), so event time moves like a live stream's without waiting.
 */
public final class GeneratedRawRecords implements GeneratorFunction<Long, RawRecord> {
    private static final long serialVersionUID = 1L;

    private final int users;
    private final int items;
    private final long seed;
    private final long startMillis;
    private final double simulatedEventsPerSecond;
    private transient EventGenerator generator;
    private transient double millisPerEvent;
    private transient long produced;
    private transient String source;

    public GeneratedRawRecords(int users, int items, long seed, long startMillis, double simulatedEventsPerSecond) {
        this.users = users;
        this.items = items;
        this.seed = seed;
        this.startMillis = startMillis;
        this.simulatedEventsPerSecond = simulatedEventsPerSecond;
    }

    /** A bounded source of {@code count} records. */
    public static DataGeneratorSource<RawRecord> source(long count, int users, int items, long seed) {
        return new DataGeneratorSource<>(
                new GeneratedRawRecords(users, items, seed, 1_767_225_600_000L /* 2026-01-01 */, 1000),
                count,
                TypeInformation.of(RawRecord.class));
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        int subtask = readerContext.getIndexOfSubtask();
        int parallelism = readerContext.currentParallelism();
        generator = new EventGenerator(new World(users, items, seed), seed + 31L * subtask, 0.005, 0.01);
        millisPerEvent = parallelism * 1000.0 / simulatedEventsPerSecond;
        source = "generator:" + subtask;
    }

    @Override
    public RawRecord map(Long index) {
        long ts = startMillis + (long) (produced++ * millisPerEvent);
        return new RawRecord(generator.next(ts), source, ts);
    }
}
