package io.desire.operators.ranker;

import io.desire.features.event.Event;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.TrendingItems;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.feedback.NegativeSampler;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Training examples for data without impressions, built where the ranker's inputs live: each
 * positive event yields one positive for its item and {@link NegativeSampler#negativesPerPositive()}
 * negatives drawn from the items popular in the same context (the context's trending list, else
 * global popularity) that the user has not interacted with.
 *
 * <p><b>Positive:</b> a click, add-to-cart or purchase, or a rating of at least
 * {@value #POSITIVE_RATING} — what the ranker predicts. Views and impressions are not labels.
 *
 * <p><b>No look-ahead:</b> features are built from the profile as it was <em>before</em> the event and
 * from the candidates' signals of the moment ({@link HybridCandidates#describe}), through the same
 * {@link LearnedRanker#featuresOf} serving uses, so what the learner sees is what the ranker scores.
 * Deterministic: the draw depends only on the sampler's seed, the user, item and event time.
 */
public final class SampledExamples implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double POSITIVE_RATING = 4.0;

    private final NegativeSampler sampler;

    public SampledExamples(NegativeSampler sampler) {
        if (sampler == null) {
            throw new IllegalArgumentException("sampler must not be null");
        }
        this.sampler = sampler;
    }

    /** Whether {@code e} labels its item positive. */
    public static boolean isPositive(Event e) {
        if (e == null || e.type == null || e.itemId == null || e.userId == null) {
            return false;
        }
        return switch (e.type) {
            case CLICK, ADD_TO_CART, PURCHASE -> true;
            case RATE -> e.value != null && e.value >= POSITIVE_RATING;
            default -> false;
        };
    }

    /**
     * The examples of {@code e}, or none when it is not {@linkplain #isPositive positive}.
     *
     * @param before the user's profile before {@code e}; null for a new user
     */
    public List<TrainingExample> of(Event e, UserProfile before, TrendingItems context, TrendingItems global,
                                    AlsCandidates als, HybridCandidates candidates, LearnedRanker ranker) {
        if (!isPositive(e)) {
            return List.of();
        }
        UserSummary user = before == null ? UserSummary.anonymous() : UserSummary.of(before);
        List<TrainingExample> out = new ArrayList<>(1 + sampler.negativesPerPositive());
        out.add(example(e, user, e.itemId, e.category, 1, context, als, candidates, ranker));
        TrendingItems popular = context != null && context.size() > 0 ? context : global;
        if (popular == null || popular.size() == 0) {
            return out;
        }
        String[] negatives = sampler.draw(e.userId, e.itemId, e.ts, popular.items, consumed(before));
        for (String item : negatives) {
            int at = Arrays.asList(popular.items).indexOf(item);
            String category = popular.categories != null && at >= 0 && at < popular.categories.length
                    ? popular.categories[at] : null;
            out.add(example(e, user, item, category, 0, context, als, candidates, ranker));
        }
        return out;
    }

    private static TrainingExample example(Event e, UserSummary user, String item, String category, int label,
                                           TrendingItems context, AlsCandidates als, HybridCandidates candidates,
                                           LearnedRanker ranker) {
        RankerCandidate c = candidates.describe(item, category, context, als);
        return new TrainingExample(ranker.featuresOf(user, e.geoCell, e.timeBucket, e.deviceClass, c), label, 1.0, e.ts);
    }

    private static Set<String> consumed(UserProfile p) {
        Set<String> s = new HashSet<>();
        if (p != null) {
            s.addAll(Arrays.asList(p.items.keys));
            s.addAll(Arrays.asList(p.purchased));
        }
        return s;
    }
}
