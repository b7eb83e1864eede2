package io.desire.eval;

import io.desire.features.data.InteractionTable;
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
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a {@link History} from a history file, read exactly as the backfill reads it: each line goes
 * through the backfill's converter for its format ({@link HistoryLines}: {@code jsonl}, {@code csv},
 * {@code movielens}, the names and meanings of {@code history.format}, docs/backfill.md) and then the
 * live pipeline's {@link EventParser}. So there is one reader per format, and a line the backfill
 * would dead-letter is a bad line here, with the parser's reason. Every format is read leniently: a
 * line that cannot be used is counted with its reason (the first few are quoted) and skipped, never
 * fatal.
 *
 * <ul>
 *   <li>Behaviour events become rows weighted by {@link EventWeights}, {@code rate} events also carry
 *       their rating; {@code item} events give categories, {@code user} events segments; a repeated
 *       {@code event_id} counts once; users who asked to be forgotten are dropped entirely.
 *   <li>MovieLens ratings are explicit feedback: each is used both as the rating and as implicit
 *       evidence, without context (the files have none). A MovieLens ratings file takes its items'
 *       categories from the movie list beside it ({@link #catalogueBeside}: {@code u.item},
 *       {@code movies.csv}, {@code movies.dat}).
 * </ul>
 */
public final class HistoryLoader {

    /**
     * The format names {@code --format} accepts: those of {@code history.format} ({@code auto}, {@code
     * jsonl}, {@code csv}, {@code movielens}; {@code auto} gives {@code null}), and the MovieLens layout
     * names {@code movielens-csv}, {@code u.data}, {@code ratings.dat} as other names of {@code movielens}.
     */
    static HistoryFormat parseFormat(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (s.equals("movielens-csv") || s.equals("u.data") || s.equals("ratings.dat")) {
            return HistoryFormat.MOVIELENS;
        }
        try {
            return HistoryFormat.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --format '" + name
                    + "': expected auto, jsonl, csv or movielens (also movielens-csv, u.data, ratings.dat)");
        }
    }

    /** The format of {@code file} as the backfill detects it (name, and header line for {@code .csv}); null if it cannot tell. */
    static HistoryFormat guessFormat(Path file) {
        String first = null;
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = r.readLine();
        } catch (IOException | java.io.UncheckedIOException e) {
            // unreadable here: decide from the name alone, the read reports the real problem
        }
        try {
            return HistoryFormat.detect(file.getFileName().toString(), first);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The name a format has on the command line and in reports. */
    static String nameOf(HistoryFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }

    /** First instant of generated traffic: 2026-01-01T00:00Z. */
    static final long GENERATED_START = 1_767_225_600_000L;
    /** Generated traffic spans this many days, so every context (daypart, weekpart) is visited. */
    static final long GENERATED_DAYS = 28;

    static final double GENERATED_MALFORMED_RATE = 0.001;
    static final double GENERATED_DUPLICATE_RATE = 0.001;

    private static final EventWeights WEIGHTS = new EventWeights();

    private HistoryLoader() {}

    static History load(Path file, HistoryFormat format) throws IOException {
        return load(file, format, false);
    }

    /** As {@link #load(Path, HistoryFormat)}; with {@code keepRaw}, each row keeps its event JSON. */
    static History load(Path file, HistoryFormat format, boolean keepRaw) throws IOException {
        EventSink sink = new EventSink(
                new LoadReport(file.toString(), nameOf(format)), ParserConfig.defaults(), keepRaw, format);
        read(file, format, sink);
        History history = sink.finish();
        Path catalogue = catalogueBeside(file, format);
        if (catalogue != null) {
            catalogue(catalogue, history);
        }
        return history;
    }

    /**
     * The ratings of a history file (a MovieLens ratings file, or {@code rate} events in any format)
     * as a table in file order, read by the backfill's reader; for side-by-side model benchmarks.
     * Lines that cannot be read are skipped and counted in the returned history's load report.
     *
     * @throws IllegalArgumentException when the format cannot be told from the file's name
     */
    public static InteractionTable ratings(Path file) throws IOException {
        HistoryFormat format = guessFormat(file);
        if (format == null) {
            HistoryFormat.checkDetectable(file.toString());
        }
        History history = load(file, format);
        return history.table(history.allRows(), true);
    }

    /**
     * A ready-made split: two history files (e.g. u.data-like {@code user TAB item TAB rating TAB ts})
     * read into one history; rows {@code [0, trainRows)} come from {@code train}, the rest from {@code
     * test}. Returns the history and the number of training rows.
     */
    static Map.Entry<History, Integer> pair(Path train, Path test, HistoryFormat format) throws IOException {
        EventSink sink = new EventSink(
                new LoadReport(train + " + " + test, nameOf(format)), ParserConfig.defaults(), true, format);
        read(train, format, sink);
        int trainRows = sink.history.size();
        read(test, format, sink);
        History history = sink.finish();
        if (history.size() < trainRows) {
            throw new IllegalArgumentException(
                    "--train " + train + ": a user of the training file asked to be forgotten"
                            + " in the test file; a ready-made split cannot drop training rows");
        }
        return Map.entry(history, trainRows);
    }

    /** Feeds each line of {@code file}, converted as the backfill converts it, to {@code sink}. */
    private static void read(Path file, HistoryFormat format, EventSink sink) throws IOException {
        HistoryLines lines = HistoryLines.forFile(format, file.getFileName().toString());
        forEachLine(file, (line, number) -> {
            byte[] payload = lines.convert(number == 1 ? withoutBom(line) : line);
            if (payload == null) {
                sink.ignoredLine(isBlank(line) ? "blank line" : "header line");
            } else {
                sink.accept(payload, "file:" + file + "#" + number);
            }
        });
    }

    /**
     * The MovieLens movie list that sits next to a MovieLens ratings file, as the data sets ship them:
     * {@code u.item} beside {@code u.data} (or any {@code *.data}), {@code movies.csv} beside {@code
     * ratings.csv}, {@code movies.dat} beside {@code ratings.dat}; {@code null} when there is none or
     * the format is not MovieLens.
     */
    static Path catalogueBeside(Path ratings, HistoryFormat format) {
        if (format != HistoryFormat.MOVIELENS) {
            return null;
        }
        String file = ratings.getFileName().toString().toLowerCase(Locale.ROOT);
        String name = file.endsWith(".csv") ? "movies.csv" : file.endsWith(".dat") ? "movies.dat" : "u.item";
        Path candidate = ratings.toAbsolutePath().resolveSibling(name);
        return Files.isRegularFile(candidate) && !candidate.equals(ratings.toAbsolutePath()) ? candidate : null;
    }

    /**
     * Reads the categories of the items of {@code history} from a MovieLens movie list, converted line by
     * line exactly as the backfill converts it ({@link HistoryLines}, then the {@link EventParser}).
     * Movies nobody rated are skipped, so the catalogue never changes the items evaluated; lines that
     * cannot be read are counted as bad lines of the catalogue.
     */
    static void catalogue(Path file, History history) throws IOException {
        history.load.catalogue = file.toString();
        catalogue(file, HistoryFormat.MOVIELENS, history, false);
    }

    /**
     * Reads the {@code item} events of a catalogue file in {@code format} as the backfill does and
     * records their categories; items the history does not hold are added only with {@code addItems}.
     * Returns how many categories were recorded.
     */
    static int catalogue(Path file, HistoryFormat format, History history, boolean addItems) throws IOException {
        LoadReport report = history.load;
        HistoryLines lines = HistoryLines.forFile(format, file.getFileName().toString());
        EventParser parser = new EventParser(ParserConfig.defaults());
        int[] recorded = {0};
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
            if (e.type != EventType.ITEM) {
                return;
            }
            int item = addItems ? history.items.indexOrAdd(e.itemId) : history.items.indexOf(e.itemId);
            if (item >= 0) {
                report.catalogueItems++;
                if (e.category != null) {
                    history.itemCategory.put(item, e.category);
                    recorded[0]++;
                }
            }
        });
        return recorded[0];
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
        EventSink sink = new EventSink(
                new LoadReport(file.toString(), nameOf(HistoryFormat.JSONL)), config, keepRaw, HistoryFormat.JSONL);
        read(file, HistoryFormat.JSONL, sink);
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
        EventSink sink = new EventSink(new LoadReport(source, "generated"), config, keepRaw, HistoryFormat.JSONL);
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
        /** MovieLens ratings: explicit feedback without context, the rating is also the evidence. */
        private final boolean ratingFile;

        private final Set<String> eventIds = new HashSet<>();
        private final Set<String> forgotten = new HashSet<>();

        EventSink(LoadReport report, ParserConfig config, boolean keepRaw, HistoryFormat format) {
            this.report = report;
            this.parser = new EventParser(config);
            this.history = new History(report);
            this.ratingFile = format == HistoryFormat.MOVIELENS;
            if (keepRaw) {
                history.keepRaw();
            }
        }

        /** A line that holds no record: blank, or a header. */
        void ignoredLine(String why) {
            report.lines++;
            report.ignored(why);
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
                    float rating = e.type == EventType.RATE && e.value != null ? e.value.floatValue() : Float.NaN;
                    if (ratingFile && e.type == EventType.RATE) {
                        history.add(e.userId, e.itemId, rating, rating, e.ts, null, payload);
                    } else {
                        float evidence = (float) WEIGHTS.weight(e.type, e.value);
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
}
