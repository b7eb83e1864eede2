package io.desire.eval;

import io.desire.features.metrics.RankingSummary;
import java.util.Arrays;

/**
 * The offline top-K protocol every ranking model and baseline is measured with, so figures are
 * comparable: for every user with fitted ("seen") interactions and held-out rows, the recommender
 * ranks the catalogue — items with at least one seen interaction — minus the user's seen items.
 * Relevant: the user's distinct held-out items with evidence ≥ {@code minRelevant} that the user had
 * not seen (a repeat of a seen item can never be recommended, so it is not counted against anyone).
 * Held-out items outside the catalogue stay relevant and can never be hit; coverage is over the
 * catalogue. On data without repeats this is exactly {@link io.desire.features.als.AlsEvaluation#ranking}.
 */
final class RankingProtocol {

    private RankingProtocol() {}

    static RankingSummary evaluate(
            Recommender recommender, History h, UserItems seen, int[] heldOutRows, double minRelevant, int k) {
        boolean[] inCatalogue = seen.anyUser(h.numItems());
        int[] catalogueIndex = new int[h.numItems()];
        int catalogue = 0;
        for (int i = 0; i < inCatalogue.length; i++) {
            catalogueIndex[i] = inCatalogue[i] ? catalogue++ : -1;
        }
        RankingSummary summary = new RankingSummary(k, Math.max(1, catalogue));
        UserItems heldOut = UserItems.of(h, heldOutRows, null);
        UserItems relevantItems = UserItems.of(h, heldOutRows, r -> h.value(r) >= minRelevant);
        for (int u = 0; u < h.numUsers(); u++) {
            if (heldOut.count(u) == 0 || seen.count(u) == 0) {
                continue;
            }
            int user = u;
            int[] ranked = recommender.recommend(u, k, i -> catalogueIndex[i] < 0 || seen.contains(user, i));
            int[] rankedCatalogue = new int[ranked.length];
            for (int j = 0; j < ranked.length; j++) {
                rankedCatalogue[j] = catalogueIndex[ranked[j]];
            }
            int[] relevant = relevantItems.of(u);
            int[] mapped = new int[relevant.length];
            int m = 0;
            int unseen = 0;
            for (int item : relevant) {
                if (seen.contains(u, item)) {
                    continue;
                }
                // Items never seen by anyone map past the catalogue: they count in |R| but never hit.
                mapped[m++] = catalogueIndex[item] >= 0 ? catalogueIndex[item] : catalogue + unseen++;
            }
            int[] sorted = Arrays.copyOf(mapped, m);
            Arrays.sort(sorted);
            summary.add(rankedCatalogue, sorted);
        }
        return summary;
    }
}
