package io.desire.operators.covisit;

import io.desire.features.profile.DecayedScores;
import io.desire.operators.PublishedState;
import java.util.Arrays;

/**
 * What {@link CoVisitation} keeps per from-item, in one value so a transition costs one state read
 * and one write: the decayed weights of the items that followed it (a bounded {@link
 * DecayedScores}, parallel arrays in no particular order, all expressed as of its {@code asOf}), the
 * version of the item's last publication (only grows), the largest event time reflected, how many
 * transitions wait for publication, and the item's pending timers. A Flink POJO.
 */
public class FollowerState extends PublishedState {

    public DecayedScores followers = new DecayedScores();

    public FollowerState() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FollowerState)) {
            return false;
        }
        FollowerState s = (FollowerState) o;
        return version == s.version
                && eventTime == s.eventTime
                && pendingUpdates == s.pendingUpdates
                && timerAt == s.timerAt
                && flushArmed == s.flushArmed
                && sameScores(followers, s.followers);
    }

    // DecayedScores has no equals of its own.
    private static boolean sameScores(DecayedScores a, DecayedScores b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.asOf == b.asOf
                && Arrays.equals(a.keys, b.keys)
                && Arrays.equals(a.values, b.values)
                && Arrays.equals(a.labels, b.labels);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + (followers == null ? 0 : Arrays.hashCode(followers.keys));
    }

    @Override
    public String toString() {
        return "FollowerState{v" + version + " pending=" + pendingUpdates + " t=" + eventTime + ' ' + followers + '}';
    }
}
