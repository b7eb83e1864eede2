package io.desire.jobs.backfill;

import io.desire.jobs.LearningPipeline;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.FeedbackLoops;
import io.desire.jobs.io.KafkaClientSettings;
import io.desire.jobs.io.ModelLoops;
import io.desire.jobs.io.Topics;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import io.desire.operators.serving.ModelUpdate;
import io.desire.operators.serving.UserRecommenderBuilder;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The backfill's model loops plus the "history read" feed of the recommender in history mode ({@link
 * UserRecommenderBuilder#historyMode}): a reader of the item-vector topic that passes on only the
 * {@link #HISTORY_READ_ID} signal the driver sends once history is read (after the ALS sweeps and
 * the final re-fold, when there are any), as a broadcast {@link ModelUpdate#historyRead}. The signal
 * travels Kafka because the job's sources cannot tell when the driver's end-of-history steps are
 * done; it reaches every recommender subtask, which then ranks each pending document once.
 *
 * <p>The ALS user side reads the same topic and takes the signal for an item without a vector: it
 * removes nothing and changes no model. The reader's position is part of the backfill's savepoint
 * and removed from the bootstrap ({@link BootstrapSavepoint}): the streaming job has no such reader.
 */
final class HistoryReadFeed implements ModelLoops {
    /** The reserved item id of the signal: not an item (no item id of the event contract holds a NUL). */
    static final String HISTORY_READ_ID = "\u0000history-read";
    /** The uid of the signal's reader (backfill only). */
    static final String UID = "backfill-history-read-feed";

    private final ModelLoops loops;
    private final JobConfig cfg;
    private final long loopStartMillis;

    HistoryReadFeed(ModelLoops loops, JobConfig cfg, long loopStartMillis) {
        this.loops = loops;
        this.cfg = cfg;
        this.loopStartMillis = loopStartMillis;
    }

    /**
     * Whether the backfill of {@code cfg} ranks each document once at the end of history: {@code
     * backfill.rank-at-end}, unless what serves or learns needs the documents of the history itself —
     * {@code recs.serve=auto} (the arms are judged on the documents a user read) or impression labels
     * (the ranker learns from the features of served documents) — then documents are coalesced as before.
     */
    static boolean applies(JobConfig cfg) {
        if (!Boolean.parseBoolean(cfg.getString(ConfigKeys.BACKFILL_RANK_AT_END).trim())) {
            return false;
        }
        if (!LearningPipeline.enabled(cfg)) {
            return true;
        }
        String serve = cfg.getString(ConfigKeys.SERVE).trim().toLowerCase(Locale.ROOT);
        String labels = cfg.getString(ConfigKeys.RANKER_LABELS).trim().toLowerCase(Locale.ROOT);
        return !serve.equals("auto") && labels.equals("sampled");
    }

    /** The signal, as sent on the item-vector topic. */
    static ItemFactorUpdate signal(long eventTime) {
        return new ItemFactorUpdate(HISTORY_READ_ID, null, 0, eventTime);
    }

    /** Makes sure the item-vector topic exists: without learning nothing else creates it. */
    static void ensureTopic(JobConfig cfg) throws InterruptedException {
        Topics.ensureLoops(
                cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                KafkaClientSettings.of(cfg),
                cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS),
                cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS));
    }

    @Override
    public DataStream<ModelUpdate> historyRead(StreamExecutionEnvironment env) {
        return env.fromSource(
                        FeedbackLoops.itemFactorSource(cfg, FeedbackLoops.loopStart(loopStartMillis)),
                        FeedbackLoops.modelUpdateWatermarks(),
                        "kafka: history read")
                .uid(UID)
                .setParallelism(1)
                .filter(u -> u != null && HISTORY_READ_ID.equals(u.itemId))
                .name("history read signal")
                .setParallelism(1)
                .map(u -> ModelUpdate.historyRead())
                .returns(TypeInformation.of(ModelUpdate.class))
                .name("history read")
                .setParallelism(1);
    }

    @Override
    public DataStream<ItemFactorUpdate> itemFactors(StreamExecutionEnvironment env) {
        return loops.itemFactors(env);
    }

    @Override
    public void publishItemFactors(DataStream<ItemFactorUpdate> updates) {
        loops.publishItemFactors(updates);
    }

    @Override
    public DataStream<WeightDelta> rankerWeights(StreamExecutionEnvironment env) {
        return loops.rankerWeights(env);
    }

    @Override
    public void publishRankerWeights(DataStream<WeightDelta> deltas) {
        loops.publishRankerWeights(deltas);
    }
}
