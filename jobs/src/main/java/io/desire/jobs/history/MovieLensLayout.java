package io.desire.jobs.history;

/**
 * The layouts of MovieLens files: ratings ({@code ratings.csv}, 100K's {@code u.data} tab-separated,
 * 1M's {@code ratings.dat} {@code ::}-separated) and movies ({@code movies.csv}, {@code movies.dat},
 * 100K's pipe-separated {@code u.item}).
 */
enum MovieLensLayout {
    RATINGS_CSV(",", false),
    U_DATA("\t", false),
    RATINGS_DAT("::", false),
    MOVIES_CSV(",", true),
    MOVIES_DAT("::", true),
    U_ITEM("|", true);

    final String separator;
    /** Whether its lines are movies ({@code item} events) rather than ratings. */
    final boolean movies;

    MovieLensLayout(String separator, boolean movies) {
        this.separator = separator;
        this.movies = movies;
    }

    /** The layout of a MovieLens file from its name, else from its first non-blank line. */
    static MovieLensLayout of(String fileName, String firstLine) {
        String name = HistoryFormat.baseName(fileName);
        boolean moviesName = name.startsWith("movies");
        if (name.endsWith(".dat")) {
            return moviesName ? MOVIES_DAT : RATINGS_DAT;
        }
        if (name.endsWith(".data")) {
            return U_DATA;
        }
        if (name.endsWith(".item")) {
            return U_ITEM;
        }
        if (!name.endsWith(".csv")) {
            if (firstLine.contains("::")) {
                return moviesName ? MOVIES_DAT : RATINGS_DAT;
            }
            if (firstLine.indexOf('\t') >= 0) {
                return U_DATA;
            }
        }
        return HistoryFormat.normalizedHeader(firstLine).equals(HistoryFormat.MOVIELENS_MOVIES_HEADER)
                ? MOVIES_CSV
                : RATINGS_CSV;
    }

    /** Whether the first non-blank line of a file in this layout is its header (as MovieLensReader decides). */
    boolean isHeader(String firstLine) {
        if (this != RATINGS_CSV && this != MOVIES_CSV) {
            return false;
        }
        String s = firstLine.strip();
        return !s.isEmpty() && !isDigit(s.charAt(0));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
