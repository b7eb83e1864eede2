package io.desire.eval;

import static io.desire.eval.Rounding.round;
import static io.desire.eval.Rounding.seconds;

import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.jobs.backfill.BackfillJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rows of the served-quality table, all scored on the same units by {@link ServedScorer}: offline
 * models (popularity, item-kNN, batch implicit ALS) fitted on the training part, one list per user;
 * and served runs, each a backfill of the training part whose documents are read as an app reads them
 * ({@link DocumentMatcher}, {@link ServedIndex}). A served run that fails is a row with its error.
 */
final class ServedRows {

    private final EvalOptions options;
    private final Progress progress;
    private final History h;
    private final List<ServedProtocol.Unit> units;
    private final Map<String, Set<String>> trained;
    private final int catalogue;

    /**
     * @param trained each user's training items
     * @param catalogue the number of items with a training interaction
     */
    ServedRows(
            EvalOptions options,
            Progress progress,
            History h,
            List<ServedProtocol.Unit> units,
            Map<String, Set<String>> trained,
            int catalogue) {
        this.options = options;
        this.progress = progress;
        this.h = h;
        this.units = units;
        this.trained = trained;
        this.catalogue = catalogue;
    }

    /** Popularity, item-kNN and batch implicit ALS (the first grid point) fitted on {@code fit}. */
    List<ServedReport.Row> offline(int[] fit) {
        UserItems seen = UserItems.of(h, fit, null);
        boolean[] inCatalogue = seen.anyUser(h.numItems());
        List<ServedReport.Row> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        rows.add(offlineRow(
                "popularity",
                "global popularity (interaction count), offline",
                PopularityRecommender.global(h, fit),
                seen,
                inCatalogue,
                t0));
        t0 = System.nanoTime();
        rows.add(offlineRow(
                "item-knn",
                "item-kNN, cosine on co-occurrence counts (" + options.neighbours() + " neighbours), offline",
                ItemKnnRecommender.fit(h, fit, options.neighbours()),
                seen,
                inCatalogue,
                t0));
        t0 = System.nanoTime();
        AlsParams p = new AlsStages(options, progress).firstImplicit();
        AlsModel model = new BatchAls(p).fit(h.table(fit, false));
        rows.add(offlineRow(
                "als-implicit",
                "batch implicit ALS " + ModelRow.AlsSettings.of(p) + ", offline",
                new AlsRecommender(model),
                seen,
                inCatalogue,
                t0));
        return rows;
    }

    private ServedReport.Row offlineRow(
            String name,
            String description,
            Recommender recommender,
            UserItems seen,
            boolean[] inCatalogue,
            long startedNanos) {
        ServedScorer scorer = scorer();
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
        progress.stage("%s (%.1fs)", scores(name, scorer), secs);
        return ServedReport.Row.offline(name, description, scorer.metrics(), round(secs));
    }

    /**
     * Backfills the training part into a fresh alias ({@code sources}: {@code recs.sources}, or null for
     * the job's default), reads a document for every unit and scores it; cleans up the alias after.
     */
    ServedReport.Row served(
            ServedBackfill backfill,
            String name,
            String sources,
            String description,
            DocumentMatcher.Match match,
            String esUrl,
            boolean keepIndex,
            PrintStream jobOutput) {
        String alias = backfill.alias(name);
        Double backfillSeconds = null;
        String index = null;
        Long documents = null;
        ServedReport.Metrics metrics = null;
        String error = null;
        List<String> deleted;
        long t0 = System.nanoTime();
        progress.stage(
                "backfill %s%s into alias %s", name, sources == null ? "" : " (recs.sources=" + sources + ")", alias);
        try {
            BackfillJob.Summary summary = backfill.run(name, sources, jobOutput);
            backfillSeconds = round(summary.seconds());
            index = summary.index();
            ServedIndex served = new ServedIndex(esUrl, alias);
            served.refresh();
            documents = served.count();
            progress.stage(
                    "%s: %d documents; reading them as an app does (%s)",
                    name,
                    documents,
                    match == DocumentMatcher.Match.CONTEXT
                            ? "by id in the test event's context, else the user's most recent"
                            : "the user's document with the most profile_events");
            ServedScorer scorer = scorer();
            long[] placement = score(served, match, scorer);
            metrics = scorer.metrics().withPlacement(placement[0], placement[1]);
            progress.stage(
                    "%s; %d consumed items served, %d short lists, %d units without a document",
                    scores(name, scorer), scorer.consumedInTraining(), scorer.shortLists(), scorer.missing());
        } catch (Exception e) {
            error = e.getMessage() != null ? e.getMessage() : e.toString();
            int known = error.indexOf(". Known keys:");
            if (known > 0) {
                error = error.substring(0, known + 1);
            }
            progress.stage("%s FAILED: %s", name, error);
        } finally {
            deleted = backfill.cleanUp(name, keepIndex);
        }
        return new ServedReport.Row(
                name,
                "served",
                description,
                alias,
                backfillSeconds,
                index,
                documents,
                metrics,
                error,
                deleted,
                round(seconds(t0)));
    }

    /**
     * Reads a document for each unit as an app does and adds its list to {@code scorer}; returns how
     * many units were read in their context and how many by fallback.
     */
    private long[] score(ServedIndex index, DocumentMatcher.Match match, ServedScorer scorer) {
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
        return new long[] {byContext, fallback};
    }

    /** The progress line's figures of a row. */
    private String scores(String name, ServedScorer scorer) {
        return String.format(
                Locale.ROOT,
                "%-16s NDCG@%d %.4f  Recall %.4f  Precision %.4f  HR %.4f  coverage %.4f",
                name,
                options.k(),
                scorer.ndcg(),
                scorer.recall(),
                scorer.precision(),
                scorer.hitRate(),
                scorer.coverage());
    }

    private ServedScorer scorer() {
        return new ServedScorer(options.k(), catalogue, this::category);
    }

    private String category(String item) {
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
            throw new UncheckedIOException(e);
        }
    }
}
