package io.desire.jobs.io;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.Uids;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Closes the model loops through Kafka, as Oryx 2's update topic does: published ALS item vectors go
 * to the compacted {@code topic.item-factors} and FTRL weight deltas to {@code topic.ranker-weights};
 * each is read back by a source of the same job and broadcast. A job without state reads only what
 * was written since it started ({@link FeedbackLoops#loopStart}); a restored job resumes from the
 * offsets in its checkpoint, so the replicas' broadcast state and the loop stay in step.
 */
public final class KafkaModelLoops implements ModelLoops {
    private final JobConfig cfg;
    private final OffsetsInitializer start;

    /** @param jobStartMillis when this job was built; loop records older than it belong to an earlier model */
    public KafkaModelLoops(JobConfig cfg, long jobStartMillis) {
        this.cfg = cfg;
        this.start = FeedbackLoops.loopStart(jobStartMillis);
    }

    @Override
    public DataStream<ItemFactorUpdate> itemFactors(StreamExecutionEnvironment env) {
        return env.fromSource(
                        FeedbackLoops.itemFactorSource(cfg, start),
                        FeedbackLoops.modelUpdateWatermarks(),
                        "kafka: " + cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS))
                .uid(Uids.ITEM_FACTOR_FEED);
    }

    @Override
    public void publishItemFactors(DataStream<ItemFactorUpdate> updates) {
        updates.sinkTo(FeedbackLoops.itemFactorSink(cfg))
                .uid(Uids.ITEM_FACTOR_SINK)
                .name("kafka: " + cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS));
    }

    @Override
    public DataStream<WeightDelta> rankerWeights(StreamExecutionEnvironment env) {
        return env.fromSource(
                        FeedbackLoops.rankerWeightSource(cfg, start),
                        FeedbackLoops.modelUpdateWatermarks(),
                        "kafka: " + cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS))
                .uid(Uids.RANKER_WEIGHT_FEED)
                // one partition: a single reader, whatever the job's parallelism
                .setParallelism(1);
    }

    @Override
    public void publishRankerWeights(DataStream<WeightDelta> deltas) {
        deltas.sinkTo(FeedbackLoops.rankerWeightSink(cfg))
                .uid(Uids.RANKER_WEIGHT_SINK)
                .name("kafka: " + cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS))
                .setParallelism(1);
    }
}
