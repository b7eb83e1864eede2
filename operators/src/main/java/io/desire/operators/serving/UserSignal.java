package io.desire.operators.serving;

import io.desire.features.event.Event;
import io.desire.operators.als.AlsCandidates;
import java.util.Objects;

/**
 * One input of {@link UserRecommender}'s keyed side: either one of the user's events or the user's
 * latest ALS candidates from {@link io.desire.operators.als.UserFactors}. Exactly one field is set.
 * The two sources reach the recommender as one keyed stream because a keyed broadcast function has
 * a single keyed input. A Flink POJO.
 */
public class UserSignal {
    public Event event;
    public AlsCandidates als;

    public UserSignal() {}

    public static UserSignal of(Event e) {
        if (e == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        UserSignal s = new UserSignal();
        s.event = e;
        return s;
    }

    public static UserSignal of(AlsCandidates c) {
        if (c == null) {
            throw new IllegalArgumentException("candidates must not be null");
        }
        UserSignal s = new UserSignal();
        s.als = c;
        return s;
    }

    /** The user the signal belongs to. */
    public String userId() {
        return event != null ? event.userId : als == null ? null : als.userId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserSignal s && Objects.equals(event, s.event) && Objects.equals(als, s.als);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, als);
    }

    @Override
    public String toString() {
        return event != null ? "UserSignal{" + event + '}' : "UserSignal{" + als + '}';
    }
}
