package io.desire.eval;

import io.desire.features.event.ParserConfig;
import io.desire.jobs.RecommendationPipeline;
import io.desire.jobs.history.HistoryFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The served-quality evaluation ({@code bin/desire eval --served}): what an app reads from
 * Elasticsearch after the real backfill of a training part, scored against the test part, next to
 * offline models fitted on the same training part and scored by the same protocol.
 *
 * <ol>
 *   <li>Split the history (per-user random, seeded; or a global time cut), or take a ready-made split.
 *   <li>Write the training part as a JSONL history file and backfill it (with the catalogue files) with
 *       {@link io.desire.jobs.backfill.BackfillJob} into a fresh alias; again with {@code recs.sources} set to each source
 *       alone. A run that fails is reported as an error in its row, the others go on.
 *   <li>For each unit of {@link ServedProtocol} read the document as an app does ({@link
 *       DocumentMatcher}, {@link ServedIndex}) and score it with {@link ServedScorer}; popularity,
 *       item-kNN and batch implicit ALS are scored on the same units.
 * </ol>
 */
final class ServedEvaluation {

    private final EvalOptions options;
    private final EvalOptions.Served served;
    private final Progress progress;
    private final PrintStream jobOutput;

    ServedEvaluation(EvalOptions options, Progress progress, PrintStream jobOutput) {
        this.options = options;
        this.served = options.served();
        this.progress = progress;
        this.jobOutput = jobOutput;
    }

    /** The share of the training rows held out to choose the half-lives on. */
    static final double TUNING_FRACTION = 0.1;

    EvalReport run() throws IOException {
        long started = System.nanoTime();
        String generatedAt = Instant.now().toString();

        History h;
        RowSplit split;
        if (served.train() != null) {
            progress.stage(
                    "reading the ready-made split %s / %s as %s",
                    served.train(), served.test(), HistoryLoader.nameOf(options.format()));
            var pair = HistoryLoader.pair(served.train(), served.test(), options.format());
            h = pair.getKey();
            split = givenSplit(h, pair.getValue());
        } else {
            h = HistoryInput.read(options, progress, true);
            split = HistoryInput.split(h, options);
        }
        HistoryInput.report(h, progress, false);
        HistoryInput.checkNotEmpty(h);
        int[] fit = History.concat(split.train(), split.validation());
        if (fit.length == 0 || split.test().length == 0) {
            throw new IllegalStateException("the split left " + fit.length + " training and " + split.test().length
                    + " test rows; both must be non-empty");
        }
        progress.stage("split: %s → train %d, test %d rows", split.description(), fit.length, split.test().length);
        int categories = readCatalog(h);
        progress.stage(
                "item categories: %d items (%d from the catalogue files %s)",
                h.itemCategory.size(), categories, served.catalog());

        double minRelevant = options.minRelevant();
        boolean ratingFile = served.train() != null
                || (options.format() != null && options.format() != HistoryFormat.JSONL && options.generated() == 0);
        if (!served.minRelevantGiven() && ratingFile) {
            minRelevant = 4;
        }
        DocumentMatcher.Match match = DocumentMatcher.Match.parse(served.match());
        Path work = options.out().resolve("work");
        Files.createDirectories(work);
        String runId = "desire-eval-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path trainFile = work.resolve("train.jsonl");
        List<String> inputs = new ArrayList<>();
        for (Path c : served.catalog()) {
            inputs.add(c.toAbsolutePath().toString());
        }
        inputs.add(trainFile.toAbsolutePath().toString());
        HalfLifeTuning.Tuned halfLives = tuneHalfLives(h, fit, minRelevant);
        List<String> jobArgs = jobArgs(halfLives);
        ServedBackfill backfill =
                new ServedBackfill(served.kafkaBootstrap(), served.esUrl(), runId, work, inputs, jobArgs);
        ParserConfig parser;
        try {
            parser = RecommendationPipeline.parserConfig(backfill.config("served", null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad backfill job arguments: " + e.getMessage(), e);
        }

        Map<String, Set<String>> trained = ServedProtocol.trainingItems(h, fit);
        String[] contexts = ServedHistory.contextKeys(h, split.test(), parser);
        List<ServedProtocol.Unit> units = ServedProtocol.units(h, trained, split.test(), contexts, minRelevant, match);
        long users = units.stream().map(ServedProtocol.Unit::user).distinct().count();
        int catalogue =
                (int) trained.values().stream().flatMap(Set::stream).distinct().count();
        progress.stage(
                "protocol: %d units (%d users, %d distinct test contexts), catalogue %d items, relevant = %s",
                units.size(),
                users,
                java.util.Arrays.stream(contexts).distinct().count(),
                catalogue,
                minRelevant == Double.MIN_VALUE ? "any positive evidence" : "evidence ≥ " + minRelevant);
        if (units.isEmpty()) {
            throw new IllegalStateException(
                    "no test event is relevant for a user with training rows: nothing to score");
        }

        ServedRows scoring = new ServedRows(options, progress, h, units, trained, catalogue);
        List<ServedReport.Row> rows = new ArrayList<>(scoring.offline(fit));
        long lines = ServedHistory.writeTraining(h, fit, trainFile);
        progress.stage("wrote the training part: %s (%d lines); backfill inputs %s", trainFile, lines, inputs);
        rows.add(scoring.served(
                backfill,
                "served",
                null,
                "served documents, all candidate sources",
                match,
                served.esUrl(),
                served.keepIndex(),
                jobOutput));
        for (String source : served.sourcesAlone()) {
            rows.add(scoring.served(
                    backfill,
                    "source-" + source,
                    source,
                    "served documents, recs.sources=" + source + " alone",
                    match,
                    served.esUrl(),
                    served.keepIndex(),
                    jobOutput));
        }
        PlantedBenchmark.Report planted = options.planted() > 0 ? Evaluation.planted(options, progress) : null;
        Double elapsed = Rounding.round(Rounding.seconds(started));
        progress.stage("done in %.1fs", Rounding.seconds(started));
        return new EvalReport(
                "Desire Engine served-quality evaluation",
                generatedAt,
                EvalReport.Input.of(h),
                splitSection(split, fit.length),
                protocolSection(match, minRelevant, units.size(), users, catalogue),
                halfLives == null ? null : new TuningReport(null, halfLives.report(), null),
                new ServedReport(runId, jobArgs, rows),
                List.of(),
                null,
                planted,
                elapsed);
    }

    /** The ready-made split: the first {@code trainRows} rows of {@code h} train, the rest test. */
    private RowSplit givenSplit(History h, int trainRows) {
        int[] train = new int[trainRows];
        int[] test = new int[h.size() - trainRows];
        for (int r = 0; r < h.size(); r++) {
            if (r < trainRows) {
                train[r] = r;
            } else {
                test[r - trainRows] = r;
            }
        }
        return new RowSplit(
                train,
                new int[0],
                test,
                "given",
                "ready-made split: train " + served.train() + ", test " + served.test());
    }

    /**
     * The half-lives chosen on a validation part carved out of the training rows ({@link
     * HalfLifeTuning}, the last {@value #TUNING_FRACTION} of them by time or per user at random, as the
     * split was made); null without a grid.
     */
    private HalfLifeTuning.Tuned tuneHalfLives(History h, int[] fit, double minRelevant) {
        if (options.halfLives().isEmpty()) {
            return null;
        }
        int[][] carved =
                RowSplit.carve(h, fit, TUNING_FRACTION, options.split().equals("chronological"), options.seed());
        return new HalfLifeTuning(options.halfLives(), options.k(), minRelevant, progress).run(h, carved[0], carved[1]);
    }

    /** The backfill's job arguments: the tuned half-lives ahead of those given after {@code --}, whose own win. */
    private List<String> jobArgs(HalfLifeTuning.Tuned tuned) {
        List<String> given = served.jobArgs();
        if (tuned == null) {
            return given;
        }
        List<String> args = new ArrayList<>();
        tuned.choice().halfLives().forEach((key, d) -> {
            if (!given.contains("--" + key)) {
                args.add("--" + key);
                args.add(HalfLifeTuning.format(d));
            }
        });
        progress.stage(
                "half-lives chosen on validation: %s",
                args.isEmpty() ? "none (given after --)" : String.join(" ", args));
        args.addAll(given);
        return List.copyOf(args);
    }

    /** Reads the catalogue files' item categories as the backfill does; returns how many it added. */
    private int readCatalog(History h) throws IOException {
        int before = h.itemCategory.size();
        for (Path file : served.catalog()) {
            HistoryFormat format = HistoryLoader.guessFormat(file);
            if (format == null) {
                try {
                    HistoryFormat.checkDetectable(file.toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--catalog " + file + ": " + e.getMessage(), e);
                }
            }
            HistoryLoader.catalogue(file, format, h, true);
        }
        return h.itemCategory.size() - before;
    }

    private EvalReport.Split splitSection(RowSplit split, int trainRows) {
        return new EvalReport.Split(
                split.scheme(),
                split.description(),
                0,
                options.test(),
                options.seed(),
                trainRows,
                0,
                split.test().length,
                "the training part (backfilled, and fitted by the offline models)");
    }

    private EvalReport.Protocol protocolSection(
            DocumentMatcher.Match match, double minRelevant, int units, long users, int catalogue) {
        return new EvalReport.Protocol.Served(
                options.k(),
                (minRelevant == Double.MIN_VALUE
                                ? "test items with positive evidence"
                                : "test items with evidence (rating) ≥ " + minRelevant)
                        + ", not consumed by the user in training",
                "offline models: training items minus the user's training items; served: the list as read",
                match == DocumentMatcher.Match.CONTEXT
                        ? "a user and one context key of their test events: the document of that context, else the user's"
                                + " most recent document (event_time, then profile_events)"
                        : "a user: their document with the most profile_events (served-check's rule)",
                match.name().toLowerCase(java.util.Locale.ROOT),
                units,
                users,
                catalogue,
                "binary gains, 1/log2(rank+1) discount, ideal over min(|relevant|, K); means over units",
                "distinct categories / items with a category in the top K");
    }
}
