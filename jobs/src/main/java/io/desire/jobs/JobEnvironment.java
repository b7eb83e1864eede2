package io.desire.jobs;

import io.desire.features.event.Event;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.Uids;
import io.desire.operators.event.EventTypeInfoFactory;
import org.apache.flink.api.common.functions.InvalidTypesException;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Creates the execution environment of every job with the settings that keep state upgradeable:
 * no Kryo ({@code pipeline.generic-types: false}), a fixed max parallelism, the configured state
 * backend (RocksDB by default) and checkpointing on; records pass between
 * chained operators without copies ({@code pipeline.object-reuse}), which no operator of the job
 * depends on.
 */
public final class JobEnvironment {
    private JobEnvironment() {}

    /** Engine settings from {@code cfg} layered over {@code base} (the cluster's or flink-conf's). */
    public static Configuration flinkConfiguration(Configuration base, JobConfig cfg) {
        Configuration conf = new Configuration(base);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.MAX_PARALLELISM, Uids.MAX_PARALLELISM);
        // Only when given: otherwise `flink run -p N` and the cluster's parallelism.default apply.
        if (cfg.getOptional(ConfigKeys.PARALLELISM) != null) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, cfg.getInt(ConfigKeys.PARALLELISM, 1, Uids.MAX_PARALLELISM));
        }
        String backend = cfg.getString(ConfigKeys.STATE_BACKEND).trim().toLowerCase();
        if (!backend.equals("rocksdb") && !backend.equals("hashmap")) {
            throw new IllegalArgumentException("state.backend is '" + backend + "'; expected rocksdb or hashmap");
        }
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        boolean pointLookups = cfg.getChoice(ConfigKeys.ROCKSDB_TUNING, "point-lookups", "flink-defaults")
                .equals("point-lookups");
        // Opt-in (state.rocksdb.tuning=point-lookups): nearly every state access is a point read by
        // exact key and many miss (new event ids, new users), which bloom filters on SST files are
        // for; on the pipeline benchmark they changed nothing measurable, so Flink's defaults stay the
        // default. Memtable bloom filters were tried too and made the pipeline several times slower
        // (docs/performance.md §6, §9).
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, pointLookups);
        if (pointLookups) {
            conf.set(RocksDBConfigurableOptions.BLOOM_FILTER_BLOCK_BASED_MODE, false);
        }
        registerEventType();
        // Chained operators hand records on without a defensive copy (a serializer round of the
        // 20-field Event per chained step otherwise). Safe because no operator keeps a reference to
        // its input, and none changes an input another operator also reads: catalog enrichment
        // copies before it fills in a category, pseudonymisation rewrites the parser's new event (its
        // only reader), state holds serialised or newly built values, sinks serialise on write.
        conf.set(PipelineOptions.OBJECT_REUSE, cfg.getBoolean(ConfigKeys.OBJECT_REUSE));
        // Timers (one per user with pending documents, one per context window) are hot and small:
        // keeping them on the heap avoids a RocksDB write and an ordered-set update per timer.
        // They are still checkpointed and restored with the keyed state.
        conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        // Incremental checkpoints upload only new RocksDB files: the de-duplication state alone
        // holds every event id of the last dedup.ttl, too much to copy whole every interval.
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.getDuration(ConfigKeys.CHECKPOINT_INTERVAL));
        // Snappy-compressed snapshots: smaller savepoints, and a restore reads operator state (the
        // FTRL weights, the recommender's broadcast replicas) in blocks. Uncompressed, Flink reads it
        // from the file a byte per system call: a minute for the default 2^20-bucket ranker.
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, true);
        String dir = cfg.getOptional(ConfigKeys.CHECKPOINT_DIR);
        if (dir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        }
        return conf;
    }

    /**
     * Gives {@link Event}, the record of every keyed exchange, its own serializer (no reflection,
     * nulls as bits) instead of the POJO serializer. Types are resolved where the job graph is built,
     * so registering in this JVM is enough; Flink's registry is JVM-wide and refuses a second
     * registration, which a second job built in the same JVM would attempt. Event is never kept in
     * state, so no savepoint holds it.
     */
    static synchronized void registerEventType() {
        if (eventTypeRegistered) {
            return;
        }
        try {
            TypeExtractor.registerFactory(Event.class, EventTypeInfoFactory.class);
        } catch (InvalidTypesException alreadyRegistered) {
            // by an earlier class loader's copy of this class: the same factory
        }
        eventTypeRegistered = true;
    }

    private static boolean eventTypeRegistered;

    /** The environment of the current context (cluster submission, or a local mini cluster). */
    public static StreamExecutionEnvironment create(JobConfig cfg) {
        return StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(new Configuration(), cfg));
    }
}
