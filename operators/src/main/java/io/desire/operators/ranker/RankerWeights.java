package io.desire.operators.ranker;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.HashedFeatures;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A ranker replica's copy of the FTRL weights: a dense {@code double[]} over the model's 2^bits
 * buckets and the model version it reflects, kept up to date from {@link WeightDelta}s of
 * {@link FtrlLearner}.
 *
 * <p><b>In broadcast state:</b> one entry ({@link #KEY}) of the map state of
 * {@link #createDescriptor()} holds the whole array (8 MiB at 2^20 buckets per replica subtask; broadcast
 * state lives on the heap and is snapshotted whole by every subtask). A
 * {@code KeyedBroadcastProcessFunction} applies deltas in {@code processBroadcastElement} with
 * {@link #update(BroadcastState, WeightDelta)} and reads the weights in {@code processElement} with
 * {@link #current(ReadOnlyBroadcastState)}.
 *
 * <p><b>Version rule:</b> an incremental delta older than the version held is ignored (it would put
 * back weights already superseded); one of the same or a newer version is applied. A
 * {@linkplain WeightDelta#full full} delta always replaces the weights: it is the learner's whole model
 * after a restore. {@link #score} gives exactly {@link FtrlModel#predict} of the learner at the same
 * version (same weights, same summation order, same sigmoid).
 *
 * <p>A Flink POJO (no Kryo). Not thread-safe; Flink calls a function from one thread.
 */
public class RankerWeights implements RankerModel {
    public static final String STATE_NAME = "ranker-weights";
    /** The one key of the broadcast map. */
    public static final String KEY = "ftrl";

    /** Model version of the weights; 0 before the first delta. */
    public long version;
    /** Weight per bucket, {@code null} before the first delta. */
    public double[] weights;

    public RankerWeights() {}

    /** The broadcast state descriptor; the job must broadcast the learner's deltas with it. */
    public static MapStateDescriptor<String, RankerWeights> createDescriptor() {
        return new MapStateDescriptor<>(STATE_NAME, Types.STRING, TypeInformation.of(RankerWeights.class));
    }

    /** The weights in {@code state}, or {@code null} before the first delta arrived. */
    public static RankerWeights current(ReadOnlyBroadcastState<String, RankerWeights> state) throws Exception {
        return state.get(KEY);
    }

    /** Applies {@code delta} to the weights in {@code state}, creating them at the first delta; returns whether it was applied. */
    public static boolean update(BroadcastState<String, RankerWeights> state, WeightDelta delta) throws Exception {
        return RankerModel.update(state, KEY, RankerWeights::new, delta);
    }

    /**
     * Applies {@code delta} per the version rule. A {@linkplain WeightDelta#factorised() factorised}
     * delta is of another model ({@link FmWeights}) and is never applied here.
     *
     * @return whether it was applied
     * @throws IllegalArgumentException when the delta's dimension differs from the weights' (the learner
     *     and the replicas were configured with different bits)
     */
    @Override
    public boolean apply(WeightDelta delta) {
        if (delta == null || delta.factorised()) {
            return false;
        }
        if (weights != null && delta.dimension != weights.length) {
            throw new IllegalArgumentException("weight delta over " + delta.dimension + " buckets, replica holds "
                    + weights.length + ": learner and ranker must use the same bits");
        }
        if (!delta.full && delta.version < version) {
            return false;
        }
        if (weights == null || delta.full) {
            weights = new double[delta.dimension];
        }
        int n = delta.size();
        for (int j = 0; j < n; j++) {
            weights[delta.indices[j]] = delta.weights[j];
        }
        version = delta.version;
        return true;
    }

    @Override
    public String name() {
        return FTRL;
    }

    @Override
    public long version() {
        return version;
    }

    /** Whether a trained model is present (a delta with version > 0 was applied). */
    @Override
    public boolean isTrained() {
        return weights != null && version > 0;
    }

    /** Number of buckets, 0 before the first delta. */
    @Override
    public int dimension() {
        return weights == null ? 0 : weights.length;
    }

    /** The weight of bucket {@code i}, 0 before the first delta. */
    public double weight(int i) {
        return weights == null ? 0.0 : weights[i];
    }

    /** The margin Σ w_i·x_i; 0 before the first delta. */
    public double margin(HashedFeatures x) {
        if (weights == null || x == null || x.indices == null) {
            return 0.0;
        }
        double m = 0.0;
        for (int k = 0; k < x.indices.length; k++) {
            m += weights[x.indices[k]] * x.values[k];
        }
        return m;
    }

    /** The predicted probability of a click or purchase, σ(margin); 0.5 before the first delta. */
    @Override
    public double score(HashedFeatures x) {
        return FtrlModel.sigmoid(margin(x));
    }

    @Override
    public String toString() {
        return "RankerWeights{version=" + version + " dimension=" + dimension() + '}';
    }
}
