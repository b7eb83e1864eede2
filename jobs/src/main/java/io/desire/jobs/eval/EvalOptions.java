package io.desire.jobs.eval;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/**
 * Command-line options of {@link EvaluationMain}, validated as they are read; every problem names
 * the option and what it accepts.
 */
record EvalOptions(
        Path input,
        HistoryLoader.Format format,
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
        Path out) {

    static final String USAGE = String.join("\n",
            "Usage: bin/desire eval (--input PATH [--format FMT] | --generated N) [--planted N] [options]",
            "       bin/desire eval --planted N [--seed S]",
            "",
            "Offline and prequential evaluation of the recommenders; writes report.json and report.html.",
            "",
            "Input (one of):",
            "  --input PATH            history file",
            "  --format FMT            jsonl (our events) | csv (user,item,rating,timestamp) |",
            "                          movielens-csv (ratings.csv) | u.data | ratings.dat   (default: from the file name)",
            "  --generated N           N synthetic events from the generator (planted tastes and context effects)",
            "  --users U --items I     size of the generated world (default: N/100 users, N/400 items, at least 100/120)",
            "Split and protocol:",
            "  --split random|chronological   random per user, or a global time cut (default random)",
            "  --validation F --test F fractions (default 0.1, 0.2)",
            "  --seed S                split, initial factors and negative sampling (default 42)",
            "  --k K                   cut-off of the ranking metrics (default 10)",
            "  --min-relevant V        a held-out interaction is relevant if its evidence ≥ V (default: any positive)",
            "Models:",
            "  --ranks 10,20 --lambdas 0.05,0.1 --alphas 1,5   ALS grid tuned on validation",
            "  --iterations N          ALS sweeps (default 10)      --threads N  ALS threads (default: cores)",
            "  --neighbours N          item-kNN neighbourhood size (default 100)",
            "  --negatives N           sampled negatives per positive for the ranker (default 1)",
            "Prequential:",
            "  --window N              scored events per window of the series (default 1000)",
            "  --stream-fraction F     share of the time-ordered test period streamed; the rest is the hold-out on",
            "                          which online and batch-retrained ALS are compared (default 0.8)",
            "Ranker models on planted interactions:",
            "  --planted N             FTRL and the factorisation machine (AUC, log-loss; online and batch) on N",
            "                          generated examples with a context × item interaction a linear model cannot",
            "                          express; alone, or next to the evaluation of a history",
            "Output:",
            "  --out DIR               report folder (default target/eval-<timestamp>)",
            "  --help");

    static EvalOptions parse(String... args) {
        Path input = null;
        HistoryLoader.Format format = null;
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
        int planted = 0;
        Path out = null;
        for (int a = 0; a < args.length; a++) {
            String name = args[a];
            if (name.equals("--help") || name.equals("-h")) {
                throw new UsageException(null);
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
                        format = HistoryLoader.Format.parse(v);
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
                case "--validation" -> validation = fraction(name, v, true);
                case "--test" -> test = fraction(name, v, false);
                case "--seed" -> seed = parseLong(name, v);
                case "--k" -> k = positiveInt(name, v);
                case "--ranks" -> ranks = Arrays.stream(list(name, v)).mapToInt(s -> positiveInt(name, s)).toArray();
                case "--lambdas" -> lambdas = Arrays.stream(list(name, v)).mapToDouble(s -> nonNegative(name, s)).toArray();
                case "--alphas" -> alphas = Arrays.stream(list(name, v)).mapToDouble(s -> nonNegative(name, s)).toArray();
                case "--iterations" -> iterations = positiveInt(name, v);
                case "--threads" -> threads = positiveInt(name, v);
                case "--neighbours", "--neighbors" -> neighbours = positiveInt(name, v);
                case "--negatives" -> negatives = positiveInt(name, v);
                case "--window" -> window = positiveInt(name, v);
                case "--stream-fraction" -> {
                    streamFraction = fraction(name, v, false);
                    if (streamFraction >= 1) {
                        throw new UsageException("--stream-fraction must be below 1 to leave a hold-out, got " + v);
                    }
                }
                case "--min-relevant" -> minRelevant = parseDouble(name, v);
                case "--planted" -> planted = positiveInt(name, v);
                case "--out" -> out = Path.of(v);
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (input != null && generated > 0) {
            throw new UsageException("give exactly one of --input PATH or --generated N");
        }
        if (input == null && generated == 0 && planted == 0) {
            throw new UsageException("give one of --input PATH or --generated N, or --planted N");
        }
        if (input != null && format == null) {
            format = HistoryLoader.Format.guess(input);
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
            out = Path.of("target", "eval-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new EvalOptions(input, format, generated, users, items, split, validation, test, seed, k, ranks,
                lambdas, alphas, iterations, threads, neighbours, negatives, window, streamFraction, minRelevant, planted,
                out);
    }

    /** Whether a history (a file or generated events) is evaluated, not only the planted interactions. */
    boolean hasHistory() {
        return input != null || generated > 0;
    }

    /** Human description of the relevance threshold. */
    String relevance() {
        return minRelevant == Double.MIN_VALUE
                ? "every held-out interaction with positive evidence"
                : String.format(Locale.ROOT, "held-out interactions with evidence ≥ %s", minRelevant);
    }

    private static String[] list(String name, String v) {
        String[] parts = v.split(",");
        if (parts.length == 0 || Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new UsageException(name + " takes a comma-separated list, got '" + v + "'");
        }
        return Arrays.stream(parts).map(String::strip).toArray(String[]::new);
    }

    private static int positiveInt(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new UsageException(name + " must be a whole number ≥ 1, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number ≥ 1, got '" + v + "'");
        }
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + v + "'");
        }
    }

    private static double parseDouble(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a finite number, got '" + v + "'");
        }
    }

    private static double nonNegative(String name, String v) {
        double d = parseDouble(name, v);
        if (d < 0) {
            throw new UsageException(name + " values must be ≥ 0, got " + v);
        }
        return d;
    }

    private static double fraction(String name, String v, boolean zeroAllowed) {
        double d = parseDouble(name, v);
        if (d < 0 || d >= 1 || (!zeroAllowed && d == 0)) {
            throw new UsageException(name + " must be a fraction in " + (zeroAllowed ? "[0, 1)" : "(0, 1)") + ", got " + v);
        }
        return d;
    }

    /** A command-line mistake; a null message asks for the usage text only. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
