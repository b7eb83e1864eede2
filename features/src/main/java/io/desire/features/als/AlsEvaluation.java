package io.desire.features.als;

import io.desire.features.data.InteractionTable;
import io.desire.features.metrics.RankingSummary;
import io.desire.features.metrics.RatingErrors;
import java.util.Arrays;

/**
 * Offline evaluation of an {@link AlsModel} on a held-out table that shares the training table's
 * dictionaries (e.g. two parts of one {@link io.desire.features.data.Split}). The protocol, chosen
 * so that two models trained on the same split are compared on exactly the same cases:
 *
 * <ul>
 *   <li>{@link #ratingErrors Rating error}: over held-out rows whose user and item both have
 *       training interactions — a factor model has nothing to say about the others, and scoring
 *       them would only measure a fallback.
 *   <li>{@link #ranking Ranking}: for every user with training interactions and held-out rows, the
 *       top K over items that have training interactions, minus the user's training items; relevant
 *       = the user's distinct held-out items with value ≥ {@code minRelevant}. Coverage is over the
 *       items that have training interactions.
 * </ul>
 */
public final class AlsEvaluation {

    private AlsEvaluation() {}

    /** RMSE / MAE of {@code model} on the scorable rows of {@code heldOut}. */
    public static RatingErrors ratingErrors(AlsModel model, RatingMatrix train, InteractionTable heldOut) {
        RatingErrors errors = new RatingErrors();
        for (int r = 0; r < heldOut.size(); r++) {
            int u = heldOut.user(r);
            int i = heldOut.item(r);
            if (scorable(train, u, i)) {
                errors.add(model.predict(u, i), heldOut.rating(r));
            }
        }
        return errors;
    }

    /** Ranking metrics at {@code k} of {@code model}; see the class comment for the protocol. */
    public static RankingSummary ranking(
            AlsModel model, RatingMatrix train, InteractionTable heldOut, int k, double minRelevant) {
        int catalogue = 0;
        int[] catalogueIndex = new int[train.numItems()];
        for (int i = 0; i < train.numItems(); i++) {
            catalogueIndex[i] = train.itemCount(i) > 0 ? catalogue++ : -1;
        }
        RankingSummary summary = new RankingSummary(k, Math.max(1, catalogue));
        int[][] grouped = heldOut.rowsByUser();
        int[] offsets = grouped[0];
        int[] rows = grouped[1];
        int[] userPtr = train.userPtr();
        int[] userCols = train.userCols();
        double[][] itemFactors = model.itemFactors();
        for (int u = 0; u < heldOut.numUsers(); u++) {
            int from = offsets[u];
            int to = offsets[u + 1];
            if (from == to || u >= train.numUsers() || train.userCount(u) == 0) {
                continue;
            }
            int[] relevant = new int[to - from];
            int n = 0;
            for (int p = from; p < to; p++) {
                int row = rows[p];
                if (heldOut.rating(row) >= minRelevant) {
                    relevant[n++] = heldOut.item(row);
                }
            }
            relevant = distinctSorted(relevant, n);
            int trainFrom = userPtr[u];
            int trainTo = userPtr[u + 1];
            ScoredItems top = TopN.select(
                    model.userFactors()[u],
                    itemFactors,
                    k,
                    i -> catalogueIndex[i] < 0 || Arrays.binarySearch(userCols, trainFrom, trainTo, i) >= 0);
            // Held-out items never seen in training cannot be recommended; they stay relevant (the
            // model misses them) but the coverage bit set is over trained items only.
            int[] rankedCatalogue = new int[top.size()];
            for (int j = 0; j < top.size(); j++) {
                rankedCatalogue[j] = catalogueIndex[top.items()[j]];
            }
            int[] relevantCatalogue = new int[relevant.length];
            int m = 0;
            int unseen = 0;
            for (int item : relevant) {
                if (catalogueIndex[item] >= 0) {
                    relevantCatalogue[m++] = catalogueIndex[item];
                } else {
                    unseen++;
                }
            }
            // Map unseen relevant items to ids past the catalogue so they count in |R| but never hit.
            int[] mapped = new int[m + unseen];
            System.arraycopy(relevantCatalogue, 0, mapped, 0, m);
            for (int j = 0; j < unseen; j++) {
                mapped[m + j] = catalogue + j;
            }
            Arrays.sort(mapped);
            summary.add(rankedCatalogue, mapped);
        }
        return summary;
    }

    private static boolean scorable(RatingMatrix train, int u, int i) {
        return u < train.numUsers() && i < train.numItems() && train.userCount(u) > 0 && train.itemCount(i) > 0;
    }

    private static int[] distinctSorted(int[] values, int n) {
        int[] copy = Arrays.copyOf(values, n);
        Arrays.sort(copy);
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (m == 0 || copy[j] != copy[m - 1]) {
                copy[m++] = copy[j];
            }
        }
        return Arrays.copyOf(copy, m);
    }
}
