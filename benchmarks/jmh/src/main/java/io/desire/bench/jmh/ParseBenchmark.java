package io.desire.bench.jmh;

import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EventParser#parse} on the generator's behaviour-event JSON (~300 bytes each, with a
 * context of coordinates, device, OS, time zone and session): validation, geo cell, time bucket
 * and device class included. One operation parses one record; the corpus of 4,096 distinct records
 * is cycled so the branch predictor does not learn one record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ParseBenchmark {
    private static final int CORPUS = 4096;

    private EventParser parser;
    private RawRecord[] records;
    private int next;

    /** Builds the parser with the default configuration and the record corpus. */
    @Setup
    public void setup() {
        parser = new EventParser(ParserConfig.defaults());
        byte[][] json = Corpus.behaviourRecords(CORPUS);
        records = new RawRecord[CORPUS];
        for (int i = 0; i < CORPUS; i++) {
            records[i] = new RawRecord(json[i], "jmh", Corpus.START_MILLIS);
        }
        if (!parser.parse(records[0]).isValid()) {
            throw new IllegalStateException(
                    "the corpus does not parse: " + parser.parse(records[0]).reason());
        }
    }

    /** Parses the next record of the corpus. */
    @Benchmark
    public ParseOutcome parse() {
        RawRecord r = records[next];
        next = (next + 1) & (CORPUS - 1);
        return parser.parse(r);
    }
}
