package io.desire.features.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads MovieLens rating files ({@link MovieLensFormat}) into an {@link InteractionTable}: user and
 * movie ids become dictionary entries (ids kept as the decimal strings in the file), ratings stay
 * as written, and timestamps are converted from seconds to epoch milliseconds.
 *
 * <p>Reading is strict: a line with the wrong number of fields, a non-numeric rating or timestamp
 * fails the whole read with a {@link MalformedHistoryException} naming the line, because a silently
 * shortened history would bias every figure computed from it. Blank lines, a UTF-8 byte-order mark
 * and Windows line endings are tolerated; for {@code ratings.csv} a first line that does not start
 * with a digit is taken as the header.
 */
public final class MovieLensReader {

    private MovieLensReader() {}

    /** Reads {@code file}, choosing the format from its name. */
    public static InteractionTable read(Path file) throws IOException {
        return read(file, MovieLensFormat.fromFileName(file));
    }

    /** Reads {@code file} in the given format into a new table with fresh dictionaries. */
    public static InteractionTable read(Path file, MovieLensFormat format) throws IOException {
        return read(file, format, InteractionTable.builder());
    }

    /**
     * Reads {@code file} appending to {@code into}, so several files can share dictionaries; returns
     * the built table.
     */
    public static InteractionTable read(Path file, MovieLensFormat format, InteractionTable.Builder into)
            throws IOException {
        String separator = format.separator();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (lineNumber == 1
                        && format == MovieLensFormat.RATINGS_CSV
                        && !Character.isDigit(line.strip().charAt(0))) {
                    continue; // header: userId,movieId,rating,timestamp
                }
                parseLine(file, lineNumber, line, separator, into);
            }
        }
        return into.build();
    }

    private static void parseLine(
            Path file, long lineNumber, String line, String separator, InteractionTable.Builder into)
            throws MalformedHistoryException {
        // Hand-rolled split: String.split takes its regex path for the "::" separator, compiling a
        // pattern per line, which dominates reading the 10M–25M-line data sets.
        String[] fields = new String[4];
        int from = 0;
        int count = 0;
        while (count < 4) {
            int at = line.indexOf(separator, from);
            int end = at < 0 ? line.length() : at;
            fields[count++] = line.substring(from, end).strip();
            if (at < 0) {
                break;
            }
            from = at + separator.length();
            if (count == 4) {
                throw new MalformedHistoryException(
                        file, lineNumber, "expected 4 fields (user, item, rating, timestamp), found more");
            }
        }
        if (count != 4) {
            throw new MalformedHistoryException(
                    file, lineNumber, "expected 4 fields (user, item, rating, timestamp), found " + count);
        }
        if (fields[0].isEmpty() || fields[1].isEmpty()) {
            throw new MalformedHistoryException(file, lineNumber, "empty user or item id");
        }
        float rating;
        long seconds;
        try {
            rating = Float.parseFloat(fields[2]);
        } catch (NumberFormatException e) {
            throw new MalformedHistoryException(file, lineNumber, "rating is not a number: '" + fields[2] + "'");
        }
        if (!Float.isFinite(rating)) {
            throw new MalformedHistoryException(file, lineNumber, "rating is not finite: '" + fields[2] + "'");
        }
        try {
            seconds = Long.parseLong(fields[3]);
        } catch (NumberFormatException e) {
            throw new MalformedHistoryException(
                    file, lineNumber, "timestamp is not whole seconds: '" + fields[3] + "'");
        }
        into.add(fields[0], fields[1], rating, Math.multiplyExact(seconds, 1000L));
    }
}
