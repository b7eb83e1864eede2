package io.desire.bench;

import org.apache.spark.sql.SparkSession;

/** The Spark session both side-by-side benchmarks run on: local, no UI, bound to loopback. */
final class LocalSpark {
    private LocalSpark() {}

    /** A {@code local[threads]} session with as many shuffle partitions as threads. */
    static SparkSession session(String appName, int threads) {
        return SparkSession.builder()
                .master("local[" + threads + "]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(threads))
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
