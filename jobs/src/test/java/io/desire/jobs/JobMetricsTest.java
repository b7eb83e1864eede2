package io.desire.jobs;

import static io.desire.jobs.TestEvents.T0;
import static io.desire.jobs.TestEvents.behaviour;
import static io.desire.jobs.TestEvents.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.RejectReason;
import io.desire.features.recs.Recommendation;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.EventTimeLag;
import io.desire.operators.ParseEvents;
import io.desire.operators.als.ItemFactors;
import io.desire.operators.als.UserFactors;
import io.desire.operators.ranker.FtrlLearner;
import io.desire.operators.serving.UserRecommender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics an operator watches (docs/metrics.md), read through a metric reporter as Prometheus or
 * JMX would read them: the whole pipeline with learning on, on a mini cluster with Flink's
 * {@link InMemoryReporter}, over a bounded input whose good and bad records are known.
 */
class JobMetricsTest {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Operator names as the pipeline sets them; they are the {@code operator_name} label. */
    private static final String PARSE = "parse and validate";

    private static final String DEDUP = "deduplicate by event_id";
    private static final String RECOMMENDER = "user recommender";
    private static final String ALS_USERS = "ALS user factors";
    private static final String ALS_ITEMS = "ALS item factors";

    @Test
    void countersAndGaugesReportWhatTheJobDid(@TempDir Path checkpoints) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            lines.add(item("b" + i, "books"));
        }
        long t = T0;
        lines.add(behaviour("a-1", "alice", "b1", "view", t += 1000, null));
        lines.add(behaviour("a-2", "alice", "b2", "click", t += 1000, null));
        lines.add(behaviour("a-2", "alice", "b2", "click", t, null)); // a producer retry
        lines.add(behaviour("a-3", "alice", "b3", "purchase", t += 1000, 9.5));
        lines.add(behaviour("b-1", "bob", "b1", "click", t += 1000, null));
        lines.add(behaviour("z-1", "zoe", "b2", "view", t += 1000, null));
        lines.add("{\"event_id\":\"z-2\",\"ts\":" + (t += 1000) + ",\"type\":\"forget_user\",\"user_id\":\"zoe\"}");
        int good = lines.size();

        Map<RejectReason, Integer> bad = new EnumMap<>(RejectReason.class);
        bad.put(RejectReason.NOT_JSON, 2);
        lines.add("{\"event_id\":\"bad-1\"");
        lines.add("not json at all");
        bad.put(RejectReason.NON_NUMERIC_VALUE, 1);
        lines.add("{\"event_id\":\"bad-3\",\"ts\":" + t
                + ",\"type\":\"rate\",\"user_id\":\"x\",\"item_id\":\"y\",\"value\":\"five\"}");
        bad.put(RejectReason.UNKNOWN_TYPE, 1);
        lines.add(
                "{\"event_id\":\"bad-4\",\"ts\":" + t + ",\"type\":\"teleport\",\"user_id\":\"x\",\"item_id\":\"y\"}");
        bad.put(RejectReason.TIMESTAMP_OUT_OF_RANGE, 1);
        lines.add(behaviour("bad-5", "alice", "b1", "view", 1L, null)); // epoch 1970: before the earliest accepted
        bad.put(RejectReason.EMPTY, 1);
        lines.add("   ");
        int rejected = bad.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(lines).hasSize(good + rejected);

        // Documents and item vectors are emitted only at the final watermark (an hour of coalescing
        // never elapses here): the recommender observes the end of event time, so its lag gauge has
        // a defined value, and every item is published exactly once.
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.PARALLELISM.name(), "1",
                ConfigKeys.COALESCE.name(), "1h",
                ConfigKeys.ALS_UPDATE_INTERVAL.name(), "1h",
                ConfigKeys.CHECKPOINT_DIR.name(), checkpoints.toUri().toString()));
        BoundedPipeline run = BoundedPipeline.run(lines, cfg, "job-metrics-test");
        JobID job = run.job();
        List<Recommendation> documents = run.recommendations();
        List<DeadLetter> deadLetters = run.deadLetters();
        assertThat(deadLetters)
                .as("the input's bad records are what the test says they are")
                .extracting(d -> RejectReason.valueOf(d.reason))
                .containsExactlyInAnyOrderElementsOf(expand(bad));

        // parse and validate: every record in, every rejection by reason
        assertThat(count(job, PARSE, ParseEvents.EVENTS_IN_METRIC)).isEqualTo(good + rejected);
        assertThat(count(job, PARSE, ParseEvents.DEAD_LETTERS_METRIC)).isEqualTo(rejected);
        for (RejectReason reason : RejectReason.values()) {
            assertThat(count(job, PARSE, ParseEvents.DEAD_LETTER_REASON_GROUP + "." + reason.name()))
                    .as("deadLetterReason." + reason)
                    .isEqualTo((long) bad.getOrDefault(reason, 0));
        }
        assertThat(count(job, DEDUP, "duplicatesDropped")).isEqualTo(1);

        // user recommender: documents and erasures as emitted, freshness and the ranker replica's version
        assertThat(count(job, RECOMMENDER, UserRecommender.DOCUMENTS_METRIC))
                .isEqualTo(documents.stream()
                        .filter(r -> r.op == Recommendation.Op.UPSERT)
                        .count())
                .isPositive();
        assertThat(count(job, RECOMMENDER, UserRecommender.FORGETS_METRIC)).isEqualTo(1);
        assertThat(gauge(job, RECOMMENDER, UserRecommender.EVENT_TIME_LAG_GAUGE))
                .as("observed the final watermark: all event time processed, not " + EventTimeLag.NO_WATERMARK)
                .isEqualTo(0L);
        assertThat(gauge(job, RECOMMENDER, UserRecommender.RANKER_VERSION_GAUGE))
                .as("weights loop open in a bounded run: the replica received nothing")
                .isEqualTo(0L);

        // model versions: the learner learned every sampled example; ALS published every item it saw
        long sampled = count(job, RECOMMENDER, UserRecommender.EXAMPLES_METRIC);
        // (positives yield examples only when a source proposed their item; the learner learns each one)
        assertThat(gauge(job, FtrlLearner.NAME, FtrlLearner.VERSION_GAUGE)).isEqualTo(sampled);
        assertThat(gauge(job, ALS_ITEMS, ItemFactors.VERSION_METRIC)).isEqualTo(1L);
        assertThat(gauge(job, ALS_USERS, UserFactors.TABLE_VERSION_METRIC))
                .as("item-factor loop open in a bounded run")
                .isEqualTo(0L);
    }

    /** Sum over the operator's subtasks of counter {@code name}, which must exist. */
    private static long count(JobID job, String operator, String name) {
        Map<String, Metric> found = find(job, operator, name);
        long sum = 0;
        for (Metric m : found.values()) {
            assertThat(m).as(operator + " " + name).isInstanceOf(Counter.class);
            sum += ((Counter) m).getCount();
        }
        return sum;
    }

    /** The value of gauge {@code name} of the operator's single subtask, which must exist. */
    private static Object gauge(JobID job, String operator, String name) {
        Map<String, Metric> found = find(job, operator, name);
        assertThat(found).as(operator + " " + name + " on one subtask").hasSize(1);
        Metric m = found.values().iterator().next();
        assertThat(m).as(operator + " " + name).isInstanceOf(Gauge.class);
        return ((Gauge<?>) m).getValue();
    }

    /** Metrics by identifier: {@code <host>.taskmanager.<tm>.<job>.<operator>.<subtask>.<name>}. */
    private static Map<String, Metric> find(JobID job, String operator, String name) {
        Map<String, Metric> found = REPORTER.findMetrics(
                job, Pattern.quote("." + operator + ".") + "\\d+" + Pattern.quote("." + name) + "$");
        assertThat(found)
                .as("metric " + name + " of operator '" + operator + "'")
                .isNotEmpty();
        return found;
    }

    private static List<RejectReason> expand(Map<RejectReason, Integer> counts) {
        List<RejectReason> all = new ArrayList<>();
        counts.forEach((reason, n) -> {
            for (int i = 0; i < n; i++) {
                all.add(reason);
            }
        });
        return all;
    }
}
