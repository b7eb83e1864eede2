package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.features.ftrl.FeatureHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlantedBenchmarkTest {

    @Test
    void theGeneratorIsDeterministicBalancedAndSplitSevenTwoOne() {
        FeatureHasher h = new FeatureHasher(16, FeatureHasher.DEFAULT_SEED);
        PlantedInteractions a = PlantedInteractions.generate(3000, 0.8, h, 5);
        PlantedInteractions b = PlantedInteractions.generate(3000, 0.8, h, 5);
        assertThat(a.features).isEqualTo(b.features);
        assertThat(a.label).isEqualTo(b.label);
        assertThat(a.size()).isEqualTo(3000);
        int positives = 0;
        for (boolean l : a.label) {
            positives += l ? 1 : 0;
        }
        assertThat(positives).as("one positive per two negatives").isEqualTo(1000);
        assertThat(a.indices(PlantedInteractions.TRAIN)).hasSize(2100);
        assertThat(a.indices(PlantedInteractions.VALIDATION)).hasSize(600);
        assertThat(a.indices(PlantedInteractions.TEST)).hasSize(300);
        assertThat(a.features[0].size())
                .as("bias, user, item, group, daytime, weather")
                .isEqualTo(6);
    }

    @Test
    void theFactorisationMachineLearnsThePlantedInteractionThatFtrlCannot() {
        PlantedBenchmark.Report r =
                new PlantedBenchmark(30_000, PlantedInteractions.DEFAULT_STRENGTH, 8, 42).run(Progress.silent());
        assertThat(r.fits())
                .extracting(f -> f.model() + "/" + f.fit())
                .containsExactly("ftrl/online", "ftrl/batch", "fm/online", "fm/batch");
        assertThat(r.fmAucGain()).as("FM AUC − FTRL AUC: %s", r.fits()).isGreaterThanOrEqualTo(0.02);
        assertThat(r.fmGainMet()).isTrue();
        assertThat(r.fits().get(3).logLoss()).isLessThan(r.fits().get(1).logLoss());
        assertThat(r.fits()).allSatisfy(f -> assertThat(f.epochs()).isBetween(1, PlantedBenchmark.MAX_EPOCHS));
    }

    @Test
    void evalWithOnlyPlantedWritesItsSectionToTheJsonAndHtmlReport(@TempDir Path dir) throws Exception {
        EvalOptions options = EvalOptions.parse("--planted", "3000", "--seed", "7", "--out", dir.toString());
        assertThat(options.hasHistory()).isFalse();
        EvalReport report = new Evaluation(options, Progress.silent()).run();
        Path html = ReportWriter.write(report, dir);

        JsonNode json =
                new ObjectMapper().readTree(dir.resolve(ReportWriter.JSON_FILE).toFile());
        assertThat(json.has("models")).as("no history evaluated").isFalse();
        JsonNode planted = json.get("planted");
        assertThat(planted.get("examples").asInt()).isEqualTo(3000);
        assertThat(planted.get("fits")).hasSize(4);
        assertThat(planted.get("fits").get(0).get("log_loss").isNumber()).isTrue();
        assertThat(planted.has("fm_auc_gain")).isTrue();
        assertThat(Files.readString(html)).contains("<table id=\"planted\">", "fm", "ftrl", "target ≥ 0.02");
    }
}
