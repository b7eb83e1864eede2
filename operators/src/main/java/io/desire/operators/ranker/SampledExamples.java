package io.desire.operators.ranker;

import io.desire.features.event.Event;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.profile.UserProfile;
import io.desire.features.serving.CandidatePool;
import io.desire.operators.feedback.NegativeSampler;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Training examples for data without impressions, built where the ranker's inputs live and from the
 * distribution serving ranks: each positive event whose item is among the user's merged candidates
 * ({@link CandidatePool}: every source's proposal, consumed items excluded) yields one positive for
 * it and {@link NegativeSampler#negativesPerPositive()} negatives drawn from the other candidates of
 * the same pool. A positive outside the pool yields nothing: the ranker only ever orders the pool, so
 * examples of other items would teach it to tell "proposed" from "not proposed" instead of which
 * proposal the user takes.
 *
 * <p><b>Positive:</b> a click, add-to-cart or purchase, or a rating of at least
 * {@value #POSITIVE_RATING} — what the ranker predicts. Views and impressions are not labels.
 *
 * <p><b>No look-ahead:</b> the pool and the features are built from the state as it was
 * <em>before</em> the event, through the same {@link LearnedRanker#featuresOf} serving uses, so what
 * the learner sees is what the ranker scores. Deterministic: the draw depends only on the sampler's
 * seed, the user, item, event time and the pool.
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
     * The examples of {@code e}, or none when it is not {@linkplain #isPositive positive} or its item
     * is not in {@code pool}.
     *
     * @param before the user's profile before {@code e}; null for a new user
     * @param pool the user's merged candidates in the event's context, built before {@code e}
     */
    public List<TrainingExample> of(Event e, UserProfile before, CandidatePool pool, LearnedRanker ranker) {
        if (!isPositive(e) || pool.get(e.itemId) == null) {
            return List.of();
        }
        UserSummary user = before == null ? UserSummary.anonymous() : UserSummary.of(before);
        List<TrainingExample> out = new ArrayList<>(1 + sampler.negativesPerPositive());
        out.add(example(e, user, pool.get(e.itemId), 1, ranker));
        List<String> items = new ArrayList<>(pool.size());
        for (CandidatePool.Candidate c : pool.candidates()) {
            items.add(c.item());
        }
        for (String item : sampler.draw(e.userId, e.itemId, e.ts, items.toArray(new String[0]), null)) {
            out.add(example(e, user, pool.get(item), 0, ranker));
        }
        return out;
    }

    private static TrainingExample example(
            Event e, UserSummary user, CandidatePool.Candidate c, int label, LearnedRanker ranker) {
        return new TrainingExample(
                ranker.featuresOf(
                        user,
                        e.geoCell,
                        e.timeBucket,
                        e.deviceClass,
                        e.attributeKeys,
                        e.attributeValues,
                        RankerCandidate.of(c)),
                label,
                1.0,
                e.ts);
    }
}
