package io.desire.jobs.backfill;

import java.util.Locale;

/**
 * The backfill's progress line from the live accumulators ({@link HistoryCounts}): files done,
 * records, bytes (share of the input), rate and estimated time left. Pure: the driver feeds it the
 * counts and the elapsed time.
 */
public final class BackfillProgress {
    private final int totalFiles;
    private final long totalBytes;

    public BackfillProgress(int totalFiles, long totalBytes) {
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
    }

    /** Whether every input file has been read to its end. */
    public boolean filesDone(HistoryCounts c) {
        return c.files() >= totalFiles;
    }

    /** One progress line, e.g. {@code files 3/10 · 1,234,567 records · 45.1/120.0 MiB (37%) · 98,765 records/s · ETA 20s}. */
    public String line(HistoryCounts c, double elapsedSeconds) {
        long bytes = Math.min(c.bytes(), totalBytes);
        double share = totalBytes == 0 ? 1.0 : (double) bytes / totalBytes;
        double rate = elapsedSeconds > 0 ? c.records() / elapsedSeconds : 0;
        double bytesPerSecond = elapsedSeconds > 0 ? bytes / elapsedSeconds : 0;
        String eta = c.files() >= totalFiles
                ? "done"
                : bytesPerSecond <= 0 ? "ETA unknown" : "ETA " + duration((totalBytes - bytes) / bytesPerSecond);
        return String.format(
                Locale.ROOT,
                "files %d/%d · %,d records · %.1f/%.1f MiB (%.0f%%) · %,.0f records/s · %s",
                c.files(),
                totalFiles,
                c.records(),
                bytes / 1048576.0,
                totalBytes / 1048576.0,
                share * 100,
                rate,
                eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
