package io.desire.bench.ftrl;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.HashedFeatures;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib's batch {@link LogisticRegression} on the same hashed examples: each example becomes a
 * Spark {@code SparseVector} of dimension 2^bits with exactly the example's bucket indices and values.
 *
 * <p>Regularisation is matched to FTRL-Proximal's: FTRL minimises {@code Σ loss + λ1‖w‖₁ + ½λ2‖w‖²}
 * (λ's on the summed loss), Spark {@code (1/N) Σ loss + r·(e‖w‖₁ + ½(1−e)‖w‖²)} (on the mean), so
 * {@code r = (λ1 + λ2)/N} and {@code e = λ1/(λ1 + λ2)}. Features are not standardised (FTRL sees raw
 * values too). Spark fits its own unregularised intercept, because it pins the coefficient of a
 * constant non-zero column — our bias bucket — to zero; the model is otherwise over the same buckets.
 */
public final class SparkLogistic {

    private SparkLogistic() {}

    /** Regularisation of Spark's objective matching FTRL's λ1, λ2 over {@code n} examples. */
    public record Regularisation(double regParam, double elasticNet) {
        public static Regularisation matching(double l1, double l2, long n) {
            double total = l1 + l2;
            return total == 0 ? new Regularisation(0, 0) : new Regularisation(total / n, l1 / total);
        }
    }

    /** A cached data frame (label, features) of the examples {@code at}, in {@code partitions} partitions. */
    public static Dataset<Row> frame(
            SparkSession spark, HashedFeatures[] x, boolean[] y, int[] at, int dimension, int partitions) {
        List<Row> rows = new ArrayList<>(at.length);
        for (int e : at) {
            rows.add(RowFactory.create(y[e] ? 1.0 : 0.0, Vectors.sparse(dimension, x[e].indices, x[e].values)));
        }
        StructType schema = new StructType()
                .add("label", DataTypes.DoubleType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> df =
                spark.createDataFrame(jsc.parallelize(rows, partitions), schema).cache();
        df.count();
        return df;
    }

    public static LogisticRegression estimator(Regularisation reg, int maxIter, double tol) {
        return new LogisticRegression()
                .setLabelCol("label")
                .setFeaturesCol("features")
                .setFamily("binomial")
                .setRegParam(reg.regParam())
                .setElasticNetParam(reg.elasticNet())
                .setStandardization(false)
                .setFitIntercept(true)
                .setMaxIter(maxIter)
                .setTol(tol);
    }

    /** The model's probabilities for the examples {@code at}, computed from its coefficients. */
    public static double[] predict(LogisticRegressionModel model, HashedFeatures[] x, int[] at) {
        double[] w = model.coefficients().toArray();
        double b = model.intercept();
        double[] p = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            HashedFeatures f = x[at[k]];
            double m = b;
            for (int j = 0; j < f.indices.length; j++) {
                m += w[f.indices[j]] * f.values[j];
            }
            p[k] = FtrlModel.sigmoid(m);
        }
        return p;
    }

    /** Number of non-zero coefficients. */
    public static int nonZero(LogisticRegressionModel model) {
        return model.coefficients().numNonzeros();
    }
}
