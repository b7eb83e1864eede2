package io.desire.eval;

/** How the report rounds its figures. */
final class Rounding {
    private Rounding() {}

    /** Six decimals; NaN or infinite (undefined, e.g. no users) becomes null so the JSON stays valid. */
    static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 1e6) / 1e6;
    }

    /** Seconds since {@code startNanos} of {@link System#nanoTime()}. */
    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
