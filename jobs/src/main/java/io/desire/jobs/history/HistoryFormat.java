package io.desire.jobs.history;

import java.util.Locale;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;

/**
 * The layouts of history files, and how a file's layout is told from its name (and, for {@code .csv},
 * its header line).
 *
 * <p>Guarantees: {@link #parse} accepts exactly {@code auto}, {@code jsonl}, {@code csv} and
 * {@code movielens} (any case) and returns {@code null} for {@code auto}; {@link #detect} decides from
 * the name with a compression suffix that Flink can decompress ({@code .gz}, {@code .bz2}, …) removed,
 * looks at the header line only for {@code .csv} files, and throws an {@link IllegalArgumentException}
 * naming the file and the accepted names when it cannot tell.
 */
public enum HistoryFormat {
    /** One event of the contract (docs/events.md) per line: {@code .jsonl}, {@code .ndjson}, {@code .json}. */
    JSONL,
    /** A header of contract field names, then one event per row ({@link CsvLines}): {@code .csv}. */
    CSV,
    /**
     * MovieLens ratings ({@code ratings.csv}, {@code u.data}, {@code ratings.dat}) and movies ({@code
     * movies.csv}, {@code movies.dat}, {@code u.item}), turned into {@code rate} and {@code item} events.
     */
    MOVIELENS,
    /**
     * The backfill's own event-time-ordered copy of the history ({@link
     * io.desire.jobs.history.HistorySorter}): one record per line, {@code <origin> TAB <event JSON>},
     * where the origin is the {@code file:<path>#<line>} of the line it came from. Never detected from
     * a name and not a value of {@code history.format}: the backfill names it itself.
     */
    SORTED;

    /** Header of MovieLens {@code ratings.csv}, normalised by {@link #normalizedHeader}. */
    static final String MOVIELENS_RATINGS_HEADER = "userid,movieid,rating,timestamp";
    /** Header of MovieLens {@code movies.csv}, normalised by {@link #normalizedHeader}. */
    static final String MOVIELENS_MOVIES_HEADER = "movieid,title,genres";

    private static final String ACCEPTED_FORMATS = "auto, jsonl, csv or movielens";
    private static final String ACCEPTED_NAMES =
            "*.jsonl, *.ndjson, *.json (JSONL), *.csv (CSV, or MovieLens when its header is"
                    + " userId,movieId,rating,timestamp or movieId,title,genres), u.data, *.data, *.dat, u.item (MovieLens),"
                    + " each optionally compressed (" + String.join(", ", suffixes()) + ")";

    /**
     * The format set in configuration: {@code auto} (or {@code null} / blank) gives {@code null}, meaning
     * "detect per file"; {@code jsonl}, {@code csv}, {@code movielens} (any case) give that format, which
     * then applies to every file whatever its name.
     */
    public static HistoryFormat parse(String configured) {
        String s = configured == null ? "" : configured.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "":
            case "auto":
                return null;
            case "jsonl":
                return JSONL;
            case "csv":
                return CSV;
            case "movielens":
                return MOVIELENS;
            default:
                throw new IllegalArgumentException(
                        "unknown history format '" + configured + "': expected " + ACCEPTED_FORMATS);
        }
    }

    /**
     * The format of the file named {@code fileName} (a name or a path; only the last segment counts).
     * {@code headerLine} is the file's first line, consulted only for {@code .csv} files; {@code null}
     * (an empty file) means plain CSV.
     *
     * @throws IllegalArgumentException when the name has none of the known extensions
     */
    public static HistoryFormat detect(String fileName, String headerLine) {
        String name = baseName(fileName);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSONL;
        }
        if (name.endsWith(".data") || name.endsWith(".dat") || name.endsWith(".item")) {
            return MOVIELENS;
        }
        if (name.endsWith(".csv")) {
            String header = normalizedHeader(headerLine);
            return header.equals(MOVIELENS_RATINGS_HEADER) || header.equals(MOVIELENS_MOVIES_HEADER) ? MOVIELENS : CSV;
        }
        throw new IllegalArgumentException("cannot tell the history format of '" + fileName + "' from its name;"
                + " accepted names are " + ACCEPTED_NAMES + "; or set the format to jsonl, csv or movielens");
    }

    /**
     * Checks that {@link #detect} can tell the format of {@code fileName} (whatever its header), so a
     * job fails before it starts instead of at the file.
     *
     * @throws IllegalArgumentException as {@link #detect} does
     */
    public static void checkDetectable(String fileName) {
        detect(fileName, null);
    }

    /**
     * The last segment of {@code fileName}, lower-cased, without one compression suffix that Flink's
     * {@link StandardDeCompressors} knows (in Flink 2.2: {@code deflate}, {@code gz}, {@code gzip},
     * {@code bz2}, {@code xz}).
     */
    static String baseName(String fileName) {
        String name = fileName == null ? "" : fileName;
        int slash = name.lastIndexOf('/');
        name = name.substring(slash + 1).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && StandardDeCompressors.getDecompressorForExtension(name.substring(dot + 1)) != null) {
            name = name.substring(0, dot);
        }
        return name;
    }

    /** A header line lower-cased, without a byte-order mark, blanks and double quotes. */
    static String normalizedHeader(String headerLine) {
        if (headerLine == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(headerLine.length());
        for (int i = 0; i < headerLine.length(); i++) {
            char c = headerLine.charAt(i);
            if (c != '\uFEFF' && c != '"' && !Character.isWhitespace(c)) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    private static java.util.List<String> suffixes() {
        return StandardDeCompressors.getCommonSuffixes().stream()
                .sorted()
                .map(s -> "." + s)
                .toList();
    }
}
