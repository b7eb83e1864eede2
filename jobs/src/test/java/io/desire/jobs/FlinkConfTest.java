package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.operators.Uids;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Test;

/** The shipped {@code flink-conf/config.yaml} parses with Flink's own loader and keeps state upgradeable. */
class FlinkConfTest {

    @Test
    void shippedConfigurationIsValidAndKryoFree() {
        Path dir = Path.of("..", "flink-conf").toAbsolutePath().normalize();
        assertThat(Files.exists(dir.resolve("config.yaml")))
                .as(dir + "/config.yaml")
                .isTrue();
        Configuration conf = GlobalConfiguration.loadConfiguration(dir.toString());
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(Uids.MAX_PARALLELISM);
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isNotNull();
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("file:");
        assertThat(conf.get(ExecutionOptions.SNAPSHOT_COMPRESSION)).isTrue();
        assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
    }

    @Test
    void everyJobKeepsItsStateUpgradeableAndQuickToRestoreWhateverTheCluster() {
        Configuration conf = JobEnvironment.flinkConfiguration(
                new Configuration(), io.desire.jobs.config.JobConfig.of(java.util.Map.of()));
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(Uids.MAX_PARALLELISM);
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        // operator state (FTRL weights, broadcast replicas) restores in blocks only when compressed
        assertThat(conf.get(ExecutionOptions.SNAPSHOT_COMPRESSION)).isTrue();
        // the cluster's (or flink run -p's) parallelism applies unless the job is given one
        assertThat(conf.contains(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM))
                .isFalse();
    }

    @Test
    void jobsPassRecordsWithoutCopiesAndTuneRocksDbForPointReadsOnlyWhenAsked() {
        Configuration defaults = JobEnvironment.flinkConfiguration(
                new Configuration(), io.desire.jobs.config.JobConfig.of(java.util.Map.of()));
        assertThat(defaults.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(defaults.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
        assertThat(defaults.contains(RocksDBOptions.OPTIONS_FACTORY)).isFalse();

        Configuration tuned = JobEnvironment.flinkConfiguration(
                new Configuration(),
                io.desire.jobs.config.JobConfig.of(java.util.Map.of("state.rocksdb.tuning", "point-lookups")));
        assertThat(tuned.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
        assertThat(tuned.get(RocksDBConfigurableOptions.BLOOM_FILTER_BLOCK_BASED_MODE))
                .isFalse();
        assertThat(tuned.contains(RocksDBOptions.OPTIONS_FACTORY)).isFalse();

        // a job that must behave as before: copies between operators, and Flink's RocksDB defaults
        // even on a cluster whose flink-conf turns bloom filters on
        Configuration cluster = new Configuration();
        cluster.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        Configuration plain = JobEnvironment.flinkConfiguration(
                cluster, io.desire.jobs.config.JobConfig.of(java.util.Map.of("pipeline.object-reuse", "false")));
        assertThat(plain.get(PipelineOptions.OBJECT_REUSE)).isFalse();
        assertThat(plain.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
        assertThat(plain.contains(RocksDBOptions.OPTIONS_FACTORY)).isFalse();
    }

    @Test
    void eventsCrossExchangesWithTheirOwnSerializer() {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(
                        new Configuration(), io.desire.jobs.config.JobConfig.of(java.util.Map.of())));
        org.apache.flink.api.common.typeinfo.TypeInformation<io.desire.features.event.Event> event =
                org.apache.flink.api.common.typeinfo.TypeInformation.of(io.desire.features.event.Event.class);
        assertThat(event.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(io.desire.operators.event.EventSerializer.INSTANCE);
        // also as the field of the recommender's input
        var signal = (org.apache.flink.api.java.typeutils.PojoTypeInfo<?>)
                org.apache.flink.api.common.typeinfo.TypeInformation.of(io.desire.operators.serving.UserSignal.class);
        assertThat(signal.getTypeAt("event")).isEqualTo(event);
    }
}
