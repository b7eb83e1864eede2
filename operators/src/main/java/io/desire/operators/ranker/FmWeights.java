package io.desire.operators.ranker;

import io.desire.features.fm.FmInit;
import io.desire.features.fm.FmScorer;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.HashedFeatures;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A ranker replica's copy of the factorisation machine of {@link FmLearner}: bias, a linear weight
 * per bucket, k factors per bucket (bucket-major), and the model version, kept up to date from
 * {@linkplain WeightDelta#factorised() factorised} {@link WeightDelta}s.
 *
 * <p><b>In broadcast state:</b> one entry ({@link #KEY}) of the map state of {@link #createDescriptor()}
 * ({@value #STATE_NAME}), next to (not instead of) the FTRL replica's {@link RankerWeights}, whose
 * state is unchanged; a job fills the one its {@code ranker.model} trains. Size per replica subtask:
 * 8·(k + 1) bytes per bucket (72 MiB at 2^20 buckets and k = 8, 4.5 MiB at 2^16).
 *
 * <p><b>Version rule</b> as {@link RankerWeights}: an incremental delta older than the version held is
 * ignored; a full delta always replaces the model. At the first delta, or a full one, every bucket
 * starts from zero linear weight and the initial factors of {@code FmInit} (seed and scale from the
 * delta), so buckets the learner never touched match the learner's without being shipped.
 * {@link #score} gives exactly {@code FmModel.predict} of the learner at the same version (same
 * weights, the shared {@link FmScorer}, same sigmoid).
 *
 * <p>A Flink POJO (no Kryo). Not thread-safe.
 */
public class FmWeights implements RankerModel {
    public static final String STATE_NAME = "ranker-fm-weights";
    /** The one key of the broadcast map. */
    public static final String KEY = "fm";

    /** Model version; 0 before the first delta. */
    public long version;
    /** k; 0 before the first delta. */
    public int factors;
    /** Bias w0. */
    public double bias;
    /** Linear weight per bucket; {@code null} before the first delta. */
    public double[] weights;
    /** k factors per bucket, bucket-major; {@code null} before the first delta. */
    public double[] vectors;

    private transient FmScorer scorer;
    private transient double[] active;

    public FmWeights() {}

    /** The broadcast state descriptor; the recommender declares it next to {@link RankerWeights#createDescriptor()}. */
    public static MapStateDescriptor<String, FmWeights> createDescriptor() {
        return new MapStateDescriptor<>(STATE_NAME, Types.STRING, TypeInformation.of(FmWeights.class));
    }

    /** The model in {@code state}, or {@code null} before the first delta. */
    public static FmWeights current(ReadOnlyBroadcastState<String, FmWeights> state) throws Exception {
        return state.get(KEY);
    }

    /** Applies {@code delta} to the model in {@code state}, creating it at the first delta; returns whether it was applied. */
    public static boolean update(BroadcastState<String, FmWeights> state, WeightDelta delta) throws Exception {
        return RankerModel.update(state, KEY, FmWeights::new, delta);
    }

    /**
     * Applies {@code delta} per the version rule; a linear (not factorised) delta is never applied.
     *
     * @return whether it was applied
     * @throws IllegalArgumentException when the delta's dimension or k differs from the model's, or its
     *     arrays are not parallel
     */
    @Override
    public boolean apply(WeightDelta delta) {
        if (delta == null || !delta.factorised()) {
            return false;
        }
        int n = delta.size();
        if ((n > 0 && (delta.weights == null || delta.weights.length != n))
                || (delta.vectors == null ? n > 0 : delta.vectors.length != (long) n * delta.factors)) {
            throw new IllegalArgumentException("factorised delta v" + delta.version + " lists " + n
                    + " buckets but its weights and vectors are not parallel to them");
        }
        if (weights != null && (delta.dimension != weights.length || delta.factors != factors)) {
            throw new IllegalArgumentException("FM delta over " + delta.dimension + " buckets × " + delta.factors
                    + " factors, replica holds " + weights.length + " × " + factors
                    + ": learner and ranker must use the same bits and factors");
        }
        if (!delta.full && delta.version < version) {
            return false;
        }
        int k = delta.factors;
        if (weights == null || delta.full) {
            weights = new double[delta.dimension];
            vectors = new double[Math.multiplyExact(delta.dimension, k)];
            FmInit.fill(vectors, k, delta.initSeed, delta.initScale);
            factors = k;
        }
        for (int j = 0; j < n; j++) {
            int i = delta.indices[j];
            weights[i] = delta.weights[j];
            System.arraycopy(delta.vectors, j * k, vectors, i * k, k);
        }
        bias = delta.bias;
        version = delta.version;
        return true;
    }

    @Override
    public String name() {
        return FM;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public boolean isTrained() {
        return weights != null && version > 0;
    }

    @Override
    public int dimension() {
        return weights == null ? 0 : weights.length;
    }

    /** The margin of {@code x} (Rendle 2010, eq. 1); 0 before the first delta. */
    public double margin(HashedFeatures x) {
        if (weights == null || x == null || x.indices == null) {
            return 0.0;
        }
        if (scorer == null || scorer.factors() != factors) {
            scorer = new FmScorer(factors);
        }
        int nnz = x.indices.length;
        if (active == null || active.length < nnz) {
            active = new double[Math.max(64, nnz)];
        }
        for (int j = 0; j < nnz; j++) {
            active[j] = weights[x.indices[j]];
        }
        return scorer.margin(bias, active, vectors, x.indices, x.values);
    }

    /** The predicted probability of a click or purchase, σ(margin); ½ before the first delta. */
    @Override
    public double score(HashedFeatures x) {
        return FtrlModel.sigmoid(margin(x));
    }

    @Override
    public String toString() {
        return "FmWeights{version=" + version + " dimension=" + dimension() + " factors=" + factors + '}';
    }
}
