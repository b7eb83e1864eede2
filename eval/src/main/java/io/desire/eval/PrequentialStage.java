package io.desire.eval;

import static io.desire.eval.Rounding.round;
import static io.desire.eval.Rounding.seconds;

import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.features.metrics.RankingSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prequential stage of the offline evaluation: the first part of the time-ordered test period is
 * streamed through online ALS ({@link Prequential}, test-then-train), and on the rest (the hold-out)
 * the online model is compared with a batch refit on everything before it and with the start model.
 */
final class PrequentialStage {

    /** Target of the issue: online ALS after one streaming pass ≥ 0.9 × NDCG@10 of a batch retrain. */
    static final double ONLINE_TO_BATCH_TARGET = 0.9;
    /** Gram matrices of the prequential pass are refreshed this often (learned events). */
    static final int PREQUENTIAL_REFRESH = 1000;

    private static final String DESCRIPTION = "test-then-train over the time-ordered test period: each event with"
            + " positive evidence, from a user with history, on an item new to that user, is ranked against the"
            + " current model before the model learns from it (user: exact fold-in; item: one incremental step)";

    private final EvalOptions options;
    private final Progress progress;

    PrequentialStage(EvalOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Streams the test period from {@code start} (fitted on {@code fit} with {@code params}). */
    PrequentialReport run(History h, int[] fit, int[] test, AlsParams params, AlsModel start) {
        int k = options.k();
        int[] ordered = h.byTime(test);
        int streamLength = (int) Math.round(ordered.length * options.streamFraction());
        int[] stream = Arrays.copyOfRange(ordered, 0, streamLength);
        int[] holdout = Arrays.copyOfRange(ordered, streamLength, ordered.length);
        progress.stage(
                "prequential: streaming %d test events in time order, then a hold-out of %d",
                stream.length, holdout.length);
        long t0 = System.nanoTime();
        Prequential.Result r = new Prequential(
                        params, k, options.window(), PREQUENTIAL_REFRESH, options.minRelevant(), false)
                .run(h, start, fit, stream, progress);
        double streamSeconds = seconds(t0);
        progress.stage(
                "prequential: %d events, %d scored; online Recall@%d %.4f NDCG@%d %.4f; static NDCG %.4f (%.1fs)",
                r.events, r.scored, k, r.onlineRecall(), k, r.onlineNdcgMean(), r.staticNdcgMean(), streamSeconds);
        List<PrequentialReport.Window> windows = new ArrayList<>();
        for (Prequential.Window w : r.windows) {
            windows.add(new PrequentialReport.Window(
                    w.endScored(),
                    w.scored(),
                    round(w.onlineRecall()),
                    round(w.onlineNdcg()),
                    round(w.staticRecall()),
                    round(w.staticNdcg())));
        }
        return new PrequentialReport(
                DESCRIPTION,
                k,
                options.window(),
                r.events,
                r.scored,
                r.coldUsers,
                r.repeats,
                r.notRelevant,
                r.learned,
                round(streamSeconds),
                round(r.events / Math.max(1e-9, streamSeconds)),
                new PrequentialReport.Overall(
                        round(r.onlineRecall()),
                        round(r.onlineNdcgMean()),
                        round(r.staticRecall()),
                        round(r.staticNdcgMean())),
                windows,
                afterStream(h, fit, stream, holdout, params, start, r.model));
    }

    /** The online model against a batch retrain and the start model on the hold-out. */
    private PrequentialReport.AfterStream afterStream(
            History h, int[] fit, int[] stream, int[] holdout, AlsParams params, AlsModel start, AlsModel online) {
        String description = "after the stream, on the hold-out (the last "
                + Math.round((1 - options.streamFraction()) * 100) + "% of the test period): online model vs a"
                + " batch ALS refit on train+validation+stream with the same parameters, vs the unchanged start model";
        if (holdout.length == 0) {
            return new PrequentialReport.AfterStream(description, 0, null, null, null, null, null, null, null);
        }
        int[] pre = History.concat(fit, stream);
        UserItems seen = UserItems.of(h, pre, null);
        long t0 = System.nanoTime();
        AlsModel batch = new BatchAls(params).fit(h.table(pre, false));
        double batchSeconds = seconds(t0);
        RankingSummary onlineSummary = evaluate(online, h, seen, holdout);
        RankingSummary retrain = evaluate(batch, h, seen, holdout);
        RankingSummary stale = evaluate(start, h, seen, holdout);
        double ratio = onlineSummary.ndcg() / retrain.ndcg();
        progress.stage(
                "hold-out NDCG@%d: online %.4f, batch retrain %.4f, static %.4f → ratio %.3f (target ≥ %.1f)",
                options.k(), onlineSummary.ndcg(), retrain.ndcg(), stale.ndcg(), ratio, ONLINE_TO_BATCH_TARGET);
        return new PrequentialReport.AfterStream(
                description,
                holdout.length,
                ModelRow.RankingMetrics.of(onlineSummary),
                ModelRow.RankingMetrics.of(retrain),
                ModelRow.RankingMetrics.of(stale),
                round(batchSeconds),
                round(ratio),
                ONLINE_TO_BATCH_TARGET,
                ratio >= ONLINE_TO_BATCH_TARGET);
    }

    private RankingSummary evaluate(AlsModel model, History h, UserItems seen, int[] holdout) {
        return RankingProtocol.evaluate(
                new AlsRecommender(model), h, seen, holdout, options.minRelevant(), options.k());
    }
}
