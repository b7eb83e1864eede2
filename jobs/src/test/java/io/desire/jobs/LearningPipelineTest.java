package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.RawRecord;
import io.desire.features.recs.Recommendation;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.ModelLoops;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning wiring on a bounded input, with the model loops' outputs captured instead of sent to
 * Kafka: impressions joined with clicks become training examples for the learner, and the item side
 * publishes vectors with the items' categories.
 */
class LearningPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = 1_767_254_400_000L; // 2026-01-01T08:00Z
    private static final String CTX =
            "\"context\":{\"lat\":48.8566,\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}";

    /** Feeds nothing back; keeps what the job publishes. */
    private static final class CapturingLoops implements ModelLoops {
        private final ModelLoops open = ModelLoops.open();
        CloseableIterator<ItemFactorUpdate> itemFactors;
        CloseableIterator<WeightDelta> weights;

        @Override
        public DataStream<ItemFactorUpdate> itemFactors(StreamExecutionEnvironment env) {
            return open.itemFactors(env);
        }

        @Override
        public void publishItemFactors(DataStream<ItemFactorUpdate> updates) {
            itemFactors = updates.collectAsync();
        }

        @Override
        public DataStream<WeightDelta> rankerWeights(StreamExecutionEnvironment env) {
            return open.rankerWeights(env);
        }

        @Override
        public void publishRankerWeights(DataStream<WeightDelta> deltas) {
            weights = deltas.collectAsync();
        }
    }

    @Test
    void impressionLabelsTrainTheRankerAndItemVectorsCarryTheirCategory(@TempDir Path checkpoints) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String id : List.of("b1", "b2", "b3")) {
            lines.add(item(id, "books"));
        }
        lines.add(item("m1", "music"));
        lines.add(event("v-1", "view", "b1", T0 + 1_000, null));
        // request r1 shows b2 and m1, and b2 is clicked; request r2 shows b3, never clicked
        lines.add(event("i-1", "impression", "b2", T0 + 2_000, "r1"));
        lines.add(event("i-2", "impression", "m1", T0 + 2_000, "r1"));
        lines.add(event("c-1", "click", "b2", T0 + 2_500, "r1"));
        lines.add(event("i-3", "impression", "b3", T0 + 3_000, "r2"));

        List<RawRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            records.add(new RawRecord(lines.get(i).getBytes(StandardCharsets.UTF_8), "test#" + (i + 1), T0));
        }
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.PARALLELISM.name(), "1",
                ConfigKeys.CHECKPOINT_DIR.name(), checkpoints.toUri().toString(),
                ConfigKeys.RANKER_LABELS.name(), "impressions"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(new Configuration(), cfg));
        CapturingLoops loops = new CapturingLoops();
        RecommendationPipeline.Outputs out =
                RecommendationPipeline.build(env.fromData(records, TypeInformation.of(RawRecord.class)), cfg, loops);
        CloseableIterator<Recommendation> recs = out.recommendations().collectAsync();
        env.execute("learning-pipeline-test");

        List<WeightDelta> deltas = new ArrayList<>();
        loops.weights.forEachRemaining(deltas::add);
        assertThat(deltas).as("the learner published its weights").isNotEmpty();
        assertThat(deltas.get(deltas.size() - 1).version)
                .as("one example per labelled impression: b2 clicked, m1 and b3 not")
                .isEqualTo(3);

        List<ItemFactorUpdate> vectors = new ArrayList<>();
        loops.itemFactors.forEachRemaining(vectors::add);
        assertThat(vectors)
                .extracting(v -> v.itemId)
                .as("items with positive evidence")
                .containsOnly("b1", "b2");
        assertThat(vectors).allSatisfy(v -> {
            assertThat(v.category).isEqualTo("books");
            assertThat(v.version).isPositive();
        });

        List<Recommendation> docs = new ArrayList<>();
        recs.forEachRemaining(docs::add);
        assertThat(docs)
                .as("an untrained ranker does not serve: the user's affinities lead")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.modelVersion).isEqualTo("source-affinity"));
    }

    @Test
    void rankerModelFmTrainsAFactorisationMachineRoundTheSameLoop(@TempDir Path checkpoints) throws Exception {
        List<String> lines = new ArrayList<>(List.of(item("b1", "books"), item("b2", "books"), item("m1", "music")));
        lines.add(event("i-1", "impression", "b2", T0 + 2_000, "r1"));
        lines.add(event("i-2", "impression", "m1", T0 + 2_000, "r1"));
        lines.add(event("c-1", "click", "b2", T0 + 2_500, "r1"));
        List<RawRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            records.add(new RawRecord(lines.get(i).getBytes(StandardCharsets.UTF_8), "test#" + (i + 1), T0));
        }
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.PARALLELISM.name(), "1",
                ConfigKeys.CHECKPOINT_DIR.name(), checkpoints.toUri().toString(),
                ConfigKeys.RANKER_LABELS.name(), "impressions",
                ConfigKeys.RANKER_BITS.name(), "12",
                ConfigKeys.RANKER_MODEL.name(), "fm",
                ConfigKeys.RANKER_FM_FACTORS.name(), "4"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(new Configuration(), cfg));
        CapturingLoops loops = new CapturingLoops();
        RecommendationPipeline.build(env.fromData(records, TypeInformation.of(RawRecord.class)), cfg, loops);
        env.execute("learning-pipeline-fm-test");

        List<WeightDelta> deltas = new ArrayList<>();
        loops.weights.forEachRemaining(deltas::add);
        assertThat(deltas).isNotEmpty().allSatisfy(d -> {
            assertThat(d.factorised()).isTrue();
            assertThat(d.factors).isEqualTo(4);
            assertThat(d.dimension).isEqualTo(1 << 12);
        });
        assertThat(deltas.get(deltas.size() - 1).version)
                .as("one example per labelled impression")
                .isEqualTo(2);
    }

    @Test
    void anUnknownRankerModelIsRefusedNamingTheChoices() {
        JobConfig cfg = JobConfig.of(Map.of(ConfigKeys.RANKER_MODEL.name(), "gbdt"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LearningPipeline.rankerModel(cfg))
                .hasMessageContaining("ranker.model")
                .hasMessageContaining("ftrl, fm");
        assertThat(LearningPipeline.rankerModel(JobConfig.of(Map.of())))
                .isEqualTo(LearningPipeline.RankerModelKind.FTRL);
    }

    private static String item(String id, String category) {
        return "{\"event_id\":\"cat-" + id + "\",\"ts\":" + T0 + ",\"type\":\"item\",\"item_id\":\"" + id
                + "\",\"category\":\"" + category + "\"}";
    }

    private static String event(String eventId, String type, String item, long ts, String requestId) {
        return "{\"event_id\":\"" + eventId + "\",\"ts\":" + ts + ",\"type\":\"" + type + "\",\"user_id\":\"alice\""
                + ",\"item_id\":\"" + item + "\"" + (requestId == null ? "" : ",\"request_id\":\"" + requestId + "\"")
                + "," + CTX + "}";
    }
}
