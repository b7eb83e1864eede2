package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.DeduplicateEvents;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The bloom filters of {@code state.rocksdb.tuning=point-lookups} keep reads correct (present and
 * absent keys) and change nothing in what snapshots hold: state written with them restores without
 * them and the other way round, so the setting may change between restores.
 */
class RocksDbBloomFilterTest {

    @Test
    void snapshotsMoveFreelyBetweenTunedAndDefaultBackends() throws Exception {
        EmbeddedRocksDBStateBackend tuned = backend("point-lookups");
        EmbeddedRocksDBStateBackend plain = backend("flink-defaults");

        OperatorSubtaskState written;
        try (var h = deduplication(tuned, null)) {
            for (int i = 0; i < 2_000; i++) {
                h.processElement(event("e" + i, "i" + (i % 50)), 1_000L + i);
            }
            h.processElement(event("e7", "i7"), 5_000L); // a retry: a present key among absent ones
            assertThat(ids(h)).hasSize(2_000).doesNotHaveDuplicates();
            written = h.snapshot(1L, 6_000L);
        }
        OperatorSubtaskState rewritten;
        try (var h = deduplication(plain, written)) {
            h.processElement(event("e7", "i7"), 7_000L);
            h.processElement(event("e1999", "i49"), 7_001L);
            h.processElement(event("new", "i7"), 7_002L);
            assertThat(ids(h)).as("only the unseen id passes after the restore").containsExactly("new");
            rewritten = h.snapshot(2L, 8_000L);
        }
        try (var h = deduplication(tuned, rewritten)) {
            h.processElement(event("new", "i7"), 9_000L);
            h.processElement(event("e0", "i0"), 9_001L);
            h.processElement(event("newer", "i0"), 9_002L);
            assertThat(ids(h)).containsExactly("newer");
        }
    }

    private static EmbeddedRocksDBStateBackend backend(String tuning) {
        Configuration conf = JobEnvironment.flinkConfiguration(
                new Configuration(), JobConfig.of(Map.of("state.rocksdb.tuning", tuning)));
        // full snapshots, as savepoints are (an incremental one refers to files of the previous)
        conf.set(org.apache.flink.configuration.CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
        return new EmbeddedRocksDBStateBackend().configure(conf, RocksDbBloomFilterTest.class.getClassLoader());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> deduplication(
            EmbeddedRocksDBStateBackend backend, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents()), DeduplicateEvents.keySelector(), Types.STRING);
        h.setStateBackend(backend);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) {
        return h.extractOutputValues().stream().map(e -> e.eventId).toList();
    }

    private static Event event(String id, String item) {
        Event e = new Event();
        e.eventId = id;
        e.ts = 1_000L;
        e.type = EventType.VIEW;
        e.userId = "u1";
        e.itemId = item;
        return e;
    }
}
