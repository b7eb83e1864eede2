package io.desire.jobs.history;

import io.desire.features.event.ParserConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link HistoryFormat#MOVIELENS}, in each of its {@link MovieLensLayout layouts} (told from the file's
 * name, else from its first line). A rating becomes {@code {"event_id":"ml-<user>-<movie>-<seconds>",
 * "ts":<seconds × 1000>,"type":"rate","user_id":"<user>","item_id":"<movie>","value":<rating>}}; a
 * movie ({@code movies.csv} with its header, {@code movies.dat}) becomes an {@code item} event
 * {@code {"event_id":"ml-item-<movie>","ts":631152000000,"type":"item","item_id":"<movie>",
 * "category":"<first genre>","tags":[<genres>]}} (no category and no tags for
 * {@code (no genres listed)}); so does a line of MovieLens 100K's {@code u.item} (pipe-separated,
 * Latin-1; the genres are those of its set flags in {@link #U_ITEM_GENRES} order, {@code unknown} left
 * out). Titles are not kept. A line that does not fit its layout is returned as it is.
 */
final class MovieLensLines implements LineConverter {
    /**
     * Event time of MovieLens {@code item} events: the earliest instant the event parser accepts by
     * default (1990-01-01T00:00Z, 631152000000), so the catalogue is older than every rating (MovieLens starts in
     * 1996) and is never beyond a cut-over. An epoch 0 would be rejected as out of range.
     */
    static final long MOVIE_ITEM_TS = ParserConfig.DEFAULT_EARLIEST_TIMESTAMP.toEpochMilli();
    /** The MovieLens genre list that means "none". */
    static final String NO_GENRES = "(no genres listed)";
    /**
     * The genres of MovieLens 100K's {@code u.item} flags, in column order (as its {@code u.genre} lists
     * them); the first, {@code unknown}, means "none" and is never a category or a tag.
     */
    static final List<String> U_ITEM_GENRES = List.of(
            "unknown",
            "Action",
            "Adventure",
            "Animation",
            "Children's",
            "Comedy",
            "Crime",
            "Documentary",
            "Drama",
            "Fantasy",
            "Film-Noir",
            "Horror",
            "Musical",
            "Mystery",
            "Romance",
            "Sci-Fi",
            "Thriller",
            "War",
            "Western");
    /** Fields of a {@code u.item} line before its genre flags: id, title, release date, video release date, URL. */
    private static final int U_ITEM_LEADING_FIELDS = 5;

    private final String fileName;
    private final LineText text = new LineText();
    private final EventJson json = new EventJson();
    /** The layout, known from the first non-blank line. */
    private MovieLensLayout layout;

    MovieLensLines(String fileName) {
        this.fileName = fileName;
    }

    @Override
    public byte[] convert(byte[] line, boolean first) {
        if (first) {
            String firstLine = LineText.lenient(line);
            layout = MovieLensLayout.of(fileName, firstLine);
            if (layout.isHeader(firstLine)) {
                return null;
            }
        }
        // u.item is Latin-1 by definition: every byte is a character, so accented titles never fail it.
        String row = layout == MovieLensLayout.U_ITEM ? LineText.latin1(line) : text.strict(line);
        if (row == null && layout.movies) {
            // ml-1m's movies.dat is Latin-1; only its titles are non-ASCII, and titles are not kept.
            row = LineText.latin1(line);
        }
        if (row == null) {
            return line;
        }
        byte[] out = layout.movies ? movie(row) : rating(row);
        return out == null ? line : out;
    }

    private byte[] rating(String row) {
        List<String> f = splitExact(row, layout.separator);
        if (f.size() != 4 || f.get(0).isEmpty() || f.get(1).isEmpty()) {
            return null;
        }
        double rating;
        long seconds;
        long millis;
        try {
            rating = Double.parseDouble(f.get(2));
            seconds = Long.parseLong(f.get(3));
            millis = Math.multiplyExact(seconds, 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (!Double.isFinite(rating) || !isPlainNumber(f.get(2))) {
            return null;
        }
        String user = f.get(0);
        String movie = f.get(1);
        return json.object(g -> {
            g.writeStringField("event_id", "ml-" + user + "-" + movie + "-" + seconds);
            g.writeNumberField("ts", millis);
            g.writeStringField("type", "rate");
            g.writeStringField("user_id", user);
            g.writeStringField("item_id", movie);
            g.writeNumberField("value", rating);
        });
    }

    private byte[] movie(String row) {
        if (layout == MovieLensLayout.U_ITEM) {
            return uItem(row);
        }
        List<String> f;
        if (layout == MovieLensLayout.MOVIES_CSV) {
            f = CsvCells.split(row);
        } else {
            // movieId::title::genres; a title may itself hold "::", so cut at the first and the last.
            int a = row.indexOf("::");
            int b = row.lastIndexOf("::");
            // overlapping separators (":::") are one, not two: then there is no title field
            f = a < 0 || b < a + 2 ? null : List.of(row.substring(0, a), row.substring(a + 2, b), row.substring(b + 2));
        }
        if (f == null || f.size() != 3 || f.get(0).strip().isEmpty()) {
            return null;
        }
        String movie = f.get(0).strip();
        List<String> genres = new ArrayList<>();
        String list = f.get(2).strip();
        if (!list.equals(NO_GENRES)) {
            for (String genre : CsvCells.splitList(list)) {
                if (!genre.isBlank()) {
                    genres.add(genre.strip());
                }
            }
        }
        return item(movie, genres);
    }

    /**
     * A {@code u.item} line: {@code id|title|release date|video release date|IMDb URL|19 genre flags}.
     * The flags are read from the end, so a title holding {@code |} does not shift them; each must be
     * {@code 0} or {@code 1}.
     */
    private byte[] uItem(String row) {
        List<String> f = CsvCells.splitList(row);
        int genreCount = U_ITEM_GENRES.size();
        if (f.size() < U_ITEM_LEADING_FIELDS + genreCount || f.get(0).isBlank()) {
            return null;
        }
        List<String> genres = new ArrayList<>();
        int first = f.size() - genreCount;
        for (int g = 0; g < genreCount; g++) {
            String flag = f.get(first + g).strip();
            if (flag.equals("1")) {
                if (g > 0) {
                    genres.add(U_ITEM_GENRES.get(g));
                }
            } else if (!flag.equals("0")) {
                return null;
            }
        }
        return item(f.get(0).strip(), genres);
    }

    /** The {@code item} event of a movie: the first genre as category (none without genres), all as tags. */
    private byte[] item(String movie, List<String> genres) {
        return json.object(g -> {
            g.writeStringField("event_id", "ml-item-" + movie);
            g.writeNumberField("ts", MOVIE_ITEM_TS);
            g.writeStringField("type", "item");
            g.writeStringField("item_id", movie);
            if (!genres.isEmpty()) {
                g.writeStringField("category", genres.get(0));
            }
            g.writeArrayFieldStart("tags");
            for (String genre : genres) {
                g.writeString(genre);
            }
            g.writeEndArray();
        });
    }

    /** The stripped fields of {@code row} between occurrences of {@code separator}. */
    private static List<String> splitExact(String row, String separator) {
        List<String> out = new ArrayList<>(4);
        int from = 0;
        while (out.size() <= 4) {
            int at = row.indexOf(separator, from);
            out.add(row.substring(from, at < 0 ? row.length() : at).strip());
            if (at < 0) {
                break;
            }
            from = at + separator.length();
        }
        return out;
    }

    /** A decimal number as MovieLens writes ratings (no hex, no type suffix, no exponent quirks of parseDouble). */
    private static boolean isPlainNumber(String s) {
        return CsvCells.isJsonNumber(s)
                || (s.startsWith("+") && CsvCells.isJsonNumber(s.substring(1)))
                || (s.startsWith(".") && CsvCells.isJsonNumber("0" + s));
    }
}
