package io.desire.eval;

import io.desire.features.data.MovieLensFormat;
import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.EventType;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.profile.EventWeights;
import io.desire.jobs.history.HistoryFormat;
import io.desire.jobs.history.HistoryLines;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a {@link History} from one of the supported inputs. Every format is read leniently: a line
 * that cannot be used is counted with its reason (the first few are quoted) and skipped, never
 * fatal — unlike {@link io.desire.features.data.MovieLensReader}, which is strict by design, so the
 * MovieLens layouts are read here with their {@link MovieLensFormat#separator() separators}.
 *
 * <ul>
 *   <li>JSONL events and generated traffic go through the {@link EventParser} (the contract of the
 *       live pipeline): behaviour events become rows weighted by {@link EventWeights}, {@code rate}
 *       events also carry their rating; {@code item} events give categories, {@code user} events
 *       segments; a repeated {@code event_id} counts once; users who asked to be forgotten are
 *       dropped entirely.
 *   <li>Rating files (simple CSV and MovieLens): each line is a rating, used both as the rating and
 *       as implicit evidence; there is no context. A MovieLens ratings file takes its items' categories
 *       from the movie list beside it ({@link #catalogueBeside}: {@code u.item}, {@code movies.csv},
 *       {@code movies.dat}), converted as the backfill converts it.
 * </ul>
 */
public final class HistoryLoader {

    /** The formats {@code --format} accepts. */
    enum Format {
        JSONL("jsonl"),
        CSV("csv"),
        MOVIELENS_CSV("movielens-csv"),
        U_DATA("u.data"),
        RATINGS_DAT("ratings.dat");

        final String cliName;

        Format(String cliName) {
            this.cliName = cliName;
        }

        static Format parse(String name) {
            for (Format f : values()) {
                if (f.cliName.equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException(
                    "unknown --format '" + name + "': expected jsonl, csv, movielens-csv, u.data or ratings.dat");
        }

        /** Guesses the format from a file name; null if it cannot tell. */
        static Format guess(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
                return JSONL;
            }
            if (name.equals("ratings.csv")) {
                return MOVIELENS_CSV;
            }
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".data")) {
                return U_DATA;
            }
            if (name.endsWith(".dat")) {
                return RATINGS_DAT;
            }
            return null;
        }
    }

    /** First instant of generated traffic: 2026-01-01T00:00Z. */
    static final long GENERATED_START = 1_767_225_600_000L;
    /** Generated traffic spans this many days, so every context (daypart, weekpart) is visited. */
    static final long GENERATED_DAYS = 28;

    static final double GENERATED_MALFORMED_RATE = 0.001;
    static final double GENERATED_DUPLICATE_RATE = 0.001;

    private static final EventWeights WEIGHTS = new EventWeights();

    private HistoryLoader() {}

    static History load(Path file, Format format) throws IOException {
        History history = switch (format) {
            case JSONL -> jsonl(file, ParserConfig.defaults());
            case CSV -> delimited(file, format, ",");
            case MOVIELENS_CSV -> delimited(file, format, MovieLensFormat.RATINGS_CSV.separator());
            case U_DATA -> delimited(file, format, MovieLensFormat.U_DATA.separator());
            case RATINGS_DAT -> delimited(file, format, MovieLensFormat.RATINGS_DAT.separator());
        };
        Path catalogue = catalogueBeside(file, format);
        if (catalogue != null) {
            catalogue(catalogue, history);
        }
        return history;
    }

    /**
     * The MovieLens movie list that sits next to a MovieLens ratings file, as the data sets ship them:
     * {@code u.item} beside {@code u.data} (or any {@code *.data}), {@code movies.csv} beside {@code
     * ratings.csv}, {@code movies.dat} beside {@code ratings.dat}; {@code null} when there is none or
     * the format is not MovieLens.
     */
    static Path catalogueBeside(Path ratings, Format format) {
        String name = switch (format) {
            case U_DATA -> "u.item";
            case MOVIELENS_CSV -> "movies.csv";
            case RATINGS_DAT -> "movies.dat";
            default -> null;
        };
        if (name == null) {
            return null;
        }
        Path candidate = ratings.toAbsolutePath().resolveSibling(name);
        return Files.isRegularFile(candidate) ? candidate : null;
    }

    /**
     * Reads the categories of the items of {@code history} from a MovieLens movie list, converted line by
     * line exactly as the backfill converts it ({@link HistoryLines}, then the {@link EventParser}).
     * Movies nobody rated are skipped, so the catalogue never changes the items evaluated; lines that
     * cannot be read are counted as bad lines of the catalogue.
     */
    static void catalogue(Path file, History history) throws IOException {
        LoadReport report = history.load;
        report.catalogue = file.toString();
        HistoryLines lines =
                HistoryLines.forFile(HistoryFormat.MOVIELENS, file.getFileName().toString());
        EventParser parser = new EventParser(ParserConfig.defaults());
        forEachLine(file, (line, number) -> {
            byte[] payload = lines.convert(number == 1 ? withoutBom(line) : line);
            if (payload == null) {
                return;
            }
            String where = "file:" + file + "#" + number;
            ParseOutcome outcome = parser.parse(new RawRecord(payload, where, 0L));
            if (!outcome.isValid()) {
                report.bad(where, outcome.deadLetter().reason, outcome.deadLetter().detail);
                return;
            }
            Event e = outcome.event();
            int item = e.type == EventType.ITEM ? history.items.indexOf(e.itemId) : -1;
            if (item >= 0) {
                report.catalogueItems++;
                if (e.category != null) {
                    history.itemCategory.put(item, e.category);
                }
            }
        });
    }

    /** Calls {@code consumer} with each line of {@code file} (without its {@code \n} and {@code \r}) and its number from 1. */
    private static void forEachLine(Path file, LineConsumer consumer) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            long number = 0;
            int b;
            boolean any = false;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    consumer.accept(trimCr(line.toByteArray()), ++number);
                    line.reset();
                    any = false;
                } else {
                    line.write(b);
                    any = true;
                }
            }
            if (any) {
                consumer.accept(trimCr(line.toByteArray()), ++number);
            }
        }
    }

    @FunctionalInterface
    private interface LineConsumer {
        void accept(byte[] line, long number);
    }

    private static byte[] withoutBom(byte[] line) {
        if (line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            return java.util.Arrays.copyOfRange(line, 3, line.length);
        }
        return line;
    }

    /** Our JSONL events, one per line, through the live pipeline's parser. */
    static History jsonl(Path file, ParserConfig config) throws IOException {
        return jsonl(file, config, false);
    }

    /** As {@link #jsonl(Path, ParserConfig)}; with {@code keepRaw}, each row keeps its input line. */
    static History jsonl(Path file, ParserConfig config, boolean keepRaw) throws IOException {
        EventSink sink = new EventSink(new LoadReport(file.toString(), Format.JSONL.cliName), config, keepRaw);
        forEachLine(file, (line, number) -> sink.accept(line, "file:" + file + "#" + number));
        return sink.finish();
    }

    /**
     * {@code events} behaviour events (after the catalog) of a {@link World} of {@code users} ×
     * {@code items}, spread evenly over {@value #GENERATED_DAYS} days, with a small share of
     * malformed and repeated records so the bad-line path is exercised.
     */
    public static History generated(int events, int users, int items, long seed) {
        return generated(events, users, items, seed, false);
    }

    /** As {@link #generated(int, int, int, long)}; with {@code keepRaw}, each row keeps its event JSON. */
    public static History generated(int events, int users, int items, long seed, boolean keepRaw) {
        World world = new World(users, items, seed);
        EventGenerator generator = new EventGenerator(world, seed, GENERATED_MALFORMED_RATE, GENERATED_DUPLICATE_RATE);
        long span = GENERATED_DAYS * 86_400_000L;
        long end = GENERATED_START + span;
        ParserConfig config = ParserConfig.builder()
                .clock(Clock.fixed(Instant.ofEpochMilli(end + 86_400_000L), ZoneOffset.UTC))
                .build();
        String source = "generated: " + events + " events, " + users + " users, " + items + " items, seed " + seed;
        EventSink sink = new EventSink(new LoadReport(source, "generated"), config, keepRaw);
        long n = 0;
        while (generator.inCatalogPhase()) {
            sink.accept(generator.next(GENERATED_START), "generated#" + (++n));
        }
        for (int e = 0; e < events; e++) {
            long ts = GENERATED_START + (long) ((double) span * e / events);
            sink.accept(generator.next(ts), "generated#" + (++n));
        }
        return sink.finish();
    }

    private static byte[] trimCr(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            return java.util.Arrays.copyOf(line, line.length - 1);
        }
        return line;
    }

    /** Turns parsed events into rows. */
    private static final class EventSink {
        private final LoadReport report;
        private final EventParser parser;
        private final History history;
        private final Set<String> eventIds = new HashSet<>();
        private final Set<String> forgotten = new HashSet<>();

        EventSink(LoadReport report, ParserConfig config, boolean keepRaw) {
            this.report = report;
            this.parser = new EventParser(config);
            this.history = new History(report);
            if (keepRaw) {
                history.keepRaw();
            }
        }

        void accept(byte[] payload, String where) {
            report.lines++;
            if (isBlank(payload)) {
                report.ignored("blank line");
                return;
            }
            ParseOutcome outcome = parser.parse(new RawRecord(payload, where, 0L));
            if (!outcome.isValid()) {
                report.bad(where, outcome.deadLetter().reason, outcome.deadLetter().detail);
                return;
            }
            Event e = outcome.event();
            if (!eventIds.add(e.eventId)) {
                report.duplicates++;
                return;
            }
            switch (e.type) {
                case ITEM -> {
                    report.ignored("item (catalog)");
                    history.sideRecords.add(payload);
                    if (e.category != null) {
                        history.itemCategory.put(history.items.indexOrAdd(e.itemId), e.category);
                    }
                }
                case USER -> {
                    report.ignored("user (attributes)");
                    history.sideRecords.add(payload);
                    if (e.segment != null) {
                        history.userSegment.put(history.users.indexOrAdd(e.userId), e.segment);
                    }
                }
                case FORGET_USER -> {
                    report.ignored("forget_user");
                    forgotten.add(e.userId);
                }
                case IMPRESSION -> report.ignored("impression (no interaction)");
                default -> {
                    float evidence = (float) WEIGHTS.weight(e.type, e.value);
                    float rating = e.type == EventType.RATE && e.value != null ? e.value.floatValue() : Float.NaN;
                    history.add(
                            e.userId,
                            e.itemId,
                            evidence,
                            rating,
                            e.ts,
                            new String[] {e.geoCell, e.timeBucket, e.deviceClass},
                            payload);
                }
            }
        }

        History finish() {
            if (!forgotten.isEmpty()) {
                int before = history.size();
                Set<Integer> gone = new HashSet<>();
                for (String u : forgotten) {
                    int index = history.users.indexOf(u);
                    if (index >= 0) {
                        gone.add(index);
                    }
                }
                history.retain(r -> !gone.contains(history.user(r)));
                report.forgottenRows = before - history.size();
            }
            report.rows = history.size();
            return history;
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t' && x != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Rating lines {@code user SEP item SEP rating SEP timestamp}. MovieLens timestamps are Unix
     * seconds; the simple CSV accepts seconds, milliseconds (≥ 10^11) or ISO-8601. A first line whose
     * rating field is not a number is a header.
     */
    static History delimited(Path file, Format format, String separator) throws IOException {
        History history = new History(new LoadReport(file.toString(), format.cliName));
        delimitedInto(history, file, format, separator);
        return history;
    }

    /**
     * A ready-made split: two rating files (e.g. u.data-like {@code user TAB item TAB rating TAB ts})
     * read into one history; rows {@code [0, trainRows)} come from {@code train}, the rest from {@code
     * test}. Returns the history and the number of training rows.
     */
    static Map.Entry<History, Integer> pair(Path train, Path test, Format format) throws IOException {
        String separator = switch (format) {
            case CSV -> ",";
            case MOVIELENS_CSV -> MovieLensFormat.RATINGS_CSV.separator();
            case U_DATA -> MovieLensFormat.U_DATA.separator();
            case RATINGS_DAT -> MovieLensFormat.RATINGS_DAT.separator();
            case JSONL -> throw new IllegalArgumentException("--train/--test take rating files, not JSONL");
        };
        History history = new History(new LoadReport(train + " + " + test, format.cliName));
        delimitedInto(history, train, format, separator);
        int trainRows = history.size();
        delimitedInto(history, test, format, separator);
        return Map.entry(history, trainRows);
    }

    private static void delimitedInto(History history, Path file, Format format, String separator) throws IOException {
        LoadReport report = history.load;
        boolean movieLens = format != Format.CSV;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                report.lines++;
                if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    report.ignored("blank line");
                    continue;
                }
                String where = "file:" + file + "#" + number;
                String[] f = split(line, separator);
                if (f.length != 4) {
                    report.bad(
                            where,
                            "FIELD_COUNT",
                            "expected 4 fields (user, item, rating, timestamp), found " + f.length + ": "
                                    + snippet(line));
                    continue;
                }
                if (number == 1 && !isNumber(f[2])) {
                    report.ignored("header line");
                    continue;
                }
                if (f[0].isEmpty() || f[1].isEmpty()) {
                    report.bad(where, "EMPTY_ID", "empty user or item id: " + snippet(line));
                    continue;
                }
                float rating;
                try {
                    rating = Float.parseFloat(f[2]);
                } catch (NumberFormatException e) {
                    report.bad(where, "BAD_RATING", "rating is not a number: '" + snippet(f[2]) + "'");
                    continue;
                }
                if (!Float.isFinite(rating)) {
                    report.bad(where, "BAD_RATING", "rating is not finite: '" + snippet(f[2]) + "'");
                    continue;
                }
                long ts;
                try {
                    ts = movieLens ? Math.multiplyExact(Long.parseLong(f[3]), 1000L) : parseTime(f[3]);
                } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
                    report.bad(where, "BAD_TIMESTAMP", "timestamp not understood: '" + snippet(f[3]) + "'");
                    continue;
                }
                history.add(f[0], f[1], rating, rating, ts, null);
            }
        }
        report.rows = history.size();
    }

    private static String[] split(String line, String separator) {
        java.util.List<String> out = new java.util.ArrayList<>(4);
        int from = 0;
        while (true) {
            int at = line.indexOf(separator, from);
            if (at < 0) {
                out.add(line.substring(from).strip());
                break;
            }
            out.add(line.substring(from, at).strip());
            from = at + separator.length();
            if (out.size() > 4) {
                break; // already too many; no need to split further
            }
        }
        return out.toArray(new String[0]);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Epoch seconds, epoch milliseconds (≥ 10^11) or an ISO-8601 instant / offset date-time. */
    static long parseTime(String s) {
        if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) && s.chars().allMatch(Character::isDigit))) {
            long v = Long.parseLong(s);
            return v >= 100_000_000_000L ? v : Math.multiplyExact(v, 1000L);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        }
    }

    private static String snippet(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
