package io.desire.eval;

import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.features.event.ParserConfig;
import io.desire.features.fm.FmParams;
import io.desire.jobs.RecommendationPipeline;
import io.desire.jobs.backfill.BackfillJob;
import io.desire.jobs.history.HistoryFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *       {@link BackfillJob} into a fresh alias; again with {@code recs.sources} set to each source
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

    Map<String, Object> run() throws IOException {
        long started = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("title", "Desire Engine served-quality evaluation");
        report.put("generated_at", Instant.now().toString());

        History h;
        RowSplit split;
        if (served.train() != null) {
            progress.stage(
                    "reading the ready-made split %s / %s as %s",
                    served.train(), served.test(), HistoryLoader.nameOf(options.format()));
            var pair = HistoryLoader.pair(served.train(), served.test(), options.format());
            h = pair.getKey();
            int trainRows = pair.getValue();
            int[] train = new int[trainRows];
            int[] test = new int[h.size() - trainRows];
            for (int r = 0; r < h.size(); r++) {
                if (r < trainRows) {
                    train[r] = r;
                } else {
                    test[r - trainRows] = r;
                }
            }
            split = new RowSplit(
                    train,
                    new int[0],
                    test,
                    "given",
                    "ready-made split: train " + served.train() + ", test " + served.test());
        } else {
            h = load();
            split = options.split().equals("chronological")
                    ? RowSplit.chronological(h, options.validation(), options.test())
                    : RowSplit.randomPerUser(h, options.validation(), options.test(), options.seed());
        }
        report(h);
        Map<String, Object> input = h.load.toMap();
        input.put("users", h.numUsers());
        input.put("items", h.numItems());
        input.put("has_context", h.hasContext());
        input.put("contexts", h.contexts.size());
        input.put("has_ratings", h.hasRatings());
        report.put("input", input);
        if (h.size() == 0) {
            throw new IllegalStateException("no usable interactions in the input (" + h.load.badLines + " bad lines)");
        }
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
        input.put("items_with_category", h.itemCategory.size());

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
        List<String> jobArgs = withTunedHalfLives(h, fit, minRelevant, report);
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
        report.put("split", splitSection(split, fit.length));
        report.put("protocol", protocolSection(match, minRelevant, units.size(), users, catalogue));

        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("run_id", runId);
        section.put("job_args", jobArgs);
        section.put("rows", rows);
        report.put("served", section);
        report.put("models", List.of());

        offlineRows(h, fit, units, trained, catalogue, rows);

        long lines = ServedHistory.writeTraining(h, fit, trainFile);
        progress.stage("wrote the training part: %s (%d lines); backfill inputs %s", trainFile, lines, inputs);
        rows.add(servedRow(
                backfill,
                "served",
                null,
                "served documents, all candidate sources",
                units,
                trained,
                catalogue,
                match,
                h));
        for (String source : served.sourcesAlone()) {
            rows.add(servedRow(
                    backfill,
                    "source-" + source,
                    source,
                    "served documents, recs.sources=" + source + " alone",
                    units,
                    trained,
                    catalogue,
                    match,
                    h));
        }
        if (options.planted() > 0) {
            report.put(
                    "planted",
                    new PlantedBenchmark(
                                    options.planted(),
                                    PlantedInteractions.DEFAULT_STRENGTH,
                                    FmParams.DEFAULT_FACTORS,
                                    options.seed())
                            .run(progress));
        }
        report.put("elapsed_seconds", Evaluation.round(seconds(started)));
        progress.stage("done in %.1fs", seconds(started));
        return report;
    }

    /**
     * The backfill's job arguments: the half-lives chosen on a validation part carved out of the
     * training rows ({@link HalfLifeTuning}, the last {@value #TUNING_FRACTION} of them by time or
     * per user at random, as the split was made) ahead of the arguments given after {@code --}, whose
     * own half-lives win.
     */
    private List<String> withTunedHalfLives(History h, int[] fit, double minRelevant, Map<String, Object> report) {
        List<String> given = served.jobArgs();
        if (options.halfLives().isEmpty()) {
            return given;
        }
        int[][] carved =
                RowSplit.carve(h, fit, TUNING_FRACTION, options.split().equals("chronological"), options.seed());
        Map<String, Object> tuning = new LinkedHashMap<>();
        report.put("tuning", Map.of("half_lives", tuning));
        HalfLifeTuning.Choice choice = new HalfLifeTuning(options.halfLives(), options.k(), minRelevant, progress)
                .run(h, carved[0], carved[1], tuning);
        List<String> args = new ArrayList<>();
        choice.halfLives().forEach((key, d) -> {
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

    private History load() throws IOException {
        History h;
        if (options.generated() > 0) {
            progress.stage(
                    "generating %d events (%d users, %d items, seed %d)",
                    options.generated(), options.generatedUsers(), options.generatedItems(), options.seed());
            h = HistoryLoader.generated(
                    options.generated(), options.generatedUsers(), options.generatedItems(), options.seed(), true);
        } else {
            progress.stage("reading %s as %s", options.input(), HistoryLoader.nameOf(options.format()));
            h = HistoryLoader.load(options.input(), options.format(), true);
        }
        return h;
    }

    private void report(History h) {
        LoadReport load = h.load;
        progress.stage(
                "loaded %d rows (%d users, %d items) from %d lines; %d bad lines, %d duplicates dropped",
                h.size(), h.numUsers(), h.numItems(), load.lines, load.badLines, load.duplicates);
        for (String sample : load.badSamples.subList(0, Math.min(3, load.badSamples.size()))) {
            progress.stage("  bad line %s", sample);
        }
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

    private void offlineRows(
            History h,
            int[] fit,
            List<ServedProtocol.Unit> units,
            Map<String, Set<String>> trained,
            int catalogue,
            List<Map<String, Object>> rows) {
        UserItems seen = UserItems.of(h, fit, null);
        boolean[] inCatalogue = seen.anyUser(h.numItems());
        long t0 = System.nanoTime();
        rows.add(offlineRow(
                "popularity",
                "global popularity (interaction count), offline",
                PopularityRecommender.global(h, fit),
                h,
                seen,
                inCatalogue,
                units,
                trained,
                catalogue,
                t0));
        t0 = System.nanoTime();
        rows.add(offlineRow(
                "item-knn",
                "item-kNN, cosine on co-occurrence counts (" + options.neighbours() + " neighbours), offline",
                ItemKnnRecommender.fit(h, fit, options.neighbours()),
                h,
                seen,
                inCatalogue,
                units,
                trained,
                catalogue,
                t0));
        t0 = System.nanoTime();
        AlsParams p = AlsParams.defaults()
                .withIterations(options.iterations())
                .withThreads(options.threads())
                .withSeed(options.seed())
                .withRank(options.ranks()[0])
                .withLambda(options.lambdas()[0])
                .withImplicit(options.alphas()[0]);
        AlsModel model = new BatchAls(p).fit(h.table(fit, false));
        Map<String, Object> als = offlineRow(
                "als-implicit",
                "batch implicit ALS " + Evaluation.params(p) + ", offline",
                new AlsRecommender(model),
                h,
                seen,
                inCatalogue,
                units,
                trained,
                catalogue,
                t0);
        rows.add(als);
    }

    private Map<String, Object> offlineRow(
            String name,
            String description,
            Recommender recommender,
            History h,
            UserItems seen,
            boolean[] inCatalogue,
            List<ServedProtocol.Unit> units,
            Map<String, Set<String>> trained,
            int catalogue,
            long startedNanos) {
        ServedScorer scorer = new ServedScorer(options.k(), catalogue, item -> category(h, item));
        Map<String, List<String>> lists = new HashMap<>();
        for (ServedProtocol.Unit unit : units) {
            List<String> list = lists.computeIfAbsent(unit.user(), user -> {
                int u = h.users.indexOf(user);
                int[] ranked = recommender.recommend(u, options.k(), i -> !inCatalogue[i] || seen.contains(u, i));
                List<String> ids = new ArrayList<>(ranked.length);
                for (int i : ranked) {
                    ids.add(h.itemId(i));
                }
                return ids;
            });
            scorer.add(unit, list, trained.get(unit.user()));
        }
        double secs = seconds(startedNanos);
        progress.stage(
                "%-16s NDCG@%d %.4f  Recall %.4f  Precision %.4f  HR %.4f  coverage %.4f (%.1fs)",
                name,
                options.k(),
                scorer.ndcg(),
                scorer.recall(),
                scorer.precision(),
                scorer.hitRate(),
                scorer.coverage(),
                secs);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "offline");
        m.put("description", description);
        m.put("metrics", scorer.metrics());
        m.put("seconds", Evaluation.round(secs));
        return m;
    }

    private Map<String, Object> servedRow(
            ServedBackfill backfill,
            String name,
            String sources,
            String description,
            List<ServedProtocol.Unit> units,
            Map<String, Set<String>> trained,
            int catalogue,
            DocumentMatcher.Match match,
            History h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "served");
        m.put("description", description);
        m.put("alias", backfill.alias(name));
        long t0 = System.nanoTime();
        progress.stage(
                "backfill %s%s into alias %s",
                name, sources == null ? "" : " (recs.sources=" + sources + ")", backfill.alias(name));
        try {
            BackfillJob.Summary summary = backfill.run(name, sources, jobOutput);
            m.put("backfill_seconds", Evaluation.round(summary.seconds()));
            m.put("index", summary.index());
            ServedIndex index = new ServedIndex(served.esUrl(), backfill.alias(name));
            index.refresh();
            long documents = index.count();
            m.put("documents", documents);
            progress.stage(
                    "%s: %d documents; reading them as an app does (%s)",
                    name,
                    documents,
                    match == DocumentMatcher.Match.CONTEXT
                            ? "by id in the test event's context, else the user's most recent"
                            : "the user's document with the most profile_events");
            ServedScorer scorer = new ServedScorer(options.k(), catalogue, item -> category(h, item));
            DocumentMatcher matcher = new DocumentMatcher(match);
            Map<String, List<ServedDocument>> byUser = new HashMap<>();
            long byContext = 0;
            long fallback = 0;
            for (ServedProtocol.Unit unit : units) {
                DocumentMatcher.Choice c = matcher.choose(
                        unit.contextKey(),
                        key -> read(() -> index.byId(unit.user(), key)),
                        () -> byUser.computeIfAbsent(unit.user(), u -> read(() -> index.ofUser(u))));
                byContext += c.how() == DocumentMatcher.How.CONTEXT ? 1 : 0;
                fallback += c.how() == DocumentMatcher.How.FALLBACK ? 1 : 0;
                scorer.add(unit, c.document() == null ? null : c.document().items(), trained.get(unit.user()));
            }
            Map<String, Object> metrics = scorer.metrics();
            metrics.put("units_in_context", byContext);
            metrics.put("units_fallback", fallback);
            m.put("metrics", metrics);
            progress.stage(
                    "%-16s NDCG@%d %.4f  Recall %.4f  Precision %.4f  HR %.4f  coverage %.4f;"
                            + " %d consumed items served, %d short lists, %d units without a document",
                    name,
                    options.k(),
                    scorer.ndcg(),
                    scorer.recall(),
                    scorer.precision(),
                    scorer.hitRate(),
                    scorer.coverage(),
                    scorer.consumedInTraining(),
                    scorer.shortLists(),
                    scorer.missing());
        } catch (Exception e) {
            String error = e.getMessage() != null ? e.getMessage() : e.toString();
            int known = error.indexOf(". Known keys:");
            if (known > 0) {
                error = error.substring(0, known + 1);
            }
            m.put("error", error);
            progress.stage("%s FAILED: %s", name, error);
        } finally {
            List<String> deleted = backfill.cleanUp(name, served.keepIndex());
            m.put("cleaned_up", deleted);
            m.put("seconds", Evaluation.round(seconds(t0)));
        }
        return m;
    }

    private static String category(History h, String item) {
        int i = h.items.indexOf(item);
        return i < 0 ? null : h.itemCategory.get(i);
    }

    /** An Elasticsearch read that may fail, as an unchecked failure of the run. */
    private interface Read<T> {
        T get() throws IOException;
    }

    private static <T> T read(Read<T> r) {
        try {
            return r.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, Object> splitSection(RowSplit split, int trainRows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheme", split.scheme());
        m.put("description", split.description());
        m.put("validation_fraction", 0);
        m.put("test_fraction", options.test());
        m.put("seed", options.seed());
        m.put("train_rows", trainRows);
        m.put("validation_rows", 0);
        m.put("test_rows", split.test().length);
        m.put("final_fit", "the training part (backfilled, and fitted by the offline models)");
        return m;
    }

    private Map<String, Object> protocolSection(
            DocumentMatcher.Match match, double minRelevant, int units, long users, int catalogue) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", options.k());
        m.put(
                "relevant",
                (minRelevant == Double.MIN_VALUE
                                ? "test items with positive evidence"
                                : "test items with evidence (rating) ≥ " + minRelevant)
                        + ", not consumed by the user in training");
        m.put("candidates", "offline models: training items minus the user's training items; served: the list as read");
        m.put(
                "unit",
                match == DocumentMatcher.Match.CONTEXT
                        ? "a user and one context key of their test events: the document of that context, else the user's"
                                + " most recent document (event_time, then profile_events)"
                        : "a user: their document with the most profile_events (served-check's rule)");
        m.put("match", match.name().toLowerCase(java.util.Locale.ROOT));
        m.put("units", units);
        m.put("users", users);
        m.put("catalogue_items", catalogue);
        m.put("ndcg", "binary gains, 1/log2(rank+1) discount, ideal over min(|relevant|, K); means over units");
        m.put("diversity", "distinct categories / items with a category in the top K");
        return m;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
