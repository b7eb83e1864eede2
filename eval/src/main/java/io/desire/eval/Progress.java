package io.desire.eval;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines while an evaluation runs: elapsed time, stage and counts. */
final class Progress {

    private final PrintStream out;
    private final long started = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    /** A progress reporter that prints nothing. */
    static Progress silent() {
        return new Progress(null);
    }

    void stage(String format, Object... args) {
        if (out != null) {
            out.printf(Locale.ROOT, "[eval %7.1fs] %s%n", seconds(), String.format(Locale.ROOT, format, args));
            out.flush();
        }
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
