package io.desire.features.als;

import io.desire.features.data.IdDictionary;
import io.desire.features.data.InteractionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch alternating least squares over a bounded history: each iteration solves every item's
 * factor with the user factors fixed, then every user's with the item factors fixed, each as an
 * exact k×k ridge regression ({@link Cholesky}). Users come last (as in Spark MLlib) so the model
 * ends with each user vector the exact fold-in of that user against the final items — the state
 * the online {@link FoldIn} maintains, and measurably better for per-user held-out evaluation
 * (≈0.015 RMSE on MovieLens) than ending on the item side.
 *
 * <ul>
 *   <li>Explicit mode minimises {@code Σ_(u,i) (r_ui − x_u·y_i)² + λ(Σ_u n_u‖x_u‖² + Σ_i
 *       n_i‖y_i‖²)} — ALS with weighted-λ regularisation of Zhou, Wilkinson, Schreiber, Pan,
 *       "Large-scale Parallel Collaborative Filtering for the Netflix Prize" (2008), as in Spark
 *       MLlib. With {@code weightedLambda = false} the penalty is plain {@code λ‖x‖²}.
 *   <li>Implicit mode minimises {@code Σ_(u,i over all pairs) c_ui (p_ui − x_u·y_i)² + λ(…)} of Hu,
 *       Koren, Volinsky, "Collaborative Filtering for Implicit Feedback Datasets" (ICDM 2008), with
 *       {@code c = 1 + α|r|} and {@code p = [r > 0]}, using their {@code YᵀY + Yᵀ(C_u − I)Y} identity
 *       so a sweep costs O(nnz·k² + (users + items)·k³), not O(users·items·k²).
 * </ul>
 *
 * <p>Guarantees: the result depends only on the matrix, the parameters and the seed — never on
 * {@code threads}, because each row's solve reads only the other side, which no one writes during
 * a half-sweep. Rows without interactions get a zero factor. Workers pull blocks of rows from a
 * shared counter, so skewed (popular) items do not leave a thread idle.
 */
public final class BatchAls {

    private static final Logger LOG = LoggerFactory.getLogger(BatchAls.class);

    /** Rows per work unit: large enough to amortise the counter, small enough to balance skew. */
    private static final int BLOCK = 64;

    private final AlsParams params;

    public BatchAls(AlsParams params) {
        this.params = params;
    }

    public AlsParams params() {
        return params;
    }

    /**
     * Trains on a table. Repeated (user, item) pairs are summed in implicit mode (more evidence) and
     * the latest one kept in explicit mode (a re-rating replaces the old rating).
     */
    public AlsModel fit(InteractionTable train) {
        RatingMatrix.Duplicates duplicates =
                params.implicit() ? RatingMatrix.Duplicates.SUM : RatingMatrix.Duplicates.LAST;
        return fit(RatingMatrix.fromTable(train, duplicates), train.users(), train.items());
    }

    /** Trains from seeded random factors. */
    public AlsModel fit(RatingMatrix matrix, IdDictionary users, IdDictionary items) {
        SplittableRandom random = new SplittableRandom(params.seed());
        double[][] userFactors = randomFactors(matrix.numUsers(), params.rank(), random);
        double[][] itemFactors = randomFactors(matrix.numItems(), params.rank(), random);
        return iterate(matrix, users, items, userFactors, itemFactors);
    }

    /**
     * Continues from an existing model (e.g. more sweeps after new history arrived): the start's
     * rows are copied, new users or items start from seeded random factors. The start is not
     * modified.
     */
    public AlsModel fit(RatingMatrix matrix, IdDictionary users, IdDictionary items, AlsModel start) {
        if (start.rank() != params.rank()) {
            throw new IllegalArgumentException("start has rank " + start.rank() + ", params say " + params.rank());
        }
        SplittableRandom random = new SplittableRandom(params.seed());
        double[][] userFactors = randomFactors(matrix.numUsers(), params.rank(), random);
        double[][] itemFactors = randomFactors(matrix.numItems(), params.rank(), random);
        copyRows(start.userFactors(), userFactors);
        copyRows(start.itemFactors(), itemFactors);
        return iterate(matrix, users, items, userFactors, itemFactors);
    }

    private static void copyRows(double[][] from, double[][] to) {
        for (int r = 0; r < Math.min(from.length, to.length); r++) {
            System.arraycopy(from[r], 0, to[r], 0, from[r].length);
        }
    }

    private AlsModel iterate(
            RatingMatrix m, IdDictionary users, IdDictionary items, double[][] userFactors, double[][] itemFactors) {
        if (users.size() > m.numUsers() || items.size() > m.numItems()) {
            throw new IllegalArgumentException("dictionaries are larger than the matrix");
        }
        int threads = params.threads();
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, daemonThreads()) : null;
        try {
            for (int it = 0; it < params.iterations(); it++) {
                long started = System.nanoTime();
                halfSweep(pool, m.itemPtr(), m.itemRows(), m.itemVals(), userFactors, itemFactors);
                halfSweep(pool, m.userPtr(), m.userCols(), m.userVals(), itemFactors, userFactors);
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "ALS iteration {}/{} took {} ms",
                            it + 1,
                            params.iterations(),
                            (System.nanoTime() - started) / 1_000_000);
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new AlsModel(users, items, params.rank(), params.implicit(), userFactors, itemFactors);
    }

    /** Solves every row of {@code solved} from its CSR row and the fixed {@code other} side. */
    private void halfSweep(
            ExecutorService pool, int[] ptr, int[] cols, float[] vals, double[][] other, double[][] solved) {
        int k = params.rank();
        double[] gram = params.implicit() ? NormalEquation.gram(other, k) : null;
        int rows = solved.length;
        int blocks = (rows + BLOCK - 1) / BLOCK;
        AtomicInteger nextBlock = new AtomicInteger();
        Runnable worker = () -> {
            NormalEquation ne = new NormalEquation(k);
            int block;
            while ((block = nextBlock.getAndIncrement()) < blocks) {
                int end = Math.min(rows, (block + 1) * BLOCK);
                for (int row = block * BLOCK; row < end; row++) {
                    solveRow(ne, gram, ptr[row], ptr[row + 1], cols, vals, other, solved[row]);
                }
            }
        };
        if (pool == null) {
            worker.run();
            return;
        }
        List<Future<?>> futures = new ArrayList<>(params.threads());
        for (int t = 0; t < params.threads(); t++) {
            futures.add(pool.submit(worker));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ALS sweep interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("ALS worker failed", e.getCause());
            }
        }
    }

    private void solveRow(
            NormalEquation ne,
            double[] gram,
            int from,
            int to,
            int[] cols,
            float[] vals,
            double[][] other,
            double[] out) {
        if (from == to) {
            java.util.Arrays.fill(out, 0); // no evidence: predict nothing rather than noise
            return;
        }
        ne.reset(gram);
        if (params.implicit()) {
            double alpha = params.alpha();
            for (int p = from; p < to; p++) {
                ne.addImplicit(other[cols[p]], vals[p], alpha);
            }
        } else {
            for (int p = from; p < to; p++) {
                ne.addExplicit(other[cols[p]], vals[p]);
            }
        }
        ne.solveInto(params.ridge(ne.count), out);
    }

    /**
     * Random factors as Spark MLlib draws them: standard normal components scaled to unit norm, so
     * the first half-sweep starts from well-conditioned, scale-free directions.
     */
    static double[][] randomFactors(int n, int k, SplittableRandom random) {
        double[][] f = new double[n][k];
        for (double[] row : f) {
            double norm = 0;
            for (int j = 0; j < k; j++) {
                row[j] = gaussian(random);
                norm += row[j] * row[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < k; j++) {
                row[j] /= norm;
            }
        }
        return f;
    }

    /** Box–Muller, because {@link SplittableRandom} has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "als-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
