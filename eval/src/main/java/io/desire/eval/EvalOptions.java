package io.desire.eval;

import static io.desire.eval.OptionValues.duration;
import static io.desire.eval.OptionValues.fraction;
import static io.desire.eval.OptionValues.list;
import static io.desire.eval.OptionValues.nonNegative;
import static io.desire.eval.OptionValues.parseDouble;
import static io.desire.eval.OptionValues.parseLong;
import static io.desire.eval.OptionValues.positiveInt;

import io.desire.jobs.history.HistoryFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Command-line options of {@link EvaluationMain}, validated as they are read; every problem names
 * the option and what it accepts.
 */
record EvalOptions(
        Path input,
        HistoryFormat format,
        int generated,
        int generatedUsers,
        int generatedItems,
        String split,
        double validation,
        double test,
        long seed,
        int k,
        int[] ranks,
        double[] lambdas,
        double[] alphas,
        int iterations,
        int threads,
        int neighbours,
        int negatives,
        int window,
        double streamFraction,
        double minRelevant,
        int planted,
        Path out,
        Served served,
        List<java.time.Duration> halfLives) {

    /** The candidate sources each backfilled alone by default. */
    static final List<String> DEFAULT_SOURCES_ALONE = List.of("als", "affinity", "sequence", "context", "popular");

    /**
     * Options of {@code --served}; null without it.
     *
     * @param train ready-made training file (with {@code test}), or null to split the input
     * @param catalog item files backfilled with the training part and read for categories
     * @param jobArgs backfill job arguments given after {@code --}, passed to every backfill
     */
    record Served(
            Path train,
            Path test,
            List<Path> catalog,
            List<String> sourcesAlone,
            String match,
            String kafkaBootstrap,
            String esUrl,
            boolean keepIndex,
            List<String> jobArgs,
            boolean minRelevantGiven) {}

    /** The {@code --help} text ({@code eval-usage.txt} beside this class). */
    static final String USAGE = Resources.text("eval-usage.txt").stripTrailing();

    static EvalOptions parse(String... args) {
        return parse(System.getenv(), args);
    }

    /** As {@link #parse(String...)}, with the servers' defaults taken from {@code env}. */
    static EvalOptions parse(java.util.Map<String, String> env, String... args) {
        Path input = null;
        HistoryFormat format = null;
        int generated = 0;
        int users = 0;
        int items = 0;
        String split = "random";
        double validation = 0.1;
        double test = 0.2;
        long seed = 42;
        int k = 10;
        int[] ranks = {10, 20};
        double[] lambdas = {0.05, 0.1};
        double[] alphas = {1, 5};
        int iterations = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        int neighbours = 100;
        int negatives = 1;
        int window = 1000;
        double streamFraction = 0.8;
        double minRelevant = Double.MIN_VALUE;
        List<java.time.Duration> halfLives = HalfLifeTuning.DEFAULT_GRID;
        int planted = 0;
        Path out = null;
        boolean served = false;
        boolean keepIndex = false;
        boolean minRelevantGiven = false;
        boolean validationGiven = false;
        Path train = null;
        Path testFile = null;
        List<Path> catalog = List.of();
        List<String> sourcesAlone = DEFAULT_SOURCES_ALONE;
        String match = "context";
        String kafka = env.get("DESIRE_KAFKA_BOOTSTRAP");
        String es = env.get("DESIRE_ES_URL");
        List<String> jobArgs = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            String name = args[a];
            if (name.equals("--help") || name.equals("-h")) {
                throw new UsageException(null);
            }
            if (name.equals("--")) {
                jobArgs.addAll(Arrays.asList(args).subList(a + 1, args.length));
                break;
            }
            if (name.equals("--served")) {
                served = true;
                continue;
            }
            if (name.equals("--keep-index")) {
                keepIndex = true;
                continue;
            }
            if (!name.startsWith("--")) {
                throw new UsageException("unexpected argument '" + name + "'");
            }
            if (a + 1 >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            String v = args[++a];
            switch (name) {
                case "--input" -> input = Path.of(v);
                case "--format" -> {
                    try {
                        format = HistoryLoader.parseFormat(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                case "--generated" -> generated = positiveInt(name, v);
                case "--users" -> users = positiveInt(name, v);
                case "--items" -> items = positiveInt(name, v);
                case "--split" -> {
                    if (!v.equals("random") && !v.equals("chronological")) {
                        throw new UsageException("--split must be random or chronological, got '" + v + "'");
                    }
                    split = v;
                }
                case "--validation" -> {
                    validation = fraction(name, v, true);
                    validationGiven = true;
                }
                case "--test" -> {
                    // a number is the test fraction; anything else the test file of a ready-made split
                    if (v.matches("[0-9.eE+-]+")) {
                        test = fraction(name, v, false);
                    } else {
                        testFile = Path.of(v);
                    }
                }
                case "--seed" -> seed = parseLong(name, v);
                case "--k" -> k = positiveInt(name, v);
                case "--ranks" ->
                    ranks = Arrays.stream(list(name, v))
                            .mapToInt(s -> positiveInt(name, s))
                            .toArray();
                case "--lambdas" ->
                    lambdas = Arrays.stream(list(name, v))
                            .mapToDouble(s -> nonNegative(name, s))
                            .toArray();
                case "--alphas" ->
                    alphas = Arrays.stream(list(name, v))
                            .mapToDouble(s -> nonNegative(name, s))
                            .toArray();
                case "--iterations" -> iterations = positiveInt(name, v);
                case "--threads" -> threads = positiveInt(name, v);
                case "--neighbours", "--neighbors" -> neighbours = positiveInt(name, v);
                case "--half-lives" ->
                    halfLives = v.equals("none")
                            ? List.of()
                            : Arrays.stream(list(name, v))
                                    .map(d -> duration(name, d))
                                    .toList();
                case "--negatives" -> negatives = positiveInt(name, v);
                case "--window" -> window = positiveInt(name, v);
                case "--stream-fraction" -> {
                    streamFraction = fraction(name, v, false);
                    if (streamFraction >= 1) {
                        throw new UsageException("--stream-fraction must be below 1 to leave a hold-out, got " + v);
                    }
                }
                case "--min-relevant" -> {
                    minRelevant = parseDouble(name, v);
                    minRelevantGiven = true;
                }
                case "--planted" -> planted = positiveInt(name, v);
                case "--out" -> out = Path.of(v);
                case "--train" -> train = Path.of(v);
                case "--test-file" -> testFile = Path.of(v);
                case "--catalog" ->
                    catalog = Arrays.stream(list(name, v)).map(Path::of).toList();
                case "--sources-alone" -> sourcesAlone = v.equals("none") ? List.of() : List.of(list(name, v));
                case "--served-match" -> {
                    if (!v.equals("context") && !v.equals("user")) {
                        throw new UsageException("--served-match must be context or user, got '" + v + "'");
                    }
                    match = v;
                }
                case "--kafka-bootstrap" -> kafka = v;
                case "--es-url" -> es = v;
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (train != null || testFile != null) {
            if (!served) {
                throw new UsageException("--train/--test FILE are for --served");
            }
            if (train == null || testFile == null) {
                throw new UsageException("a ready-made split needs both --train FILE and --test FILE");
            }
            if (input != null || generated > 0) {
                throw new UsageException("give either --train/--test or --input/--generated, not both");
            }
            if (format == null) {
                format = HistoryLoader.guessFormat(train);
                if (format == null) {
                    format = HistoryFormat.MOVIELENS;
                }
            }
        } else if (input != null && generated > 0) {
            throw new UsageException("give exactly one of --input PATH or --generated N");
        } else if (input == null && generated == 0) {
            if (served) {
                throw new UsageException("give exactly one of --input PATH or --generated N");
            }
            if (planted == 0) {
                throw new UsageException("give one of --input PATH or --generated N, or --planted N");
            }
        }
        Served servedOptions = null;
        if (served) {
            for (Path p : Stream.concat(Stream.of(input, train, testFile), catalog.stream())
                    .toList()) {
                if (p != null && !Files.isReadable(p)) {
                    throw new UsageException("cannot read " + p);
                }
            }
            if (kafka == null || kafka.isBlank() || es == null || es.isBlank()) {
                throw new UsageException("--served needs Kafka and Elasticsearch: run it as bin/desire eval --served,"
                        + " or give --kafka-bootstrap and --es-url");
            }
            for (String source : sourcesAlone) {
                if (!source.matches("[a-z0-9_-]+")) {
                    throw new UsageException(
                            "--sources-alone takes source names like als,popular; got '" + source + "'");
                }
            }
            if (!validationGiven) {
                validation = 0;
            }
            if (catalog.isEmpty() && input != null && format != HistoryFormat.JSONL) {
                catalog = movieLensCatalogNextTo(input);
            }
            servedOptions = new Served(
                    train,
                    testFile,
                    catalog,
                    sourcesAlone,
                    match,
                    kafka,
                    es,
                    keepIndex,
                    List.copyOf(jobArgs),
                    minRelevantGiven);
        } else if (!jobArgs.isEmpty() || keepIndex || !catalog.isEmpty()) {
            throw new UsageException("job arguments after --, --keep-index and --catalog are for --served");
        }
        if (input != null && format == null) {
            format = HistoryLoader.guessFormat(input);
            if (format == null) {
                throw new UsageException("cannot tell the format of " + input + " from its name: pass --format");
            }
        }
        if (validation + test >= 1) {
            throw new UsageException("--validation + --test must be below 1, got " + (validation + test));
        }
        if (generated > 0) {
            users = users > 0 ? users : Math.max(100, generated / 100);
            items = items > 0 ? items : Math.max(120, generated / 400);
        }
        if (out == null) {
            out = Path.of(
                    "target", "eval-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new EvalOptions(
                input,
                format,
                generated,
                users,
                items,
                split,
                validation,
                test,
                seed,
                k,
                ranks,
                lambdas,
                alphas,
                iterations,
                threads,
                neighbours,
                negatives,
                window,
                streamFraction,
                minRelevant,
                planted,
                out,
                servedOptions,
                halfLives);
    }

    /** Whether a history (a file, generated events or a ready-made split) is evaluated, not only the planted interactions. */
    boolean hasHistory() {
        return input != null || generated > 0 || served != null;
    }

    /**
     * The MovieLens item file next to a MovieLens ratings file ({@code movies.csv} or {@code
     * movies.dat}), which the backfill reads for categories; empty when there is none.
     */
    static List<Path> movieLensCatalogNextTo(Path ratings) {
        Path dir = ratings.toAbsolutePath().getParent();
        if (dir == null) {
            return List.of();
        }
        for (String name : List.of("movies.csv", "movies.dat")) {
            Path candidate = dir.resolve(name);
            if (Files.isReadable(candidate)) {
                return List.of(candidate);
            }
        }
        return List.of();
    }

    /** Human description of the relevance threshold. */
    String relevance() {
        return minRelevant == Double.MIN_VALUE
                ? "every held-out interaction with positive evidence"
                : String.format(Locale.ROOT, "held-out interactions with evidence ≥ %s", minRelevant);
    }

    /** A command-line mistake; a null message asks for the usage text only. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
