package io.desire.jobs.ops;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a bounded job of the local environment in this JVM and returns every row it produced. The
 * rows land in a queue that {@code env.execute()} has filled completely when it returns
 * ({@code executeAndCollect} can race the local cluster's shutdown). What the savepoint readers use.
 */
public final class CollectedRows {
    private static final Map<String, Queue<String[]>> RESULTS = new ConcurrentHashMap<>();

    private CollectedRows() {}

    /**
     * Executes {@code env} as {@code jobName} with the union of {@code streams} as its one sink; the
     * rows, in any order (none, without running anything, when there are no streams).
     */
    public static Queue<String[]> collect(
            StreamExecutionEnvironment env, List<DataStream<String[]>> streams, String jobName) throws Exception {
        Queue<String[]> received = new ConcurrentLinkedQueue<>();
        if (streams.isEmpty()) {
            return received;
        }
        DataStream<String[]> rows = streams.get(0);
        for (DataStream<String[]> more : streams.subList(1, streams.size())) {
            rows = rows.union(more);
        }
        String run = UUID.randomUUID().toString();
        RESULTS.put(run, received);
        try {
            rows.sinkTo(new Rows(run)).name("rows");
            env.execute(jobName);
        } finally {
            RESULTS.remove(run);
        }
        return received;
    }

    /** Appends every row to the queue of its run (the job runs in this JVM). */
    private record Rows(String run) implements Sink<String[]> {
        @Override
        public SinkWriter<String[]> createWriter(WriterInitContext context) {
            Queue<String[]> queue = RESULTS.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(String[] row, Context ctx) {
                    queue.add(row);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
