package io.desire.features.event;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A sanity check of parser throughput, not a test (timings on shared build machines are noise):
 * parses the valid and malformed corpora in a loop on one thread and prints events per second.
 * The pipeline's budget is 50,000 events/s on 2 cores for everything, so the parser alone should
 * sustain several times that on one core.
 *
 * <pre>
 *   mvn -q -pl features test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp features/target/classes:features/target/test-classes:$(cat features/target/cp.txt) \
 *       io.desire.features.event.ParserThroughputMain [seconds]
 * </pre>
 *
 * Pass {@code --details} to print the dead-letter detail of every malformed corpus entry instead.
 */
public final class ParserThroughputMain {
    private ParserThroughputMain() {}

    public static void main(String[] args) {
        EventParser parser = new EventParser(Corpus.config());
        if (args.length > 0 && args[0].equals("--details")) {
            for (Corpus.Case c : Corpus.malformed()) {
                DeadLetter dl =
                        parser.parse(new RawRecord(c.payload(), c.id(), 0L)).deadLetter();
                System.out.printf("%-28s %-22s %s%n", c.id(), dl.reason, dl.detail);
            }
            return;
        }
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<String> valid = Corpus.lines("corpus/valid.jsonl");
        byte[][] records = new byte[valid.size()][];
        for (int i = 0; i < records.length; i++) {
            records[i] = valid.get(i).getBytes(StandardCharsets.UTF_8);
        }
        run(parser, records, Math.max(1, seconds / 5)); // warm-up
        long parsed = 0;
        long validCount = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (byte[] r : records) {
                if (parser.parse(new RawRecord(r, "bench", 0L)).isValid()) {
                    validCount++;
                }
            }
            parsed += records.length;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        // CPU time as well as wall time: on a busy machine the wall-clock rate mostly measures the others
        System.out.printf(
                "parsed %,d records (%,d valid) in %.1f s wall, %.1f s CPU: %,.0f records/s wall,"
                        + " %,.0f records per CPU-second%n",
                parsed, validCount, elapsed, cpu, parsed / elapsed, parsed / cpu);
    }

    private static void run(EventParser parser, byte[][] records, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (byte[] r : records) {
                parser.parse(new RawRecord(r, "bench", 0L));
            }
        }
    }
}
