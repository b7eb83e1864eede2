package io.desire.eval;

import java.util.Arrays;

/**
 * Reads the values of {@link EvalOptions}: each parser checks its value at once and throws an {@link
 * EvalOptions.UsageException} that names the option and what it accepts.
 */
final class OptionValues {

    private OptionValues() {}

    static String[] list(String name, String v) {
        String[] parts = v.split(",");
        if (parts.length == 0 || Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new EvalOptions.UsageException(name + " takes a comma-separated list, got '" + v + "'");
        }
        return Arrays.stream(parts).map(String::strip).toArray(String[]::new);
    }

    static int positiveInt(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new EvalOptions.UsageException(name + " must be a whole number ≥ 1, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new EvalOptions.UsageException(name + " must be a whole number ≥ 1, got '" + v + "'");
        }
    }

    static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new EvalOptions.UsageException(name + " must be a whole number, got '" + v + "'");
        }
    }

    static double parseDouble(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new EvalOptions.UsageException(name + " must be a finite number, got '" + v + "'");
        }
    }

    static double nonNegative(String name, String v) {
        double d = parseDouble(name, v);
        if (d < 0) {
            throw new EvalOptions.UsageException(name + " values must be ≥ 0, got " + v);
        }
        return d;
    }

    static double fraction(String name, String v, boolean zeroAllowed) {
        double d = parseDouble(name, v);
        if (d < 0 || d >= 1 || (!zeroAllowed && d == 0)) {
            throw new EvalOptions.UsageException(
                    name + " must be a fraction in " + (zeroAllowed ? "[0, 1)" : "(0, 1)") + ", got " + v);
        }
        return d;
    }

    static java.time.Duration duration(String name, String v) {
        java.time.Duration d = io.desire.jobs.config.JobConfig.parseDuration(v);
        if (d == null) {
            throw new EvalOptions.UsageException(name + " takes durations such as 7d or 12h, got " + v);
        }
        if (d.isNegative() || d.isZero()) {
            throw new EvalOptions.UsageException(name + " takes positive durations, got " + v);
        }
        return d;
    }
}
