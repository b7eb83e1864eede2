package io.desire.bench.jmh;

import io.desire.features.als.AlsParams;
import io.desire.features.als.FoldIn;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact ALS fold-in of one user ({@link FoldIn#solve}, implicit feedback, rank 10, the default
 * {@link AlsParams}) over a window of {@code window} interactions, as the online ALS operator does
 * on each of the user's events. Item vectors are random with the magnitude of trained factors; the
 * Gram matrix of 5,000 items is computed once in setup, as the operator caches it per item-table
 * version.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FoldInBenchmark {
    private static final int RANK = 10;

    /** Interactions in the user's window. */
    @Param({"50", "1000"})
    public int window;

    private FoldIn foldIn;
    private double[][] others;
    private double[] values;
    private double[] gram;

    /** Random item factors, evidence values and the Gram matrix. */
    @Setup
    public void setup() {
        Random random = new Random(42);
        foldIn = new FoldIn(AlsParams.defaults().withRank(RANK).withImplicit(AlsParams.DEFAULT_ALPHA));
        double[][] items = new double[Corpus.ITEMS][RANK];
        for (double[] row : items) {
            for (int f = 0; f < RANK; f++) {
                row[f] = random.nextGaussian() * 0.3;
            }
        }
        gram = FoldIn.gram(items, RANK);
        others = new double[window][];
        values = new double[window];
        for (int j = 0; j < window; j++) {
            others[j] = items[random.nextInt(items.length)];
            values[j] = 1 + random.nextInt(5);
        }
    }

    /** One fold-in solve. */
    @Benchmark
    public double[] solve() {
        return foldIn.solve(others, values, gram);
    }
}
