package io.desire.eval;

import io.desire.features.metrics.RankingSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the decay half-lives of the serving sources on validation: for each of popularity
 * ({@code popularity.half-life}), co-visitation ({@code covisit.half-life}) and the profile's
 * affinity ({@code profile.half-life}), the {@link DecayedSources} mirror is fitted on the training
 * rows with every half-life of the grid and scored on the validation rows; the best NDCG@K wins
 * (ties: the first in the grid). The affinity source ranks the popular list of the chosen popularity
 * half-life. The result is the job arguments to run with, and the report section that shows the grid.
 */
final class HalfLifeTuning {
    /** The default grid: a day to ten years. */
    static final List<Duration> DEFAULT_GRID = List.of(
            Duration.ofDays(1),
            Duration.ofDays(7),
            Duration.ofDays(30),
            Duration.ofDays(90),
            Duration.ofDays(365),
            Duration.ofDays(3650));

    static final String POPULARITY = "popularity.half-life";
    static final String SEQUENCE = "covisit.half-life";
    static final String AFFINITY = "profile.half-life";

    /** The chosen half-life per configuration key, in the order tuned. */
    record Choice(Map<String, Duration> halfLives) {
        /** {@code --key value} pairs for the job. */
        List<String> jobArgs() {
            List<String> args = new ArrayList<>();
            halfLives.forEach((k, v) -> {
                args.add("--" + k);
                args.add(format(v));
            });
            return args;
        }
    }

    private final List<Duration> grid;
    private final int k;
    private final double minRelevant;
    private final Progress progress;

    HalfLifeTuning(List<Duration> grid, int k, double minRelevant, Progress progress) {
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("the half-life grid is empty");
        }
        this.grid = List.copyOf(grid);
        this.k = k;
        this.minRelevant = minRelevant;
        this.progress = progress;
    }

    /** The choice and its report section. */
    record Tuned(Choice choice, TuningReport.HalfLives report) {}

    /** Tunes on {@code train} → {@code validation}: the choice, and the grid tried for the report. */
    Tuned run(History h, int[] train, int[] validation) {
        List<TuningReport.HalfLifePoint> points = new ArrayList<>();
        Map<String, Duration> chosen = new LinkedHashMap<>();
        UserItems seen = UserItems.of(h, train, null);

        Duration popularity =
                best(POPULARITY, points, hl -> DecayedSources.popularity(h, train, hl), h, seen, validation);
        chosen.put(POPULARITY, popularity);
        chosen.put(SEQUENCE, best(SEQUENCE, points, hl -> DecayedSources.sequence(h, train, hl), h, seen, validation));
        int[] popular = DecayedSources.order(DecayedSources.decayedCounts(h, train, popularity));
        chosen.put(
                AFFINITY,
                best(AFFINITY, points, hl -> DecayedSources.affinity(h, train, hl, popular), h, seen, validation));

        Map<String, String> shown = new LinkedHashMap<>();
        chosen.forEach((key, d) -> shown.put(key, format(d)));
        Choice choice = new Choice(chosen);
        return new Tuned(
                choice,
                new TuningReport.HalfLives(
                        "NDCG@" + k + " on validation (fitted on train), each decayed source alone",
                        points,
                        shown,
                        String.join(" ", choice.jobArgs())));
    }

    private Duration best(
            String key,
            List<TuningReport.HalfLifePoint> points,
            java.util.function.Function<Duration, Recommender> fit,
            History h,
            UserItems seen,
            int[] validation) {
        Duration best = grid.get(0);
        double bestNdcg = Double.NEGATIVE_INFINITY;
        for (Duration hl : grid) {
            RankingSummary s = RankingProtocol.evaluate(fit.apply(hl), h, seen, validation, minRelevant, k);
            points.add(new TuningReport.HalfLifePoint(key, format(hl), Math.round(s.ndcg() * 1e4) / 1e4));
            progress.stage("tune %s=%s: validation NDCG@%d %.4f", key, format(hl), k, s.ndcg());
            if (s.ndcg() > bestNdcg) {
                bestNdcg = s.ndcg();
                best = hl;
            }
        }
        return best;
    }

    /** {@code 30d}, {@code 12h}, {@code 90s} or milliseconds: what the job's duration parser reads. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
