package io.desire.jobs;

import io.desire.features.event.Event;
import io.desire.features.fm.FmParams;
import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ranking.Blender;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.ModelLoops;
import io.desire.operators.Uids;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.als.AlsConfig;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.als.ItemFactors;
import io.desire.operators.als.UserFactorUpdate;
import io.desire.operators.als.UserFactors;
import io.desire.operators.covisit.CoVisitation;
import io.desire.operators.covisit.ItemFollowers;
import io.desire.operators.feedback.FeedbackJoin;
import io.desire.operators.feedback.LabeledExample;
import io.desire.operators.feedback.NegativeSampler;
import io.desire.operators.ranker.ExampleAssembler;
import io.desire.operators.ranker.FmLearner;
import io.desire.operators.ranker.FtrlLearner;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.SampledExamples;
import io.desire.operators.ranker.TrainingExample;
import io.desire.operators.ranker.WeightDelta;
import io.desire.operators.serving.UserRecommender;
import io.desire.operators.serving.UserRecommenderBuilder;
import io.desire.operators.serving.UserSignal;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The learning half of the pipeline: online ALS (user side, item side and the item-vector loop),
 * co-visitation, and the ranker's training (labels, learner and the weight loop). The ranker is
 * FTRL-Proximal logistic regression or a factorisation machine ({@code ranker.model}); either
 * learner sends its deltas round the same loop to the same recommender.
 *
 * <pre>
 * user events ─→ ALS user factors (keyed by user) ⟵ broadcast item vectors ⟵ loop ⟵┐
 *                 ├─ user-vector updates → ALS item factors (keyed by item) ──→ loop ┘
 *                 ├─ ALS top-N ───────────────→ recommender (as {@link UserSignal}s)
 *                 └─ item transitions → co-visitation (keyed by item) → recommender (broadcast)
 * recommender ─ sampled examples ─┬→ FTRL or FM learner (parallelism 1) → weight deltas → loop → recommender
 * impressions + clicks → feedback join → example assembler ⟵ served features ─┘   (ranker.labels)
 * </pre>
 */
public final class LearningPipeline {

    /** Where the ranker's labels come from ({@code ranker.labels}). */
    public enum Labels {
        SAMPLED,
        IMPRESSIONS,
        BOTH
    }

    /** The learned ranker's model ({@code ranker.model}). */
    public enum RankerModelKind {
        FTRL,
        FM
    }

    /** The user-keyed products of the ALS user side. */
    public record AlsOutputs(DataStream<AlsCandidates> candidates, DataStream<ItemFollowers> followers) {}

    /** Seed of the negative draws: fixed, so a replay samples the same negatives. */
    static final long NEGATIVE_SEED = 0x64657369L;

    private LearningPipeline() {}

    /** Whether {@code learning.enabled} is on. */
    public static boolean enabled(JobConfig cfg) {
        return Boolean.parseBoolean(cfg.getString(ConfigKeys.LEARNING_ENABLED).trim());
    }

    /** Online ALS and co-visitation over the user events; the item vectors go round {@code loops}. */
    public static AlsOutputs als(DataStream<Event> userEvents, JobConfig cfg, ModelLoops loops) {
        AlsConfig als = alsConfig(cfg);
        DataStream<ItemFactorUpdate> feed = loops.itemFactors(userEvents.getExecutionEnvironment());
        SingleOutputStreamOperator<UserFactorUpdate> userFactors = userEvents
                .filter(UserFactors::isInput)
                .name("ALS inputs")
                .keyBy(UserFactors.keySelector())
                .connect(feed.broadcast(UserFactors.createTableDescriptor()))
                .process(new UserFactors(als, RecommendationPipeline.exclusion(cfg)))
                .uid(Uids.ALS_USER_FACTORS)
                .name("ALS user factors");
        DataStream<ItemFactorUpdate> published = userFactors
                .keyBy(ItemFactors.keySelector())
                .process(new ItemFactors(als))
                .uid(Uids.ALS_ITEM_FACTORS)
                .name("ALS item factors");
        loops.publishItemFactors(published);

        DataStream<ItemFollowers> followers = userFactors
                .getSideOutput(UserFactors.TRANSITIONS)
                .keyBy(CoVisitation.keySelector())
                .process(CoVisitation.builder()
                        .halfLife(cfg.getDuration(ConfigKeys.COVISIT_HALF_LIFE))
                        .publishInterval(cfg.getDuration(ConfigKeys.COVISIT_PUBLISH_INTERVAL))
                        .batch(cfg.getInt(ConfigKeys.COVISIT_BATCH, 1, CoVisitation.MAX_BATCH))
                        .build())
                .uid(Uids.CO_VISITATION)
                .name("co-visitation");
        return new AlsOutputs(userFactors.getSideOutput(UserFactors.CANDIDATES), followers);
    }

    /** The recommender with the learned ranker over the candidate pool, scoring with the model of {@code ranker.model}. */
    public static UserRecommenderBuilder learnedRecommender(UserRecommenderBuilder b, Blender blender, JobConfig cfg) {
        LearnedRanker ranker = new LearnedRanker(
                        features(cfg), blender.topK(), cfg.getInt(ConfigKeys.RANKER_MIN_UPDATES, 1, Integer.MAX_VALUE))
                .withShortlist(shortlist(cfg, blender.topK()));
        b.learned(ranker).rankerModel(rankerModel(cfg).name().toLowerCase(Locale.ROOT));
        Labels labels = labels(cfg);
        if (labels != Labels.IMPRESSIONS) {
            b.sampledExamples(new SampledExamples(
                    new NegativeSampler(cfg.getInt(ConfigKeys.RANKER_NEGATIVES, 1, 100), NEGATIVE_SEED)));
        }
        return b.logServed(labels != Labels.SAMPLED);
    }

    /** {@code ranker.candidates}: 0 (score all) or at least the document's length. */
    static int shortlist(JobConfig cfg, int topK) {
        int m = cfg.getInt(ConfigKeys.RANKER_CANDIDATES, 0, 100_000);
        if (m != 0 && m < topK) {
            throw new IllegalArgumentException(ConfigKeys.RANKER_CANDIDATES.name() + " is " + m
                    + "; expected 0 (score every candidate) or at least recs.top-k (" + topK + ")");
        }
        return m;
    }

    /**
     * Trains the ranker from the recommender's side outputs (and, with impression labels, from the
     * feedback join of the events) and sends the weights round {@code loops}.
     */
    public static DataStream<WeightDelta> trainRanker(
            DataStream<Event> events, SingleOutputStreamOperator<?> recommender, JobConfig cfg, ModelLoops loops) {
        Labels labels = labels(cfg);
        DataStream<TrainingExample> examples = null;
        if (labels != Labels.IMPRESSIONS) {
            examples = recommender.getSideOutput(UserRecommender.EXAMPLES);
        }
        if (labels != Labels.SAMPLED) {
            DataStream<LabeledExample> labeled = events.filter(FeedbackJoin::isInput)
                    .name("impressions and feedback")
                    .keyBy(FeedbackJoin.keySelector())
                    .process(new FeedbackJoin(
                            cfg.getDuration(ConfigKeys.FEEDBACK_WINDOW), FeedbackJoin.DEFAULT_EARLY_FEEDBACK_GRACE))
                    .uid(Uids.FEEDBACK_JOIN)
                    .name("feedback join");
            DataStream<TrainingExample> assembled = labeled.connect(recommender.getSideOutput(UserRecommender.SERVED))
                    .keyBy(ExampleAssembler.exampleKeySelector(), ExampleAssembler.servedKeySelector())
                    .process(ExampleAssembler.builder().features(features(cfg)).build())
                    .uid(Uids.EXAMPLE_ASSEMBLER)
                    .name("example assembler");
            examples = examples == null ? assembled : examples.union(assembled);
        }
        DataStream<WeightDelta> deltas = switch (rankerModel(cfg)) {
            case FTRL ->
                FtrlLearner.transform(
                        examples, FtrlLearner.builder().params(ftrlParams(cfg)).build(), Uids.FTRL_LEARNER);
            case FM ->
                FmLearner.transform(
                        examples, FmLearner.builder().params(fmParams(cfg)).build(), Uids.FM_LEARNER);
        };
        loops.publishRankerWeights(deltas);
        return deltas;
    }

    /** ALS settings of the configuration. */
    public static AlsConfig alsConfig(JobConfig cfg) {
        AlsConfig.Builder b = AlsConfig.builder()
                .rank(cfg.getInt(ConfigKeys.ALS_RANK, 1, AlsConfig.MAX_RANK))
                .lambda(cfg.getDouble(ConfigKeys.ALS_LAMBDA))
                .updateInterval(cfg.getDuration(ConfigKeys.ALS_UPDATE_INTERVAL))
                .candidates(cfg.getInt(ConfigKeys.ALS_CANDIDATES, 0, 1000))
                .candidatesInterval(cfg.getDuration(ConfigKeys.ALS_CANDIDATES_INTERVAL))
                .maxRecentInteractions(cfg.getInt(ConfigKeys.ALS_MAX_INTERACTIONS, 1, AlsConfig.MAX_RECENT_LIMIT))
                .forgetGuard(cfg.getDuration(ConfigKeys.FORGET_GUARD));
        String mode = cfg.getString(ConfigKeys.ALS_MODE).trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "implicit" -> b.implicit(cfg.getDouble(ConfigKeys.ALS_ALPHA));
            case "explicit" -> b.explicit();
            default -> throw new IllegalArgumentException("als.mode is '" + mode + "'; expected implicit or explicit");
        }
        return b.build();
    }

    /** FTRL settings of the configuration (the bucket space shared by learner and ranker). */
    public static FtrlParams ftrlParams(JobConfig cfg) {
        return FtrlParams.defaults().withBits(cfg.getInt(ConfigKeys.RANKER_BITS, 8, FtrlParams.MAX_BITS));
    }

    /** FM settings of the configuration: the FTRL bucket space and linear settings, k of {@code ranker.fm-factors}. */
    public static FmParams fmParams(JobConfig cfg) {
        return FmParams.defaults()
                .withLinear(ftrlParams(cfg))
                .withFactors(cfg.getInt(ConfigKeys.RANKER_FM_FACTORS, 1, FmParams.MAX_FACTORS));
    }

    /** The model of {@code ranker.model}. */
    public static RankerModelKind rankerModel(JobConfig cfg) {
        return RankerModelKind.valueOf(
                cfg.getChoice(ConfigKeys.RANKER_MODEL, "ftrl", "fm").toUpperCase(Locale.ROOT));
    }

    /** The ranking features of learner and ranker alike. */
    public static RankingFeatures features(JobConfig cfg) {
        return new RankingFeatures(FeatureHasher.forParams(ftrlParams(cfg)));
    }

    /** The label source of {@code ranker.labels}. */
    public static Labels labels(JobConfig cfg) {
        String raw = cfg.getString(ConfigKeys.RANKER_LABELS).trim();
        try {
            return Labels.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "ranker.labels is '" + raw + "'; expected sampled, impressions or both", e);
        }
    }

    /** Wraps events and ALS candidates into the recommender's keyed input. */
    static DataStream<UserSignal> signals(DataStream<Event> userEvents, DataStream<AlsCandidates> candidates) {
        DataStream<UserSignal> events = userEvents
                .map(UserSignal::of)
                .returns(TypeInformation.of(UserSignal.class))
                .name("user events");
        return candidates == null
                ? events
                : events.union(candidates
                        .map(UserSignal::of)
                        .returns(TypeInformation.of(UserSignal.class))
                        .name("ALS candidates"));
    }
}
