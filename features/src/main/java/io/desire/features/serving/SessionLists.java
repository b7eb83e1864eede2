package io.desire.features.serving;

import java.util.Arrays;

/**
 * What each arm would have shown a user when their current session began: per arm, the 64-bit
 * {@link ConsumedItems#hash hashes} of its top-k items in the user's latest document before the
 * session — the document an app reads when the user comes back. Every document emission records
 * each arm's list as the "next" lists; the first event of a session {@link #promote promotes} them. The champion/challenger scores every positive event of the session against these
 * lists ({@link ArmScores}), so an arm is judged by what a returning user sees on arrival — the
 * document an app reads — and not by following the session as it unfolds (which would reward
 * repeating the items of the last few minutes).
 *
 * <p>A Flink POJO of primitive arrays, about 8·6·k bytes per user.
 */
public class SessionLists {
    /** Event time of the user's latest event, epoch ms; {@link Long#MIN_VALUE} before the first. */
    public long lastEventTime = Long.MIN_VALUE;
    /** List length. */
    public int k;
    /** {@code ARMS × k} hashes, arm-major; 0 where an arm's list is shorter. */
    public long[] hashes = new long[0];
    /** Per arm: whether the arm had a list at the session's start (an untrained ranker has none). */
    public boolean[] scored = new boolean[0];
    /** The lists of the user's latest document, promoted at the next session's start. */
    public long[] nextHashes = new long[0];

    public boolean[] nextScored = new boolean[0];

    public SessionLists() {}

    /** Whether an event at {@code ts} starts a new session (more than {@code gapMillis} after the last). */
    public boolean startsSession(long ts, long gapMillis) {
        return lastEventTime == Long.MIN_VALUE || ts - lastEventTime > gapMillis;
    }

    /** Starts a session: the lists of the latest document become the ones its events are scored against. */
    public void promote() {
        hashes = nextHashes;
        scored = nextScored;
    }

    /** Records a document's arms: empties the next lists, to be filled with {@link #setNext}. */
    public void resetNext(int k) {
        this.k = k;
        this.nextHashes = new long[ArmScores.ARMS * k];
        this.nextScored = new boolean[ArmScores.ARMS];
    }

    /** Sets arm {@code arm}'s next list from item ids, best first (at most k are kept). */
    public void setNext(int arm, java.util.List<String> items) {
        nextScored[arm] = true;
        for (int i = 0; i < Math.min(k, items.size()); i++) {
            nextHashes[arm * k + i] = ConsumedItems.hash(items.get(i));
        }
    }

    /** Whether any arm has a list for this session. */
    public boolean hasLists() {
        for (boolean s : scored) {
            if (s) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per arm, the 0-based rank of {@code itemId} in its session-start list, −1 when absent, and
     * {@link Integer#MIN_VALUE} for arms without a list: the input of {@link ArmScores#record}.
     */
    public int[] ranksOf(String itemId) {
        int[] ranks = new int[ArmScores.ARMS];
        Arrays.fill(ranks, Integer.MIN_VALUE);
        long h = ConsumedItems.hash(itemId);
        for (int a = 0; a < Math.min(ArmScores.ARMS, scored.length); a++) {
            if (!scored[a]) {
                continue;
            }
            ranks[a] = -1;
            for (int i = 0; i < k; i++) {
                if (hashes[a * k + i] == h) {
                    ranks[a] = i;
                    break;
                }
            }
        }
        return ranks;
    }
}
