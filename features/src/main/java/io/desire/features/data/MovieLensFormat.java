package io.desire.features.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The MovieLens rating file layouts. All three carry user id, item (movie) id, rating and a Unix
 * timestamp in <em>seconds</em>; only the separator and the header differ.
 */
public enum MovieLensFormat {
    /** {@code ratings.csv} of ml-latest(-small), ml-20m, ml-25m: comma separated, one header line. */
    RATINGS_CSV(","),
    /** {@code u.data} of ml-100k: tab separated, no header. */
    U_DATA("\t"),
    /** {@code ratings.dat} of ml-1m, ml-10m: {@code ::} separated, no header. */
    RATINGS_DAT("::");

    private final String separator;

    MovieLensFormat(String separator) {
        this.separator = separator;
    }

    public String separator() {
        return separator;
    }

    /**
     * Picks the format from the file name ({@code *.csv}, {@code u.data} / {@code *.data}, {@code
     * *.dat}); throws with the accepted names if none matches.
     */
    public static MovieLensFormat fromFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return RATINGS_CSV;
        }
        if (name.endsWith(".data")) {
            return U_DATA;
        }
        if (name.endsWith(".dat")) {
            return RATINGS_DAT;
        }
        throw new IllegalArgumentException("cannot tell the MovieLens format of '" + file.getFileName()
                + "': expected ratings.csv (*.csv), u.data (*.data) or ratings.dat (*.dat)");
    }
}
