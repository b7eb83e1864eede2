package io.desire.bench;

import io.desire.eval.HistoryLoader;
import io.desire.features.als.AlsEvaluation;
import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.features.als.RatingMatrix;
import io.desire.features.data.InteractionTable;
import io.desire.features.data.Split;
import io.desire.features.data.Splits;
import io.desire.features.metrics.RankingSummary;
import io.desire.features.metrics.RatingErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.mutable.WrappedArray;

/**
 * Side-by-side benchmark of our {@link BatchAls} and Spark MLlib's ALS ({@code local[N]}) on one
 * random per-user split of a MovieLens ratings file, with the same rank, regularisation (weighted
 * λ in both), iterations, α and seed, in explicit and implicit mode.
 *
 * <p>What is timed: for us, building the sparse matrix plus the sweeps; for Spark, {@code fit} on a
 * cached DataFrame (session start-up and data loading excluded). Each side first runs once
 * untimed per mode so both are measured with warm JITs. Both models are scored by the same code ({@link
 * AlsEvaluation}) from their factor matrices, on the held-out rows whose user and item were seen
 * in training (explicit RMSE/MAE) and on every user's held-out items (implicit NDCG@K, Recall@K,
 * candidates = trained items minus the user's training items).
 *
 * <p>Usage: {@code AlsVersusSpark [--ratings PATH] [--threads N] [--rank K] [--iterations N]
 * [--lambda L] [--alpha A] [--seed S] [--test-fraction F] [--k K] [--mode explicit|implicit|both]
 * [--spark-blocks N] [--seeds N]}. With {@code --seeds N} (default 3) both are trained from seeds
 * {@code seed .. seed+N−1} on the same split and the figures are reported as mean ± standard
 * deviation, because the gap between two ALS implementations is of the order of the seed noise. Without a readable ratings file it prints why and exits 0, so a missing data
 * set never fails a build.
 */
public final class AlsVersusSpark {

    private static final String DEFAULT_RATINGS = "../shared/datasets/ml-latest-small/ratings.csv";

    private AlsVersusSpark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path ratings = locate(opts.get("ratings"));
        if (ratings == null) {
            System.out.println("SKIP: no readable ratings file at " + opts.getOrDefault("ratings", DEFAULT_RATINGS)
                    + " (looked in " + Path.of("").toAbsolutePath() + " and its parent); pass --ratings PATH");
            return;
        }
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        int rank = Integer.parseInt(opts.getOrDefault("rank", "10"));
        int iterations = Integer.parseInt(opts.getOrDefault("iterations", "10"));
        double lambda = Double.parseDouble(opts.getOrDefault("lambda", "0.1"));
        double alpha = Double.parseDouble(opts.getOrDefault("alpha", "1.0"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        double testFraction = Double.parseDouble(opts.getOrDefault("test-fraction", "0.2"));
        int k = Integer.parseInt(opts.getOrDefault("k", "10"));
        String mode = opts.getOrDefault("mode", "both");
        int sparkBlocks = Integer.parseInt(opts.getOrDefault("spark-blocks", "10"));
        int seeds = Integer.parseInt(opts.getOrDefault("seeds", "3"));

        long loadStart = System.nanoTime();
        InteractionTable table = HistoryLoader.ratings(ratings);
        Split split = Splits.randomPerUser(table, 0, testFraction, seed);
        System.out.printf(
                Locale.ROOT,
                "data: %s — %d ratings, %d users, %d items; split %s → train %d, test %d (%.0f ms)%n",
                ratings,
                table.size(),
                table.numUsers(),
                table.numItems(),
                split.description(),
                split.train().size(),
                split.test().size(),
                ms(loadStart));
        System.out.printf(
                Locale.ROOT,
                "params: rank=%d iterations=%d lambda=%.3f (weighted, as Spark) alpha=%.2f seeds=%d..; ours threads=%d,"
                        + " Spark local[%d] blocks=%d; JVM %s, %d cores%n",
                rank,
                iterations,
                lambda,
                alpha,
                seed,
                threads,
                threads,
                sparkBlocks,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        AlsParams base = new AlsParams(rank, lambda, true, false, alpha, iterations, threads, seed);
        long sparkStart = System.nanoTime();
        SparkSession spark = LocalSpark.session("als-versus-spark", threads);
        try {
            Dataset<Row> trainDf = toDataFrame(spark, split.train()).cache();
            trainDf.count(); // materialise the cache outside the timed region
            System.out.printf(Locale.ROOT, "spark session + data frame ready in %.0f ms%n%n", ms(sparkStart));

            List<String> report = new ArrayList<>();
            if (!mode.equals("implicit")) {
                report.add(explicit(spark, trainDf, split, base, sparkBlocks, seeds));
            }
            if (!mode.equals("explicit")) {
                report.add(implicit(spark, trainDf, split, base.withImplicit(alpha), sparkBlocks, k, seeds));
            }
            System.out.println();
            report.forEach(System.out::println);
        } finally {
            spark.stop();
        }
    }

    private static String explicit(
            SparkSession spark, Dataset<Row> trainDf, Split split, AlsParams params, int blocks, int seeds) {
        RatingMatrix train = RatingMatrix.fromTable(split.train(), RatingMatrix.Duplicates.LAST);
        Stats ourTime = new Stats(), sparkTime = new Stats();
        Stats ourRmse = new Stats(), sparkRmse = new Stats(), ourMae = new Stats(), sparkMae = new Stats();
        long scored = 0;
        for (int s = 0; s < seeds; s++) {
            AlsParams p = params.withSeed(params.seed() + s);
            Timed<AlsModel> ours = timeOurs(split.train(), p, s == 0);
            Timed<AlsModel> theirs = timeSpark(spark, trainDf, split.train(), p, blocks, s == 0);
            RatingErrors ourErrors = AlsEvaluation.ratingErrors(ours.value, train, split.test());
            RatingErrors sparkErrors = AlsEvaluation.ratingErrors(theirs.value, train, split.test());
            scored = ourErrors.count();
            ourTime.add(ours.millis);
            sparkTime.add(theirs.millis);
            ourRmse.add(ourErrors.rmse());
            sparkRmse.add(sparkErrors.rmse());
            ourMae.add(ourErrors.mae());
            sparkMae.add(sparkErrors.mae());
            System.out.printf(
                    Locale.ROOT,
                    "  explicit seed %d: RMSE ours %.4f Spark %.4f%n",
                    p.seed(),
                    ourErrors.rmse(),
                    sparkErrors.rmse());
        }
        return String.format(
                Locale.ROOT,
                "EXPLICIT (test rows scored: %d; mean ± sd over %d seed(s))%n"
                        + "  %-6s wall %s ms   RMSE %s   MAE %s%n"
                        + "  %-6s wall %s ms   RMSE %s   MAE %s%n"
                        + "  wall-time ratio ours/Spark = %.3f (target ≤ 0.5); RMSE ours − Spark = %+.4f (target ≤ 0)%n",
                scored,
                seeds,
                "ours",
                ourTime.format("%7.0f"),
                ourRmse.format("%.4f"),
                ourMae.format("%.4f"),
                "Spark",
                sparkTime.format("%7.0f"),
                sparkRmse.format("%.4f"),
                sparkMae.format("%.4f"),
                ourTime.mean() / sparkTime.mean(),
                ourRmse.mean() - sparkRmse.mean());
    }

    private static String implicit(
            SparkSession spark, Dataset<Row> trainDf, Split split, AlsParams params, int blocks, int k, int seeds) {
        RatingMatrix train = RatingMatrix.fromTable(split.train(), RatingMatrix.Duplicates.SUM);
        Stats ourTime = new Stats(), sparkTime = new Stats();
        Stats ourNdcg = new Stats(), sparkNdcg = new Stats(), ourRecall = new Stats(), sparkRecall = new Stats();
        Stats ourMap = new Stats(), sparkMap = new Stats();
        long users = 0;
        for (int s = 0; s < seeds; s++) {
            AlsParams p = params.withSeed(params.seed() + s);
            Timed<AlsModel> ours = timeOurs(split.train(), p, s == 0);
            Timed<AlsModel> theirs = timeSpark(spark, trainDf, split.train(), p, blocks, s == 0);
            RankingSummary o = AlsEvaluation.ranking(ours.value, train, split.test(), k, Double.NEGATIVE_INFINITY);
            RankingSummary t = AlsEvaluation.ranking(theirs.value, train, split.test(), k, Double.NEGATIVE_INFINITY);
            users = o.users();
            ourTime.add(ours.millis);
            sparkTime.add(theirs.millis);
            ourNdcg.add(o.ndcg());
            sparkNdcg.add(t.ndcg());
            ourRecall.add(o.recall());
            sparkRecall.add(t.recall());
            ourMap.add(o.map());
            sparkMap.add(t.map());
            System.out.printf(
                    Locale.ROOT,
                    "  implicit seed %d: NDCG@%d ours %.4f Spark %.4f; Recall@%d ours %.4f Spark %.4f%n",
                    p.seed(),
                    k,
                    o.ndcg(),
                    t.ndcg(),
                    k,
                    o.recall(),
                    t.recall());
        }
        return String.format(
                Locale.ROOT,
                "IMPLICIT alpha=%.2f (users ranked: %d; every held-out item relevant; mean ± sd over %d seed(s))%n"
                        + "  %-6s wall %s ms   NDCG@%d %s   Recall@%d %s   MAP@%d %s%n"
                        + "  %-6s wall %s ms   NDCG@%d %s   Recall@%d %s   MAP@%d %s%n"
                        + "  wall-time ratio ours/Spark = %.3f (target ≤ 0.5); NDCG ours − Spark = %+.4f,"
                        + " Recall ours − Spark = %+.4f (target ≥ 0)%n",
                params.alpha(),
                users,
                seeds,
                "ours",
                ourTime.format("%7.0f"),
                k,
                ourNdcg.format("%.4f"),
                k,
                ourRecall.format("%.4f"),
                k,
                ourMap.format("%.4f"),
                "Spark",
                sparkTime.format("%7.0f"),
                k,
                sparkNdcg.format("%.4f"),
                k,
                sparkRecall.format("%.4f"),
                k,
                sparkMap.format("%.4f"),
                ourTime.mean() / sparkTime.mean(),
                ourNdcg.mean() - sparkNdcg.mean(),
                ourRecall.mean() - sparkRecall.mean());
    }

    /** Mean and sample standard deviation of a few figures. */
    private static final class Stats {
        private final List<Double> values = new ArrayList<>();

        void add(double v) {
            values.add(v);
        }

        double mean() {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double sd() {
            if (values.size() < 2) {
                return 0;
            }
            double m = mean();
            double ss = values.stream().mapToDouble(v -> (v - m) * (v - m)).sum();
            return Math.sqrt(ss / (values.size() - 1));
        }

        String format(String number) {
            return String.format(Locale.ROOT, number + " ± " + number, mean(), sd());
        }
    }

    private static Timed<AlsModel> timeOurs(InteractionTable train, AlsParams params, boolean warmUp) {
        if (warmUp) {
            new BatchAls(params).fit(train);
        }
        long start = System.nanoTime();
        AlsModel model = new BatchAls(params).fit(train);
        Timed<AlsModel> timed = new Timed<>(model, ms(start));
        System.out.printf(
                Locale.ROOT, "ours  %-8s fit %.0f ms%n", params.implicit() ? "implicit" : "explicit", timed.millis);
        return timed;
    }

    private static Timed<AlsModel> timeSpark(
            SparkSession spark,
            Dataset<Row> trainDf,
            InteractionTable train,
            AlsParams params,
            int blocks,
            boolean warmUp) {
        ALS als = new ALS()
                .setUserCol("user")
                .setItemCol("item")
                .setRatingCol("rating")
                .setRank(params.rank())
                .setMaxIter(params.iterations())
                .setRegParam(params.lambda())
                .setImplicitPrefs(params.implicit())
                .setAlpha(params.alpha())
                .setSeed(params.seed())
                .setNumUserBlocks(blocks)
                .setNumItemBlocks(blocks);
        if (warmUp) {
            als.fit(trainDf);
        }
        long start = System.nanoTime();
        ALSModel fitted = als.fit(trainDf);
        double millis = ms(start);
        System.out.printf(Locale.ROOT, "Spark %-8s fit %.0f ms%n", params.implicit() ? "implicit" : "explicit", millis);
        double[][] users = factors(fitted.userFactors(), train.numUsers(), params.rank());
        double[][] items = factors(fitted.itemFactors(), train.numItems(), params.rank());
        return new Timed<>(
                new AlsModel(train.users(), train.items(), params.rank(), params.implicit(), users, items), millis);
    }

    /** Spark's (id, features) rows as our dense factor rows; ids not in Spark's model stay zero. */
    private static double[][] factors(Dataset<Row> df, int n, int rank) {
        double[][] out = new double[n][rank];
        for (Row row : df.collectAsList()) {
            int id = row.getInt(0);
            WrappedArray<Object> features = row.getAs(1);
            for (int j = 0; j < rank; j++) {
                out[id][j] = ((Number) features.apply(j)).doubleValue();
            }
        }
        return out;
    }

    private static Dataset<Row> toDataFrame(SparkSession spark, InteractionTable t) {
        List<Row> rows = new ArrayList<>(t.size());
        for (int r = 0; r < t.size(); r++) {
            rows.add(RowFactory.create(t.user(r), t.item(r), t.rating(r)));
        }
        StructType schema = new StructType()
                .add("user", DataTypes.IntegerType, false)
                .add("item", DataTypes.IntegerType, false)
                .add("rating", DataTypes.FloatType, false);
        return spark.createDataFrame(rows, schema)
                .repartition(spark.sparkContext().defaultParallelism());
    }

    private record Timed<T>(T value, double millis) {}

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /**
     * Resolves the ratings path against the working directory and, because {@code mvn -f
     * benchmarks/pom.xml exec:exec} runs in {@code benchmarks/}, against its parent (the repository
     * root) too.
     */
    private static Path locate(String given) {
        Path path = Path.of(given == null ? DEFAULT_RATINGS : given);
        List<Path> candidates = new ArrayList<>(List.of(path));
        if (!path.isAbsolute()) {
            candidates.add(Path.of("..").resolve(path));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isReadable(p)) {
                return p.normalize();
            }
        }
        return null;
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
