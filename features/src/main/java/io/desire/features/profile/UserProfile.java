package io.desire.features.profile;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.util.Arrays;

/**
 * What the engine knows about one user: decayed item and category affinities, the last items the
 * user interacted with, the items bought, and declared attributes. A Flink POJO of arrays, bounded
 * by {@link ProfilePolicy}, so its serialized size stays small (a few KB at the defaults).
 *
 * <p>{@link #apply} is the only mutator of behaviour; it is deterministic given the same events in
 * the same order.
 */
public class UserProfile {
    /** Model version of profiles and rankings built from them. */
    public static final String MODEL_VERSION = "blend-v1";

    /** Item id → decayed affinity; labels hold each item's category when known. */
    public DecayedScores items = new DecayedScores();
    /** Category → decayed affinity, seeded by declared interests. */
    public DecayedScores categories = new DecayedScores();
    /** Last item ids interacted with (weight > 0), oldest first; consecutive repeats collapse. */
    public String[] recentItems = new String[0];
    /** Items purchased, oldest first, without duplicates; the oldest is dropped beyond the bound. */
    public String[] purchased = new String[0];

    public String segment;
    public String locale;
    public String modelVersion = MODEL_VERSION;
    /**
     * Behaviour and {@code user} events applied, each once: what reconciles the profile with the
     * events produced (a lost event makes it smaller, a double count larger).
     */
    public long events;
    /** Largest event time applied, epoch ms; {@link Long#MIN_VALUE} before the first event. */
    public long lastEventTime = Long.MIN_VALUE;

    public UserProfile() {}

    /**
     * Applies one event of this user.
     *
     * <p>Behaviour events add their {@link EventWeights weight} to the item and (when known) its
     * category, append the item to the recent sequence and, for purchases, to the purchased set.
     * {@code user} events set segment and locale and seed declared interests as category affinity.
     * Other events change nothing.
     *
     * @return whether the profile changed in a way that can change a ranking
     */
    public boolean apply(Event e, ProfilePolicy policy) {
        if (e == null || e.type == null) {
            return false;
        }
        boolean changed = false;
        if (e.type == EventType.USER) {
            if (e.segment != null) {
                segment = e.segment;
            }
            if (e.locale != null) {
                locale = e.locale;
            }
            if (e.interests != null && policy.interestWeight() > 0) {
                for (String interest : e.interests) {
                    if (interest != null && !interest.isEmpty()) {
                        categories.add(interest, policy.interestWeight(), null, e.ts, policy.categoryDecay());
                        changed = true;
                    }
                }
            }
        } else if (e.type.isBehaviour() && e.itemId != null) {
            double w = policy.weights().weight(e.type, e.value);
            if (w > 0) {
                items.add(e.itemId, w, e.category, e.ts, policy.itemDecay());
                if (e.category != null) {
                    categories.add(e.category, w, null, e.ts, policy.categoryDecay());
                }
                appendRecent(e.itemId, policy.recentItems());
                changed = true;
            }
            if (e.type == EventType.PURCHASE && addPurchased(e.itemId, policy.maxPurchased())) {
                changed = true;
            }
        }
        if (e.type.isBehaviour() || e.type == EventType.USER) {
            events++;
            lastEventTime = Math.max(lastEventTime, e.ts);
        }
        return changed;
    }

    /** Whether {@code itemId} was purchased (within the bounded memory of purchases). */
    public boolean hasPurchased(String itemId) {
        for (String p : purchased) {
            if (p.equals(itemId)) {
                return true;
            }
        }
        return false;
    }

    private void appendRecent(String itemId, int bound) {
        if (bound == 0) {
            return;
        }
        int n = recentItems.length;
        if (n > 0 && recentItems[n - 1].equals(itemId)) {
            return;
        }
        if (n < bound) {
            recentItems = Arrays.copyOf(recentItems, n + 1);
            recentItems[n] = itemId;
        } else {
            String[] next = new String[bound];
            System.arraycopy(recentItems, n - bound + 1, next, 0, bound - 1);
            next[bound - 1] = itemId;
            recentItems = next;
        }
    }

    private boolean addPurchased(String itemId, int bound) {
        if (bound == 0 || hasPurchased(itemId)) {
            return false;
        }
        int n = purchased.length;
        if (n < bound) {
            purchased = Arrays.copyOf(purchased, n + 1);
            purchased[n] = itemId;
        } else {
            String[] next = new String[bound];
            System.arraycopy(purchased, n - bound + 1, next, 0, bound - 1);
            next[bound - 1] = itemId;
            purchased = next;
        }
        return true;
    }
}
