package io.desire.features.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UserProfileTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final ProfilePolicy POLICY = new ProfilePolicy();

    private static Event event(EventType type, String item, String category, long ts) {
        Event e = new Event();
        e.eventId = type + "-" + item + "-" + ts;
        e.type = type;
        e.userId = "u1";
        e.itemId = item;
        e.category = category;
        e.ts = ts;
        return e;
    }

    @Test
    void defaultEventWeights() {
        EventWeights w = new EventWeights();
        assertThat(w.weight(EventType.VIEW, null)).isEqualTo(1.0);
        assertThat(w.weight(EventType.CLICK, null)).isEqualTo(2.0);
        assertThat(w.weight(EventType.ADD_TO_CART, 10.0)).isEqualTo(4.0);
        assertThat(w.weight(EventType.PURCHASE, 10.0)).isEqualTo(8.0);
        assertThat(w.weight(EventType.IMPRESSION, null)).isZero();
        assertThat(w.weight(EventType.RATE, 5.0)).isEqualTo(5.0);
        assertThat(w.weight(EventType.RATE, 4.0)).isEqualTo(3.0);
        assertThat(w.weight(EventType.RATE, 2.0)).isZero();
        assertThat(w.weight(EventType.RATE, null)).isZero();
        assertThat(w.weight(EventType.ITEM, null)).isZero();
    }

    @Test
    void weightsAreConfigurable() {
        EventWeights w = new EventWeights().withView(0.5).withImpression(0.1).withRating(1.0, 0.0);
        assertThat(w.weight(EventType.VIEW, null)).isEqualTo(0.5);
        assertThat(w.weight(EventType.IMPRESSION, null)).isEqualTo(0.1);
        assertThat(w.weight(EventType.RATE, 3.0)).isEqualTo(3.0);
    }

    @Test
    void behaviourBuildsItemAndCategoryAffinity() {
        UserProfile p = new UserProfile();
        assertThat(p.apply(event(EventType.VIEW, "i1", "shoes", T0), POLICY)).isTrue();
        assertThat(p.apply(event(EventType.PURCHASE, "i1", "shoes", T0), POLICY))
                .isTrue();
        assertThat(p.apply(event(EventType.CLICK, "i2", null, T0), POLICY)).isTrue();

        assertThat(p.items.valueAsOf("i1")).isEqualTo(9.0);
        assertThat(p.items.labelAt(p.items.indexOf("i1"))).isEqualTo("shoes");
        assertThat(p.items.valueAsOf("i2")).isEqualTo(2.0);
        assertThat(p.categories.valueAsOf("shoes")).isEqualTo(9.0);
        assertThat(p.purchased).containsExactly("i1");
        assertThat(p.recentItems).containsExactly("i1", "i2");
        assertThat(p.lastEventTime).isEqualTo(T0);
        assertThat(p.modelVersion).isEqualTo(UserProfile.MODEL_VERSION);
    }

    @Test
    void countsEveryBehaviourAndUserEventOnceWhetherOrNotItChangesTheRanking() {
        UserProfile p = new UserProfile();
        p.apply(event(EventType.VIEW, "i1", "shoes", T0), POLICY);
        p.apply(event(EventType.IMPRESSION, "i2", "shoes", T0 + 1), POLICY); // weight 0: counted, no affinity
        p.apply(event(EventType.RATE, "i3", null, T0 + 2), POLICY); // no value: weight 0
        p.apply(event(EventType.USER, null, null, T0 + 3), POLICY);
        p.apply(event(EventType.ITEM, "i4", "toys", T0 + 4), POLICY); // catalog: not the user's

        assertThat(p.events).isEqualTo(4);
        assertThat(p.lastEventTime).isEqualTo(T0 + 3);
    }

    @Test
    void impressionsChangeNothing() {
        UserProfile p = new UserProfile();
        assertThat(p.apply(event(EventType.IMPRESSION, "i1", "shoes", T0), POLICY))
                .isFalse();
        assertThat(p.items.isEmpty()).isTrue();
        assertThat(p.recentItems).isEmpty();
    }

    @Test
    void recentSequenceKeepsTheLastTwentyAndPurchasesAreBounded() {
        ProfilePolicy policy = POLICY.withMaxPurchased(3);
        UserProfile p = new UserProfile();
        for (int i = 0; i < 25; i++) {
            p.apply(event(EventType.VIEW, "i" + i, null, T0 + i), policy);
            p.apply(event(EventType.VIEW, "i" + i, null, T0 + i), policy); // repeat collapses
        }
        for (int i = 0; i < 5; i++) {
            p.apply(event(EventType.PURCHASE, "p" + i, null, T0 + 100 + i), policy);
            p.apply(event(EventType.PURCHASE, "p" + i, null, T0 + 100 + i), policy); // set semantics
        }
        assertThat(p.recentItems).hasSize(20);
        assertThat(p.recentItems[0]).isEqualTo("i10");
        assertThat(p.recentItems[19]).isEqualTo("p4");
        assertThat(p.purchased).containsExactly("p2", "p3", "p4");
    }

    @Test
    void declaredInterestsSeedCategoryAffinity() {
        Event user = new Event();
        user.type = EventType.USER;
        user.userId = "u1";
        user.ts = T0;
        user.segment = "gold";
        user.interests = new String[] {"books", "toys"};
        UserProfile p = new UserProfile();

        assertThat(p.apply(user, POLICY)).isTrue();
        assertThat(p.segment).isEqualTo("gold");
        assertThat(p.categories.valueAsOf("books")).isEqualTo(ProfilePolicy.DEFAULT_INTEREST_WEIGHT);
        assertThat(p.categories.valueAsOf("toys")).isEqualTo(ProfilePolicy.DEFAULT_INTEREST_WEIGHT);
    }

    @Test
    void halfLifeIsConfigurable() {
        ProfilePolicy day = POLICY.withHalfLife(Duration.ofDays(1));
        UserProfile p = new UserProfile();
        p.apply(event(EventType.PURCHASE, "i1", null, T0), day);
        p.apply(event(EventType.VIEW, "i2", null, T0 + Duration.ofDays(1).toMillis()), day);
        assertThat(p.items.valueAsOf("i1")).isEqualTo(4.0);
    }
}
