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
}
