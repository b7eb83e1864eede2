package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.Uids;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A savepoint of the production job restores at another parallelism: every operator keeps its id
 * and its max parallelism whatever the job's parallelism (which changes how operators chain).
 * Flink refuses a savepoint whose operators' max parallelism differs from the new program's.
 */
class RescaleCompatibilityTest {

    @ParameterizedTest(name = "learning.enabled={0}")
    @ValueSource(booleans = {true, false})
    void operatorIdsAndMaxParallelismDoNotDependOnTheJobsParallelism(boolean learning) {
        Map<String, Integer> atOne = maxParallelismByOperator(1, learning);
        assertThat(atOne).hasSizeGreaterThan(learning ? 20 : 8);
        assertThat(atOne.values()).containsOnly(Uids.MAX_PARALLELISM);
        assertThat(maxParallelismByOperator(2, learning)).isEqualTo(atOne);
        assertThat(maxParallelismByOperator(4, learning)).isEqualTo(atOne);
    }

    /** Operator id → max parallelism of the vertex it runs in, as a savepoint records it. */
    private static Map<String, Integer> maxParallelismByOperator(int parallelism, boolean learning) {
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.KAFKA_BOOTSTRAP.name(), "127.0.0.1:9",
                ConfigKeys.ES_HOSTS.name(), "http://127.0.0.1:9",
                ConfigKeys.LEARNING_ENABLED.name(), Boolean.toString(learning)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(new Configuration(), cfg));
        env.setParallelism(parallelism);
        StreamingJob.defineProductionWorkflow(env, cfg, 0L);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        Map<String, Integer> byOperator = new TreeMap<>();
        for (JobVertex vertex : graph.getVertices()) {
            for (OperatorIDPair op : vertex.getOperatorIDs()) {
                byOperator.put(op.getGeneratedOperatorID().toHexString(), vertex.getMaxParallelism());
            }
        }
        return byOperator;
    }
}
