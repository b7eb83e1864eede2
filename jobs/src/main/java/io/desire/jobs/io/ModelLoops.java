package io.desire.jobs.io;

import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import io.desire.operators.serving.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The two feedback edges of the learning pipeline, which a DataStream program cannot express inside
 * the job graph (Flink 2 has no iterations): published ALS item vectors back to the user side, and
 * FTRL weight deltas back to the ranker replicas. The streaming job closes them through Kafka
 * ({@link io.desire.jobs.io.KafkaModelLoops}); {@link #open()} leaves them open, for bounded runs
 * (tests, benchmarks) that must end: the user side then scores against initial item vectors only
 * and the ranker serves its sources' order, while everything else runs as in production.
 */
public interface ModelLoops {

    /** The item vectors read back, broadcast to the ALS user side. */
    DataStream<ItemFactorUpdate> itemFactors(StreamExecutionEnvironment env);

    /** Where published item vectors go. */
    void publishItemFactors(DataStream<ItemFactorUpdate> updates);

    /** The weight deltas read back, broadcast to the ranker replicas. */
    DataStream<WeightDelta> rankerWeights(StreamExecutionEnvironment env);

    /** Where the learner's weight deltas go. */
    void publishRankerWeights(DataStream<WeightDelta> deltas);

    /**
     * A backfill's "history read" signal for the recommender, which then runs in history mode (ranks
     * each document once, at the signal); null (the default) for every other job.
     */
    default DataStream<ModelUpdate> historyRead(StreamExecutionEnvironment env) {
        return null;
    }

    /** Loops left open: empty bounded feeds, published records discarded. */
    static ModelLoops open() {
        return new ModelLoops() {
            @Override
            public DataStream<ItemFactorUpdate> itemFactors(StreamExecutionEnvironment env) {
                return empty(env, new ItemFactorUpdate(), ItemFactorUpdate.class)
                        .name("no item-factor feed");
            }

            @Override
            public void publishItemFactors(DataStream<ItemFactorUpdate> updates) {
                updates.sinkTo(new DiscardingSink<>()).name("item factors (loop open)");
            }

            @Override
            public DataStream<WeightDelta> rankerWeights(StreamExecutionEnvironment env) {
                return empty(env, new WeightDelta(), WeightDelta.class).name("no weight feed");
            }

            @Override
            public void publishRankerWeights(DataStream<WeightDelta> deltas) {
                deltas.sinkTo(new DiscardingSink<>()).name("ranker weights (loop open)");
            }
        };
    }

    /** An empty bounded stream (Flink's collection source cannot be empty: it fails at its end). */
    private static <T> SingleOutputStreamOperator<T> empty(
            StreamExecutionEnvironment env, T placeholder, Class<T> type) {
        return env.fromData(List.of(placeholder), TypeInformation.of(type)).filter(x -> false);
    }
}
