package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One small evaluation of generated traffic with planted tastes and context effects, end to end. */
class EvaluationTest {

    private static final Map<String, List<String>> METRICS = Map.of(
            "ranking", List.of("precision", "recall", "f1", "ndcg", "hit_rate", "map", "coverage", "users"),
            "rating", List.of("rmse", "mae", "ratings"),
            "classifier", List.of("auc", "log_loss", "train_examples", "test_examples"));

    @TempDir
    static Path dir;

    static JsonNode report;
    static String html;

    @BeforeAll
    static void evaluate() throws Exception {
        EvalOptions options = EvalOptions.parse(
                "--generated",
                "16000",
                "--users",
                "200",
                "--items",
                "120",
                "--seed",
                "7",
                "--ranks",
                "8",
                "--lambdas",
                "0.1",
                "--alphas",
                "1,4",
                "--iterations",
                "6",
                "--threads",
                "2",
                "--window",
                "200",
                "--out",
                dir.resolve("out").toString());
        EvalReport tree = new Evaluation(options, Progress.silent()).run();
        ReportWriter.write(tree, options.out());
        report =
                new ObjectMapper().readTree(options.out().resolve("report.json").toFile());
        html = Files.readString(options.out().resolve("report.html"));
    }

    @Test
    void alsAndItemKnnBeatGlobalPopularityOnPlantedTastes() {
        double popularity = metric("popularity", "ndcg");
        assertThat(metric("als-implicit", "ndcg")).isGreaterThan(popularity);
        assertThat(metric("item-knn", "ndcg")).isGreaterThan(popularity);
    }

    @Test
    void contextCrossesLiftTheRankersAuc() {
        assertThat(metric("ftrl-context", "auc")).isGreaterThan(metric("ftrl-no-context", "auc"));
        assertThat(metric("ftrl-no-context", "auc")).isGreaterThan(0.5);
    }

    @Test
    void reportJsonHasEveryMetricOfEveryModel() {
        assertThat(names())
                .containsExactly(
                        "als-implicit",
                        "popularity",
                        "context-popularity",
                        "item-knn",
                        "als-explicit",
                        "mean-rating",
                        "ftrl-context",
                        "ftrl-no-context");
        for (JsonNode model : report.get("models")) {
            JsonNode metrics = model.get("metrics");
            for (String name : METRICS.get(model.get("kind").asText())) {
                assertThat(metrics.get(name))
                        .as(model.get("name").asText() + "." + name)
                        .isNotNull();
                assertThat(metrics.get(name).isNumber())
                        .as(model.get("name").asText() + "." + name)
                        .isTrue();
            }
        }
        assertThat(report.at("/split/scheme").asText()).isEqualTo("random");
        assertThat(report.at("/tuning/als_implicit/grid")).hasSize(2);
        assertThat(report.at("/tuning/als_implicit/chosen/rank").asInt()).isEqualTo(8);
        assertThat(report.at("/input/bad_lines/count").asLong()).isPositive();
        JsonNode prequential = report.get("prequential");
        assertThat(prequential.get("scored").asLong()).isPositive();
        assertThat(prequential.get("windows").size()).isPositive();
        assertThat(prequential.at("/windows/0/online_ndcg").isNumber()).isTrue();
        assertThat(prequential.at("/after_stream/ndcg_ratio_online_to_batch").isNumber())
                .isTrue();
        assertThat(prequential.at("/after_stream/batch_retrain/ndcg").isNumber())
                .isTrue();
    }

    @Test
    void reportHtmlIsSelfContainedWithTheTableAndCharts() {
        assertThat(html)
                .contains(
                        "<table id=\"models\">", "<svg id=\"bar-chart\"", "<svg id=\"prequential-chart\"", "<polyline");
        for (String name : names()) {
            assertThat(html).contains(">" + name + "</td>");
        }
        assertThat(html).doesNotContain("<script", "<link", "src=\"http", "href=\"http", "@import");
    }

    private static List<String> names() {
        List<String> names = new java.util.ArrayList<>();
        report.get("models").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }

    private static double metric(String model, String name) {
        for (JsonNode m : report.get("models")) {
            if (m.get("name").asText().equals(model)) {
                return m.get("metrics").get(name).asDouble();
            }
        }
        throw new AssertionError("no model " + model);
    }
}
