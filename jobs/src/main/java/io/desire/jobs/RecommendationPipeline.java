package io.desire.jobs;

import io.desire.features.context.TimeBucketScheme;
import io.desire.features.event.DeadLetter;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.privacy.Erasure;
import io.desire.features.profile.EventWeights;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.Recommendation;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.ExclusionRule;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.config.PrivacySettings;
import io.desire.jobs.io.ModelLoops;
import io.desire.operators.ContextTrending;
import io.desire.operators.DeduplicateEvents;
import io.desire.operators.EnrichFromCatalog;
import io.desire.operators.GlobalPopularity;
import io.desire.operators.LongHorizonPopularity;
import io.desire.operators.ParseEvents;
import io.desire.operators.Uids;
import io.desire.operators.privacy.ErasureLog;
import io.desire.operators.privacy.ProtectDeadLetters;
import io.desire.operators.privacy.PseudonymizeUsers;
import io.desire.operators.serving.ModelUpdate;
import io.desire.operators.serving.UserRecommender;
import io.desire.operators.serving.UserRecommenderBuilder;
import io.desire.operators.serving.UserSignal;
import java.time.ZoneId;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The named stages of the recommendation pipeline, from raw records to recommendation documents
 * and dead letters. The same stages serve live Kafka input and bounded inputs (tests, benchmarks).
 *
 * <pre>
 * raw → parse+validate ──(rejected)──(privacy: raw payloads to a protected topic or dropped)──→ dead letters
 *         → pseudonymise user ids (privacy.pseudonyms)
 *         → event-time watermarks → deduplicate (event_id)
 *         → catalog enrichment (keyed by item) → ┬→ context trending (keyed by context) → global popularity
 *                                               ├→ learning: ALS, co-visitation ({@link LearningPipeline})
 *                                               └→ user recommender (keyed by user) ⟵ broadcast trending,
 *                                                  co-visitation, ranker weights; ⟵ ALS candidates
 *                                                    → recommendations (coalesced per user and context)
 *                                                    → training examples → FTRL learner → weights loop
 * </pre>
 *
 * <p>With {@code learning.enabled=false} the recommender serves the blended ranking alone and no
 * learning operator runs.
 */
public final class RecommendationPipeline {

    /** The pipeline's two outputs. */
    /**
     * The pipeline's outputs: documents, dead letters (without raw payloads when user ids are
     * pseudonymised) and, with {@code privacy.dead-letter-raw=topic}, the complete dead letters for
     * the protected topic ({@code null} otherwise), and the erasure requests (one per de-duplicated
     * {@code forget_user}, with the user as the job knows them) for the erasure log.
     */
    public record Outputs(
            DataStream<Recommendation> recommendations,
            DataStream<DeadLetter> deadLetters,
            DataStream<DeadLetter> rawDeadLetters,
            DataStream<Erasure> erasures) {
        public Outputs(DataStream<Recommendation> recommendations, DataStream<DeadLetter> deadLetters) {
            this(recommendations, deadLetters, null, null);
        }
    }

    private RecommendationPipeline() {}

    /** The pipeline with the model loops left open (bounded runs); see {@link ModelLoops#open()}. */
    public static Outputs build(DataStream<RawRecord> raw, JobConfig cfg) {
        return build(raw, cfg, ModelLoops.open());
    }

    public static Outputs build(DataStream<RawRecord> raw, JobConfig cfg, ModelLoops loops) {
        PrivacySettings privacy = PrivacySettings.of(cfg);
        // Parsing, pseudonyms and watermarks run where the records are read (same parallelism,
        // chained): a user's records keep their order, and no watermark generator is without input.
        int readers = raw.getParallelism();
        SingleOutputStreamOperator<Event> parsed = raw.process(new ParseEvents(parserConfig(cfg)))
                .setParallelism(readers)
                .uid(Uids.PARSE_EVENTS)
                .name("parse and validate");
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(ParseEvents.DEAD_LETTERS);
        DataStream<DeadLetter> rawDeadLetters = null;
        if (privacy.rawDeadLetters() != ProtectDeadLetters.Mode.INLINE) {
            SingleOutputStreamOperator<DeadLetter> stripped = deadLetters
                    .process(new ProtectDeadLetters(privacy.rawDeadLetters()))
                    .uid(Uids.PROTECT_DEAD_LETTERS)
                    .name("dead letters without raw payloads");
            deadLetters = stripped;
            if (privacy.rawDeadLetters() == ProtectDeadLetters.Mode.TOPIC) {
                rawDeadLetters = stripped.getSideOutput(ProtectDeadLetters.RAW);
            }
        }
        // Pseudonyms right after parsing: no later stage sees a raw user id.
        DataStream<Event> identified = parsed;
        if (privacy.pseudonyms()) {
            identified = parsed.map(new PseudonymizeUsers(privacy.pseudonymKey()))
                    .setParallelism(readers)
                    .uid(Uids.PSEUDONYMIZE_USERS)
                    .name("pseudonymise user ids");
        }

        // Event time comes from the payload, so watermarks follow parsing rather than the source.
        DataStream<Event> events = identified
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<Event>forBoundedOutOfOrderness(cfg.getDuration(ConfigKeys.OUT_OF_ORDERNESS))
                                .withTimestampAssigner((e, previous) -> e.ts)
                                .withIdleness(cfg.getDuration(ConfigKeys.IDLENESS)))
                .setParallelism(readers)
                .name("event-time watermarks");

        // De-duplication and catalog enrichment share one key (the item, or the user for events
        // without an item), so the catalog step runs in the same task without another exchange.
        // Every event passes both, which keeps a user's events in order on the way to the recommender.
        DataStream<Event> unique = events.keyBy(DeduplicateEvents.keySelector())
                .process(new DeduplicateEvents(cfg.getDuration(ConfigKeys.DEDUP_TTL)))
                .uid(Uids.DEDUPLICATE)
                .name("deduplicate by event_id");
        DataStream<Event> enriched = DataStreamUtils.reinterpretAsKeyedStream(
                        unique, EnrichFromCatalog.keySelector(), Types.STRING)
                .process(new EnrichFromCatalog())
                .uid(Uids.CATALOG_ENRICH)
                .name("catalog enrichment");

        DataStream<TrendingItems> contextTrending = enriched.filter(ContextTrending::counts)
                .name("interactions")
                .keyBy(ContextTrending.keySelector())
                .process(new ContextTrending(
                        cfg.getDuration(ConfigKeys.TRENDING_WINDOW),
                        cfg.getDuration(ConfigKeys.TRENDING_SLIDE),
                        ContextTrending.DEFAULT_TOP_K,
                        new EventWeights(),
                        privacy.dp()))
                .uid(Uids.CONTEXT_TRENDING)
                .name("context trending");
        DataStream<TrendingItems> globalPopularity = contextTrending
                .keyBy(GlobalPopularity.keySelector())
                .process(new GlobalPopularity())
                .uid(Uids.GLOBAL_POPULARITY)
                .name("global popularity");

        DataStream<TrendingItems> longHorizon = globalPopularity
                .keyBy(LongHorizonPopularity.keySelector())
                .process(new LongHorizonPopularity(
                        cfg.getDuration(ConfigKeys.POPULARITY_HALF_LIFE), LongHorizonPopularity.DEFAULT_SIZE))
                .uid(Uids.LONG_HORIZON_POPULARITY)
                .name("long-horizon popularity");

        DataStream<Event> userEvents = enriched.filter(e -> e.userId != null && e.type != EventType.ITEM)
                .name("user events");
        Blender blender = new Blender(
                Blender.DEFAULT_W_AFFINITY,
                Blender.DEFAULT_W_CONTEXT,
                Blender.DEFAULT_W_POPULAR,
                cfg.getInt(ConfigKeys.TOP_K, 1, 200));
        UserRecommenderBuilder recommender = UserRecommender.builder()
                .profilePolicy(new ProfilePolicy().withHalfLife(cfg.getDuration(ConfigKeys.PROFILE_HALF_LIFE)))
                .blender(blender)
                .emitInterval(cfg.getDuration(ConfigKeys.COALESCE))
                .unchangedRefresh(cfg.getDuration(ConfigKeys.UNCHANGED_REFRESH))
                .forgetGuard(cfg.getDuration(ConfigKeys.FORGET_GUARD))
                .sources(sources(cfg))
                .perSource(cfg.getInt(ConfigKeys.PER_SOURCE, 1, 1000))
                .exclusion(exclusion(cfg))
                .sessionGap(cfg.getDuration(ConfigKeys.SESSION_GAP))
                .champion(
                        cfg.getDouble(ConfigKeys.PREQUENTIAL_FRACTION),
                        cfg.getDouble(ConfigKeys.ARM_FADING),
                        cfg.getInt(ConfigKeys.ARM_MIN_OUTCOMES, 0, Integer.MAX_VALUE));
        DataStream<ModelUpdate> updates = contextTrending
                .union(globalPopularity, longHorizon)
                .map(ModelUpdate::of)
                .returns(TypeInformation.of(ModelUpdate.class))
                .name("trending updates");
        // Checked whether or not learning runs: a bad value fails the job, never passes unnoticed.
        Double armSample = armSample(cfg);
        boolean learning = LearningPipeline.enabled(cfg);
        DataStream<UserSignal> signals;
        if (learning) {
            LearningPipeline.AlsOutputs als = LearningPipeline.als(userEvents, cfg, loops);
            signals = LearningPipeline.signals(userEvents, als.candidates());
            updates = updates.union(als.followers()
                            .map(ModelUpdate::of)
                            .returns(TypeInformation.of(ModelUpdate.class))
                            .name("co-visitation updates"))
                    .union(loops.rankerWeights(raw.getExecutionEnvironment())
                            .map(ModelUpdate::of)
                            .returns(TypeInformation.of(ModelUpdate.class))
                            .name("ranker weight updates"));
            LearningPipeline.learnedRecommender(recommender, blender, cfg);
            // Without learning there is no ALS and no learned arm: the blend serves (recs.serve is not used).
            recommender.serve(cfg.getString(ConfigKeys.SERVE));
            if (armSample != null) {
                recommender.armSample(armSample);
            }
        } else {
            signals = LearningPipeline.signals(userEvents, null);
        }
        DataStream<ModelUpdate> historyRead = loops.historyRead(raw.getExecutionEnvironment());
        if (historyRead != null) {
            // A backfill: each document is ranked once, when history has been read.
            recommender.historyMode(true);
            updates = updates.union(historyRead);
        }
        SingleOutputStreamOperator<Recommendation> recommendations = signals.keyBy(UserRecommender.keySelector())
                .connect(updates.broadcast(UserRecommender.broadcastDescriptors()))
                .process(recommender.build())
                .uid(Uids.USER_RECOMMENDER)
                .name("user recommender");
        if (learning) {
            LearningPipeline.trainRanker(enriched, recommendations, cfg, loops);
        }
        DataStream<Erasure> erasures =
                enriched.process(new ErasureLog()).uid(Uids.ERASURE_LOG).name("erasure requests");
        return new Outputs(recommendations, deadLetters, rawDeadLetters, erasures);
    }

    /** The candidate sources of {@code recs.sources}. */
    public static Set<CandidateSource> sources(JobConfig cfg) {
        return CandidateSource.parseList(cfg.getString(ConfigKeys.SOURCES));
    }

    /** {@code recs.arm-sample}: the share of users judging the arms, or null for {@code auto} (by {@code recs.serve}). */
    public static Double armSample(JobConfig cfg) {
        String raw = cfg.getString(ConfigKeys.ARM_SAMPLE).trim();
        if (raw.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            double share = Double.parseDouble(raw);
            if (share >= 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key's name
        }
        throw new IllegalArgumentException(
                ConfigKeys.ARM_SAMPLE.name() + " is '" + raw + "'; expected auto or a share of users in [0, 1]");
    }

    /** The consumption rule of {@code recs.exclude}. */
    public static ExclusionRule exclusion(JobConfig cfg) {
        return ExclusionRule.parse(cfg.getString(ConfigKeys.EXCLUDE));
    }

    /** The parser settings of the job configuration. */
    public static ParserConfig parserConfig(JobConfig cfg) {
        String scheme = cfg.getString(ConfigKeys.TIME_BUCKETS).trim().toUpperCase();
        TimeBucketScheme bucketScheme;
        try {
            bucketScheme = TimeBucketScheme.valueOf(scheme);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "context.time-buckets is '" + scheme + "'; expected DAYPART_WEEKPART or HOUR_OF_WEEK", e);
        }
        return ParserConfig.builder()
                .geohashPrecision(cfg.getInt(ConfigKeys.GEOHASH_PRECISION, 1, 12))
                .defaultZone(ZoneId.of(cfg.getString(ConfigKeys.TIME_ZONE)))
                .timeBucketScheme(bucketScheme)
                .build();
    }
}
