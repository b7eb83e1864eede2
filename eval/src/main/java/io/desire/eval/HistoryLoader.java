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
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

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

    private HistoryLoader() {}

    static History load(Path file, HistoryFormat format) throws IOException {
        return load(file, format, false);
    }

    /** As {@link #load(Path, HistoryFormat)}; with {@code keepRaw}, each row keeps its event JSON. */
    static History load(Path file, HistoryFormat format, boolean keepRaw) throws IOException {
        HistorySink sink = new HistorySink(
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
        HistorySink sink = new HistorySink(
                new LoadReport(train + " + " + test, nameOf(format)), ParserConfig.defaults(), true, format);
        read(train, format, sink);
        int trainRows = sink.rows();
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
    private static void read(Path file, HistoryFormat format, HistorySink sink) throws IOException {
        HistoryLines lines = HistoryLines.forFile(format, file.getFileName().toString());
        forEachLine(file, (line, number) -> {
            byte[] payload = lines.convert(number == 1 ? withoutBom(line) : line);
            if (payload == null) {
                sink.ignoredLine(HistorySink.isBlank(line) ? "blank line" : "header line");
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
        HistorySink sink = new HistorySink(
                new LoadReport(file.toString(), nameOf(HistoryFormat.JSONL)), config, keepRaw, HistoryFormat.JSONL);
        read(file, HistoryFormat.JSONL, sink);
        return sink.finish();
    }

    private static byte[] trimCr(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            return java.util.Arrays.copyOf(line, line.length - 1);
        }
        return line;
    }
}
