package io.desire.bench;

import io.desire.bench.ftrl.FtrlRuns;
import io.desire.bench.ftrl.FtrlRuns.Quality;
import io.desire.bench.ftrl.FtrlRuns.Tuned;
import io.desire.bench.ftrl.SparkLogistic;
import io.desire.bench.ftrl.SparkLogistic.Regularisation;
import io.desire.eval.GeneratedHistory;
import io.desire.eval.History;
import io.desire.eval.RankerExamples;
import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Side-by-side benchmark of the FTRL-Proximal ranker ({@link FtrlModel}, online) and Spark MLlib's
 * batch logistic regression (L-BFGS / OWL-QN, {@code local[N]}) on the same hashed features of
 * generated traffic with planted context effects, plus the same FTRL without context features.
 *
 * <p><b>Data.</b> {@link GeneratedHistory#of}: the generator's world and traffic for a seed, loaded as
 * the offline evaluation loads {@code --generated} input. {@link RankerExamples}: positives are
 * interactions, negatives popular items the user never consumed, in the positive's context (the
 * evaluation's protocol), hashed by {@link RankingFeatures} with and without context crosses, on a
 * chronological train / validation / test split.
 *
 * <p><b>Protocol.</b> FTRL's α, λ1, λ2 are tuned (β = 1) for each variant by one pass over train,
 * scored on validation. The final models learn from train + validation in time order — FTRL in 1,
 * 2 and 3 online passes, Spark in one batch fit with {@code regParam}/{@code elasticNetParam}
 * matched to the tuned λ1, λ2 of the context model ({@link SparkLogistic}) and on the very same
 * sparse vectors (dimension 2^bits) — and are scored once on test: AUC and log-loss. Spark is also
 * fitted on the context-free vectors, so the context lift is measured under batch training too.
 *
 * <p><b>Timing.</b> FTRL: the update loop over pre-built feature vectors; Spark: {@code fit} on a
 * cached data frame of the same vectors (session start-up, vector building and data loading excluded
 * on both sides). Both are warmed up untimed first (FTRL: the same training; Spark: a
 * {@value #SPARK_WARM_UP_ITERATIONS}-iteration fit on the same frame), so both are measured with warm
 * JITs. Wall times depend on the machine; compare ratios from one run.
 *
 * <p><b>Checks printed:</b> |AUC(FTRL) − AUC(Spark)| ≤ 0.01 on test, and AUC(FTRL with context) −
 * AUC(FTRL without context) &gt; 0.
 *
 * <p><b>Determinism.</b> Data, split, negatives, tuning and FTRL results are a pure function of the
 * arguments (the generator, the sampler and FTRL are seeded or exact). Spark's figures may differ in
 * the last digits between runs because its distributed sums are not ordered.
 *
 * <p>Usage: {@code FtrlVersusSpark [--events N] [--users N] [--items N] [--seed S] [--negatives N]
 * [--validation F] [--test F] [--bits B] [--threads N] [--tune true|false] [--alpha A --l1 L --l2 L]
 * [--spark-iterations N] [--spark-tol T] [--spark-no-context true|false] [--warm-up true|false]}.
 * Defaults: 200 000 events, 2 000 users, 500 items, seed 42, 1 negative, validation 0.1, test 0.2,
 * 2^20 buckets, 2 threads, tuning on; Spark at most 100 iterations, tolerance 1e−6.
 */
public final class FtrlVersusSpark {

    /** Target: |AUC(FTRL) − AUC(Spark)| on test at most this. */
    static final double AUC_GAP_TARGET = 0.01;

    private static final double[] ALPHAS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5};
    private static final double[] L1S = {0, 0.5, 1, 2, 4};
    private static final double[] L2S = {0, 1, 5, 20};
    /** Iterations of Spark's untimed warm-up fit. */
    private static final int SPARK_WARM_UP_ITERATIONS = 5;

    private FtrlVersusSpark() {}

    public static void main(String[] args) {
        Map<String, String> opts = parse(args);
        int events = Integer.parseInt(opts.getOrDefault("events", "200000"));
        int users = Integer.parseInt(opts.getOrDefault("users", "2000"));
        int items = Integer.parseInt(opts.getOrDefault("items", "500"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        int negatives = Integer.parseInt(opts.getOrDefault("negatives", "1"));
        double validation = Double.parseDouble(opts.getOrDefault("validation", "0.1"));
        double test = Double.parseDouble(opts.getOrDefault("test", "0.2"));
        int bits = Integer.parseInt(opts.getOrDefault("bits", String.valueOf(FtrlParams.DEFAULT_BITS)));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        boolean tune = Boolean.parseBoolean(opts.getOrDefault("tune", "true"));
        int sparkIterations = Integer.parseInt(opts.getOrDefault("spark-iterations", "100"));
        double sparkTol = Double.parseDouble(opts.getOrDefault("spark-tol", "1e-6"));
        boolean sparkNoContext = Boolean.parseBoolean(opts.getOrDefault("spark-no-context", "true"));
        boolean warmUp = Boolean.parseBoolean(opts.getOrDefault("warm-up", "true"));
        FtrlParams base = new FtrlParams(
                Double.parseDouble(opts.getOrDefault("alpha", String.valueOf(FtrlParams.DEFAULT_ALPHA))),
                FtrlParams.DEFAULT_BETA,
                Double.parseDouble(opts.getOrDefault("l1", String.valueOf(FtrlParams.DEFAULT_L1))),
                Double.parseDouble(opts.getOrDefault("l2", String.valueOf(FtrlParams.DEFAULT_L2))),
                bits);

        // Data
        long t0 = System.nanoTime();
        History h = GeneratedHistory.of(events, users, items, seed);
        FeatureHasher hasher = FeatureHasher.forParams(base);
        RankingFeatures withContext = new RankingFeatures(hasher, true, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        RankingFeatures withoutContext = new RankingFeatures(hasher, false, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        RankerExamples.Parts split = RankerExamples.chronological(h, validation, test);
        RankerExamples ex = RankerExamples.build(h, split, negatives, withContext, withoutContext, seed);
        int[] trainIdx = ex.indices(RankerExamples.TRAIN);
        int[] validationIdx = ex.indices(RankerExamples.VALIDATION);
        int[] fitIdx = ex.indices(RankerExamples.TRAIN, RankerExamples.VALIDATION);
        int[] testIdx = ex.indices(RankerExamples.TEST);
        System.out.printf(
                Locale.ROOT,
                "data: generated %d events, %d users, %d items, seed %d → %d records, %d rejected, %d repeats;"
                        + " %d rows, %d users, %d items, %d contexts (%.0f ms)%n",
                events,
                users,
                items,
                seed,
                h.records(),
                h.rejected(),
                h.duplicates(),
                h.size(),
                h.numUsers(),
                h.numItems(),
                h.numContexts(),
                ms(t0));
        System.out.printf(
                Locale.ROOT,
                "split: %s; rows train %d, validation %d, test %d%n",
                split.description(),
                split.rowsPerPart()[0],
                split.rowsPerPart()[1],
                split.rowsPerPart()[2]);
        System.out.printf(
                Locale.ROOT,
                "examples: %d negative(s) per positive → train %d, validation %d, test %d;"
                        + " mean active buckets with context %.1f, without %.1f; 2^%d buckets%n",
                negatives,
                trainIdx.length,
                validationIdx.length,
                testIdx.length,
                meanSize(ex.withContext),
                meanSize(ex.withoutContext),
                bits);
        System.out.printf(
                Locale.ROOT,
                "JVM %s, %d cores; Spark local[%d]%n%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                threads);

        // Tuning on validation
        FtrlParams ctxParams = base;
        FtrlParams plainParams = base;
        if (tune) {
            long tt = System.nanoTime();
            Tuned c = FtrlRuns.tune(base, ALPHAS, L1S, L2S, ex.withContext, ex.label, trainIdx, validationIdx);
            Tuned p = FtrlRuns.tune(base, ALPHAS, L1S, L2S, ex.withoutContext, ex.label, trainIdx, validationIdx);
            ctxParams = c.params();
            plainParams = p.params();
            System.out.printf(
                    Locale.ROOT,
                    "tuning (1 pass over train, scored on validation; grid alpha %s × l1 %s × l2 %s, beta 1; %.1f s):%n",
                    Arrays.toString(ALPHAS),
                    Arrays.toString(L1S),
                    Arrays.toString(L2S),
                    ms(tt) / 1000);
            System.out.printf(
                    Locale.ROOT,
                    "  with context:    alpha=%s l1=%s l2=%s  validation %s%n",
                    ctxParams.alpha(),
                    ctxParams.l1(),
                    ctxParams.l2(),
                    c.validation());
            System.out.printf(
                    Locale.ROOT,
                    "  without context: alpha=%s l1=%s l2=%s  validation %s%n%n",
                    plainParams.alpha(),
                    plainParams.l1(),
                    plainParams.l2(),
                    p.validation());
        }

        // FTRL on train + validation, scored on test
        List<String> rows = new ArrayList<>();
        Map<String, Double> auc = new LinkedHashMap<>();
        Map<String, Double> wall = new LinkedHashMap<>();
        for (int passes = 1; passes <= 3; passes++) {
            for (boolean context : new boolean[] {true, false}) {
                FtrlParams p = context ? ctxParams : plainParams;
                HashedFeatures[] x = context ? ex.withContext : ex.withoutContext;
                if (warmUp) {
                    FtrlRuns.train(p, x, ex.label, fitIdx, passes);
                }
                long start = System.nanoTime();
                FtrlModel model = FtrlRuns.train(p, x, ex.label, fitIdx, passes);
                double millis = ms(start);
                Quality q = FtrlRuns.quality(FtrlRuns.predict(model, x, testIdx), ex.label, testIdx);
                String name = "FTRL " + (context ? "context" : "no-context") + " " + passes + " pass"
                        + (passes > 1 ? "es" : "");
                auc.put(name, q.auc());
                wall.put(name, millis);
                rows.add(String.format(
                        Locale.ROOT,
                        "  %-30s wall %9.1f ms   %s   non-zero weights %d",
                        name,
                        millis,
                        q,
                        model.nonZeroWeights()));
            }
        }

        // Spark
        long n = fitIdx.length;
        Regularisation reg = Regularisation.matching(ctxParams.l1(), ctxParams.l2(), n);
        Regularisation plainReg = Regularisation.matching(plainParams.l1(), plainParams.l2(), n);
        long sparkStart = System.nanoTime();
        SparkSession spark = LocalSpark.session("ftrl-versus-spark", threads);
        try {
            int dim = 1 << bits;
            Dataset<Row> fitDf = SparkLogistic.frame(spark, ex.withContext, ex.label, fitIdx, dim, threads);
            Dataset<Row> fitPlainDf = sparkNoContext
                    ? SparkLogistic.frame(spark, ex.withoutContext, ex.label, fitIdx, dim, threads)
                    : null;
            System.out.printf(Locale.ROOT, "spark session + data frames ready in %.0f ms%n", ms(sparkStart));
            System.out.printf(
                    Locale.ROOT,
                    "spark LogisticRegression: regParam=%.3g elasticNetParam=%.3f (≙ FTRL l1=%s l2=%s over N=%d),"
                            + " standardization=false, fitIntercept=true, maxIter=%d, tol=%.0e%n%n",
                    reg.regParam(),
                    reg.elasticNet(),
                    ctxParams.l1(),
                    ctxParams.l2(),
                    n,
                    sparkIterations,
                    sparkTol);
            for (boolean context : sparkNoContext ? new boolean[] {true, false} : new boolean[] {true}) {
                Regularisation r = context ? reg : plainReg;
                LogisticRegression lr = SparkLogistic.estimator(r, sparkIterations, sparkTol);
                Dataset<Row> df = context ? fitDf : fitPlainDf;
                if (warmUp) {
                    SparkLogistic.estimator(r, Math.min(SPARK_WARM_UP_ITERATIONS, sparkIterations), sparkTol)
                            .fit(df);
                }
                long start = System.nanoTime();
                LogisticRegressionModel model = lr.fit(df);
                double millis = ms(start);
                HashedFeatures[] x = context ? ex.withContext : ex.withoutContext;
                Quality q = FtrlRuns.quality(SparkLogistic.predict(model, x, testIdx), ex.label, testIdx);
                String name = "Spark LR " + (context ? "context" : "no-context");
                auc.put(name, q.auc());
                wall.put(name, millis);
                rows.add(String.format(
                        Locale.ROOT,
                        "  %-30s wall %9.1f ms   %s   non-zero weights %d   iterations %d (regParam %.3g, elasticNet %.3f)",
                        name,
                        millis,
                        q,
                        SparkLogistic.nonZero(model),
                        model.summary().totalIterations(),
                        r.regParam(),
                        r.elasticNet()));
            }
        } finally {
            spark.stop();
        }

        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "TEST (%d examples; models learn from train + validation, %d examples, in time order)%n",
                testIdx.length,
                fitIdx.length);
        rows.forEach(System.out::println);
        double ftrl = auc.get("FTRL context 1 pass");
        double sparkAuc = auc.get("Spark LR context");
        double plain = auc.get("FTRL no-context 1 pass");
        double gap = ftrl - sparkAuc;
        double lift = ftrl - plain;
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "wall-time ratio FTRL (1 pass) / Spark LR = %.4f (%.1f× faster)%n",
                wall.get("FTRL context 1 pass") / wall.get("Spark LR context"),
                wall.get("Spark LR context") / wall.get("FTRL context 1 pass"));
        System.out.printf(
                Locale.ROOT,
                "check |AUC(FTRL) − AUC(Spark)| = |%+.4f| ≤ %.2f: %s%n",
                gap,
                AUC_GAP_TARGET,
                Math.abs(gap) <= AUC_GAP_TARGET ? "MET" : "MISSED by " + fmt(Math.abs(gap) - AUC_GAP_TARGET));
        for (int passes = 2; passes <= 3; passes++) {
            double g = auc.get("FTRL context " + passes + " passes") - sparkAuc;
            System.out.printf(Locale.ROOT, "      (with %d passes: %+.4f)%n", passes, g);
        }
        System.out.printf(
                Locale.ROOT,
                "check AUC(context) − AUC(no context) = %+.4f > 0: %s%n",
                lift,
                lift > 0 ? "MET" : "MISSED");
        if (auc.containsKey("Spark LR no-context")) {
            System.out.printf(
                    Locale.ROOT,
                    "      (the same lift under Spark LR: %+.4f)%n",
                    sparkAuc - auc.get("Spark LR no-context"));
        }
    }

    private static double meanSize(HashedFeatures[] x) {
        long total = 0;
        for (HashedFeatures f : x) {
            total += f.size();
        }
        return x.length == 0 ? 0 : (double) total / x.length;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
