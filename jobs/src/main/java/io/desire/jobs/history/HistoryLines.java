package io.desire.jobs.history;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.desire.features.event.ParserConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns the lines of one history file into event JSON of the contract (docs/events.md), one line at a
 * time. One instance per file: the first non-blank line may be a header that sets how the rest is read.
 *
 * <p>Guarantees: {@link #convert} never throws on any input and never drops a line that holds data.
 * It returns {@code null} only for a blank line or a header line; for every other line it returns
 * either the event JSON (UTF-8) or, when the line cannot be converted (wrong number of cells, an
 * unterminated quote, a rating that is not a number, bytes that are not UTF-8), the line's original
 * bytes unchanged, so the event parser rejects it and it becomes a dead letter with its origin. Values
 * are copied, never judged: the event parser validates them.
 *
 * <ul>
 *   <li>{@link HistoryFormat#JSONL}: the line as it is.
 *   <li>{@link HistoryFormat#CSV}: the first non-blank line is a header of contract field names
 *       ({@link #CSV_FIELDS}; case and surrounding blanks ignored). Other columns with a name are custom
 *       context attributes, written as strings under {@code context} (all of them, or those the
 *       {@link ContextColumns} select; the parser normalises and bounds them). Cells follow
 *       RFC 4180 (quoted cells hold commas and doubled quotes; a quoted cell cannot span lines). An
 *       empty cell leaves the field out. {@code value}, {@code price}, {@code lat}, {@code lon} become
 *       JSON numbers when they are JSON numbers, {@code available} a boolean when it is true/false,
 *       {@code tags} and {@code interests} arrays split on {@code |}; everything else, and any cell that
 *       is not what its field needs, a string. {@code lat, lon, geo, device, os, tz} go under
 *       {@code context}.
 *   <li>{@link HistoryFormat#MOVIELENS}: a rating ({@code ratings.csv}, {@code u.data} tab-separated,
 *       {@code ratings.dat} {@code ::}-separated) becomes {@code {"event_id":"ml-<user>-<movie>-<seconds>",
 *       "ts":<seconds × 1000>,"type":"rate","user_id":"<user>","item_id":"<movie>","value":<rating>}}; a
 *       movie ({@code movies.csv} with its header, {@code movies.dat}) becomes an {@code item} event
 *       {@code {"event_id":"ml-item-<movie>","ts":631152000000,"type":"item",
 *       "item_id":"<movie>","category":"<first genre>","tags":[<genres>]}} (no category and no tags for
 *       {@code (no genres listed)}); so does a line of MovieLens 100K's {@code u.item} (pipe-separated,
 *       Latin-1; the genres are those of its set flags in {@link #U_ITEM_GENRES} order, {@code unknown}
 *       left out). Titles are not kept.
 * </ul>
 *
 * <p>Not thread-safe; cheap to create.
 */
public final class HistoryLines {

    /** The CSV header names that become top-level fields. */
    public static final List<String> CSV_FIELDS = List.of(
            "event_id",
            "ts",
            "type",
            "user_id",
            "item_id",
            "value",
            "request_id",
            "session_id",
            "category",
            "price",
            "available",
            "tags",
            "segment",
            "locale",
            "interests");
    /** The CSV header names that go under {@code context}. */
    public static final List<String> CSV_CONTEXT_FIELDS = List.of("lat", "lon", "geo", "device", "os", "tz");
    /** Separator of the elements of {@code tags} and {@code interests} in a CSV cell, and of MovieLens genres. */
    public static final char LIST_SEPARATOR = '|';
    /**
     * Event time of MovieLens {@code item} events: the earliest instant the event parser accepts by
     * default (1990-01-01T00:00Z, 631152000000), so the catalogue is older than every rating (MovieLens starts in
     * 1996) and is never beyond a cut-over. An epoch 0 would be rejected as out of range.
     */
    public static final long MOVIE_ITEM_TS = ParserConfig.DEFAULT_EARLIEST_TIMESTAMP.toEpochMilli();
    /** The MovieLens genre list that means "none". */
    static final String NO_GENRES = "(no genres listed)";
    /**
     * The genres of MovieLens 100K's {@code u.item} flags, in column order (as its {@code u.genre} lists
     * them); the first, {@code unknown}, means "none" and is never a category or a tag.
     */
    public static final List<String> U_ITEM_GENRES = List.of(
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

    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte IGNORED = 0;
    private static final byte TOP_LEVEL = 1;
    private static final byte CONTEXT = 2;
    /** A column that is not an event field, written under {@code context} as a custom attribute. */
    private static final byte ATTRIBUTE = 3;

    /** How a CSV column is written. */
    private enum Kind {
        STRING,
        NUMBER,
        BOOLEAN,
        LIST
    }

    /** The MovieLens file layouts. */
    enum MovieLensLayout {
        RATINGS_CSV(","),
        U_DATA("\t"),
        RATINGS_DAT("::"),
        MOVIES_CSV(","),
        MOVIES_DAT("::"),
        U_ITEM("|");

        final String separator;

        MovieLensLayout(String separator) {
            this.separator = separator;
        }
    }

    private final HistoryFormat format;
    private final String fileName;
    private final ContextColumns contextColumns;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);

    /** Whether the first non-blank line has been seen. */
    private boolean started;
    /** CSV: the column names, lower-cased; null before the header or when the header is unusable. */
    private String[] columns;
    /** CSV: per column, {@link #IGNORED}, {@link #TOP_LEVEL}, {@link #CONTEXT} or {@link #ATTRIBUTE}. */
    private byte[] roles;
    /** MovieLens: the layout, known from the first non-blank line. */
    private MovieLensLayout layout;

    private HistoryLines(HistoryFormat format, String fileName, ContextColumns contextColumns) {
        this.format = Objects.requireNonNull(format, "format");
        this.fileName = fileName == null ? "" : fileName;
        this.contextColumns = Objects.requireNonNull(contextColumns, "contextColumns");
    }

    /**
     * A converter for the lines of the file named {@code fileName} (its name tells MovieLens layouts
     * apart); CSV columns that are not event fields become context attributes.
     */
    public static HistoryLines forFile(HistoryFormat format, String fileName) {
        return new HistoryLines(format, fileName, ContextColumns.ALL);
    }

    /** As {@link #forFile(HistoryFormat, String)}, with the CSV columns {@code contextColumns} selects as attributes. */
    public static HistoryLines forFile(HistoryFormat format, String fileName, ContextColumns contextColumns) {
        return new HistoryLines(format, fileName, contextColumns);
    }

    /**
     * The payload of one line (without its line terminator and byte-order mark), or {@code null} when
     * the line is blank or a header.
     */
    public byte[] convert(byte[] line) {
        if (isBlank(line)) {
            return null;
        }
        boolean first = !started;
        started = true;
        switch (format) {
            case JSONL:
            case SORTED:
                return line;
            case CSV:
                return csv(line, first);
            case MOVIELENS:
                return movieLens(line, first);
            default:
                throw new IllegalStateException("unknown format " + format);
        }
    }

    /**
     * Takes note of a line without converting it, as {@link #convert} would (a header still sets the
     * columns); for resuming a file after the lines already emitted.
     */
    public void skip(byte[] line) {
        if (!started) {
            convert(line);
        }
    }

    // ---------------------------------------------------------------------------------------- CSV

    private byte[] csv(byte[] line, boolean first) {
        if (first) {
            List<String> header = csvColumns(decodeLenient(line));
            if (header != null) {
                columns = header.toArray(new String[0]);
                roles = new byte[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    roles[i] = CSV_FIELDS.contains(columns[i])
                            ? TOP_LEVEL
                            : CSV_CONTEXT_FIELDS.contains(columns[i])
                                    ? CONTEXT
                                    : contextColumns.includes(columns[i]) ? ATTRIBUTE : IGNORED;
                }
            }
            return null;
        }
        String text = decode(line);
        if (text == null || columns == null) {
            return line;
        }
        byte[] json = csvRow(text);
        return json == null ? line : json;
    }

    /** The JSON of one CSV row under {@link #columns}, or null when the row does not fit them. */
    private byte[] csvRow(String text) {
        String[] cols = columns;
        List<String> cells = splitCsv(text);
        if (cells == null || cells.size() != cols.length) {
            return null;
        }
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            boolean context = false;
            for (int i = 0; i < cols.length; i++) {
                String cell = cells.get(i);
                if (!cell.isEmpty() && roles[i] == TOP_LEVEL) {
                    writeField(g, cols[i], cell);
                } else if (!cell.isEmpty() && (roles[i] == CONTEXT || roles[i] == ATTRIBUTE)) {
                    context = true;
                }
            }
            if (context) {
                g.writeObjectFieldStart("context");
                for (int i = 0; i < cols.length; i++) {
                    String cell = cells.get(i);
                    if (!cell.isEmpty() && roles[i] == CONTEXT) {
                        writeField(g, cols[i], cell);
                    } else if (!cell.isEmpty() && roles[i] == ATTRIBUTE) {
                        g.writeStringField(cols[i], cell);
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return takeBytes();
    }

    private static void writeField(JsonGenerator g, String name, String cell) throws IOException {
        g.writeFieldName(name);
        switch (kindOf(name)) {
            case NUMBER: {
                String s = cell.strip();
                if (isJsonNumber(s)) {
                    g.writeNumber(s);
                } else {
                    g.writeString(cell);
                }
                break;
            }
            case BOOLEAN: {
                String s = cell.strip();
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                    g.writeBoolean(s.equalsIgnoreCase("true"));
                } else {
                    g.writeString(cell);
                }
                break;
            }
            case LIST:
                g.writeStartArray();
                for (String element : splitList(cell)) {
                    g.writeString(element);
                }
                g.writeEndArray();
                break;
            default:
                g.writeString(cell);
        }
    }

    private static Kind kindOf(String field) {
        switch (field) {
            case "value":
            case "price":
            case "lat":
            case "lon":
                return Kind.NUMBER;
            case "available":
                return Kind.BOOLEAN;
            case "tags":
            case "interests":
                return Kind.LIST;
            default:
                return Kind.STRING;
        }
    }

    /**
     * The column names of a CSV header line (as {@link LineInput} gives it: no line end, no byte-order
     * mark) as rows are read under them: each name stripped and lower-cased; {@code null} when the
     * line is not valid CSV.
     */
    public static List<String> csvColumns(String headerLine) {
        List<String> cells = splitCsv(headerLine);
        return cells == null
                ? null
                : cells.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The cells of one RFC 4180 line, or {@code null} when a quoted cell is not closed or is followed by
     * something other than a comma. A quote inside an unquoted cell is kept as a character.
     */
    public static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            cell.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                if (!closed || (i < n && line.charAt(i) != ',')) {
                    return null;
                }
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                cell.append(line, i, end);
                i = end;
            }
            cells.add(cell.toString());
            if (i >= n) {
                return cells;
            }
            i++; // the comma
        }
    }

    /** Whether {@code s} is a number in JSON's grammar ({@code -?int frac? exp?}). */
    static boolean isJsonNumber(String s) {
        return JSON_NUMBER.matcher(s).matches();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static List<String> splitList(String cell) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = cell.indexOf(LIST_SEPARATOR, from);
            out.add(cell.substring(from, at < 0 ? cell.length() : at));
            if (at < 0) {
                return out;
            }
            from = at + 1;
        }
    }

    // ---------------------------------------------------------------------------------- MovieLens

    private byte[] movieLens(byte[] line, boolean first) {
        if (first) {
            String text = decodeLenient(line);
            layout = layoutOf(fileName, text);
            if (isHeader(layout, text)) {
                return null;
            }
        }
        boolean movies = layout == MovieLensLayout.MOVIES_CSV
                || layout == MovieLensLayout.MOVIES_DAT
                || layout == MovieLensLayout.U_ITEM;
        // u.item is Latin-1 by definition: every byte is a character, so accented titles never fail it.
        String text = layout == MovieLensLayout.U_ITEM ? new String(line, StandardCharsets.ISO_8859_1) : decode(line);
        if (text == null && movies) {
            // ml-1m's movies.dat is Latin-1; only its titles are non-ASCII, and titles are not kept.
            text = new String(line, StandardCharsets.ISO_8859_1);
        }
        if (text == null) {
            return line;
        }
        byte[] json = movies ? movie(text) : rating(text);
        return json == null ? line : json;
    }

    /** The layout of a MovieLens file from its name, else from its first non-blank line. */
    static MovieLensLayout layoutOf(String fileName, String firstLine) {
        String name = HistoryFormat.baseName(fileName);
        boolean moviesName = name.startsWith("movies");
        if (name.endsWith(".dat")) {
            return moviesName ? MovieLensLayout.MOVIES_DAT : MovieLensLayout.RATINGS_DAT;
        }
        if (name.endsWith(".data")) {
            return MovieLensLayout.U_DATA;
        }
        if (name.endsWith(".item")) {
            return MovieLensLayout.U_ITEM;
        }
        if (!name.endsWith(".csv")) {
            if (firstLine.contains("::")) {
                return moviesName ? MovieLensLayout.MOVIES_DAT : MovieLensLayout.RATINGS_DAT;
            }
            if (firstLine.indexOf('\t') >= 0) {
                return MovieLensLayout.U_DATA;
            }
        }
        return HistoryFormat.normalizedHeader(firstLine).equals(HistoryFormat.MOVIELENS_MOVIES_HEADER)
                ? MovieLensLayout.MOVIES_CSV
                : MovieLensLayout.RATINGS_CSV;
    }

    /** Whether the first non-blank line of a file in {@code layout} is its header (as MovieLensReader decides). */
    private static boolean isHeader(MovieLensLayout layout, String firstLine) {
        if (layout != MovieLensLayout.RATINGS_CSV && layout != MovieLensLayout.MOVIES_CSV) {
            return false;
        }
        String s = firstLine.strip();
        return !s.isEmpty() && !isDigit(s.charAt(0));
    }

    private byte[] rating(String text) {
        List<String> f = splitExact(text, layout.separator);
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
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeStringField("event_id", "ml-" + user + "-" + movie + "-" + seconds);
            g.writeNumberField("ts", millis);
            g.writeStringField("type", "rate");
            g.writeStringField("user_id", user);
            g.writeStringField("item_id", movie);
            g.writeNumberField("value", rating);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return takeBytes();
    }

    private byte[] movie(String text) {
        if (layout == MovieLensLayout.U_ITEM) {
            return uItem(text);
        }
        List<String> f;
        if (layout == MovieLensLayout.MOVIES_CSV) {
            f = splitCsv(text);
        } else {
            // movieId::title::genres; a title may itself hold "::", so cut at the first and the last.
            int a = text.indexOf("::");
            int b = text.lastIndexOf("::");
            // overlapping separators (":::") are one, not two: then there is no title field
            f = a < 0 || b < a + 2
                    ? null
                    : List.of(text.substring(0, a), text.substring(a + 2, b), text.substring(b + 2));
        }
        if (f == null || f.size() != 3 || f.get(0).strip().isEmpty()) {
            return null;
        }
        String movie = f.get(0).strip();
        List<String> genres = new ArrayList<>();
        String list = f.get(2).strip();
        if (!list.equals(NO_GENRES)) {
            for (String genre : splitList(list)) {
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
    private byte[] uItem(String text) {
        List<String> f = splitList(text);
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
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
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
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return takeBytes();
    }

    /** The stripped fields of {@code text} between occurrences of {@code separator}. */
    private static List<String> splitExact(String text, String separator) {
        List<String> out = new ArrayList<>(4);
        int from = 0;
        while (out.size() <= 4) {
            int at = text.indexOf(separator, from);
            out.add(text.substring(from, at < 0 ? text.length() : at).strip());
            if (at < 0) {
                break;
            }
            from = at + separator.length();
        }
        return out;
    }

    /** A decimal number as MovieLens writes ratings (no hex, no type suffix, no exponent quirks of parseDouble). */
    private static boolean isPlainNumber(String s) {
        return isJsonNumber(s)
                || (s.startsWith("+") && isJsonNumber(s.substring(1)))
                || (s.startsWith(".") && isJsonNumber("0" + s));
    }

    // ------------------------------------------------------------------------------------- common

    private JsonGenerator generator() throws IOException {
        buffer.reset();
        return JSON.createGenerator(buffer, JsonEncoding.UTF8);
    }

    private byte[] takeBytes() {
        byte[] out = buffer.toByteArray();
        buffer.reset();
        return out;
    }

    /** The line as UTF-8 text, or null when it is not valid UTF-8. */
    private String decode(byte[] line) {
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(line));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String decodeLenient(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** True for an empty line or one of only spaces, tabs and carriage returns. */
    static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
