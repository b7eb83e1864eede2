package io.desire.features.ftrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import org.junit.jupiter.api.Test;

class RankingFeaturesTest {
    private static final FeatureHasher HASHER = new FeatureHasher(20, FeatureHasher.DEFAULT_SEED);
    private static final UserSummary USER =
            new UserSummary("vip", new String[] {"shoes", "bags"}, new double[] {0.75, 0.25});

    private static HashedFeatures full(RankingFeatures rf) {
        return rf.builder()
                .user(USER)
                .context("u4pruy", "weekday-evening", "mobile")
                .item("sku-1", "shoes")
                .alsScore(0.8)
                .contextPopularity(Math.E - 1)
                .recencyHours(24)
                .build();
    }

    @Test
    void buildsTheDocumentedCrossesAndNumericFeatures() {
        HashedFeatures x = full(new RankingFeatures(HASHER));
        // 1 bias + i + c + s + s×c + s×i + 2 u×c + 3 ctx + 6 ctx×item + 2 s×ctx×c + 4 numeric
        assertThat(x.size()).isEqualTo(23);
        assertThat(x.valueAt(HASHER.bucket("bias"))).isEqualTo(1.0);
        assertThat(x.valueAt(HASHER.cross("t", "weekday-evening", "c", "shoes")))
                .isEqualTo(1.0);
        assertThat(x.valueAt(HASHER.cross("g", "u4pruy", "i", "sku-1"))).isEqualTo(1.0);
        assertThat(x.valueAt(HASHER.cross("s", "vip", "d", "mobile", "c", "shoes")))
                .isEqualTo(1.0);
        assertThat(x.valueAt(HASHER.cross("u", "bags", "c", "shoes"))).isEqualTo(1.0);
        assertThat(x.valueAt(HASHER.bucket("n", "als"))).isEqualTo(0.8);
        assertThat(x.valueAt(HASHER.bucket("n", "pop"))).isCloseTo(1.0, within(1e-12));
        assertThat(x.valueAt(HASHER.bucket("n", "fresh"))).isEqualTo(0.5);
        assertThat(x.valueAt(HASHER.bucket("n", "catshare"))).isEqualTo(0.75);
    }

    @Test
    void isDeterministicSortedAndDistinct() {
        HashedFeatures a = full(new RankingFeatures(HASHER));
        HashedFeatures b = full(new RankingFeatures(new FeatureHasher(20, FeatureHasher.DEFAULT_SEED)));
        assertThat(a).isEqualTo(b);
        for (int k = 1; k < a.size(); k++) {
            assertThat(a.indices[k]).isGreaterThan(a.indices[k - 1]);
        }
        // and acceptable to the model as is
        new FtrlModel(FtrlParams.defaults()).update(a, 1);
    }

    @Test
    void sumsCollidingFeatures() {
        FeatureHasher tiny = new FeatureHasher(1, 5);
        HashedFeatures x = full(new RankingFeatures(tiny));
        assertThat(x.size()).isLessThanOrEqualTo(2);
        assertThat(x.values[0] + (x.size() > 1 ? x.values[1] : 0.0))
                .isCloseTo(19 + 0.8 + 1.0 + 0.5 + 0.75, within(1e-9));
    }

    @Test
    void contextAttributesAddTheirFeatureAndCrossesWithItemAndCategory() {
        RankingFeatures rf = new RankingFeatures(HASHER);
        HashedFeatures without = full(rf);
        HashedFeatures with = rf.builder()
                .user(USER)
                .context("u4pruy", "weekday-evening", "mobile")
                .attributes(new String[] {"companion", "weather"}, new String[] {"kids", "rain"})
                .item("sku-1", "shoes")
                .alsScore(0.8)
                .contextPopularity(Math.E - 1)
                .recencyHours(24)
                .build();

        assertThat(with.size()).isEqualTo(without.size() + 2 * 3);
        for (String attribute : new String[] {"companion=kids", "weather=rain"}) {
            assertThat(with.valueAt(HASHER.bucket("a", attribute))).isEqualTo(1.0);
            assertThat(with.valueAt(HASHER.cross("a", attribute, "i", "sku-1"))).isEqualTo(1.0);
            assertThat(with.valueAt(HASHER.cross("a", attribute, "c", "shoes"))).isEqualTo(1.0);
        }
        // everything else is as without attributes
        for (int k = 0; k < without.size(); k++) {
            assertThat(with.valueAt(without.indices[k])).isEqualTo(without.values[k]);
        }
    }

    @Test
    void absentAttributesAddNothing() {
        RankingFeatures rf = new RankingFeatures(HASHER);
        HashedFeatures plain = full(rf);
        RankingFeatures.Builder b = rf.builder()
                .user(USER)
                .context("u4pruy", "weekday-evening", "mobile")
                .item("sku-1", "shoes")
                .alsScore(0.8)
                .contextPopularity(Math.E - 1)
                .recencyHours(24);

        assertThat(b.attributes(null, null).build()).isEqualTo(plain);
        assertThat(b.attributes(new String[0], new String[0]).build()).isEqualTo(plain);
        assertThat(b.attributes(new String[] {"weather", ""}, new String[] {null, "x"})
                        .build())
                .isEqualTo(plain);
        // attributes are context: the context-free model ignores them
        RankingFeatures contextFree = new RankingFeatures(HASHER, false, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        assertThat(contextFree
                        .builder()
                        .item("sku-1", "shoes")
                        .attributes(new String[] {"weather"}, new String[] {"rain"})
                        .build())
                .isEqualTo(contextFree.builder().item("sku-1", "shoes").build());
        assertThatThrownBy(() -> b.attributes(new String[] {"weather"}, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallel arrays");
    }

    @Test
    void contextFreeModelHasNoContextFeatures() {
        HashedFeatures withCtx = full(new RankingFeatures(HASHER));
        HashedFeatures noCtx = full(new RankingFeatures(HASHER, false, RankingFeatures.DEFAULT_TOP_CATEGORIES));
        assertThat(noCtx.size()).isEqualTo(withCtx.size() - 11);
        assertThat(noCtx.valueAt(HASHER.bucket("d", "mobile"))).isZero();
        assertThat(noCtx.valueAt(HASHER.cross("t", "weekday-evening", "c", "shoes")))
                .isZero();
    }

    @Test
    void leavesOutWhatIsUnknown() {
        HashedFeatures x = new RankingFeatures(HASHER)
                .builder()
                .context(null, "weekday-evening", "")
                .item("sku-1", null)
                .build();
        // bias, i, t, t×i
        assertThat(x.size()).isEqualTo(4);
        assertThat(x.valueAt(HASHER.cross("t", "weekday-evening", "i", "sku-1")))
                .isEqualTo(1.0);
    }

    @Test
    void summarisesAProfileStrongestCategoryFirst() {
        UserProfile p = new UserProfile();
        ProfilePolicy policy = new ProfilePolicy();
        p.apply(event(EventType.PURCHASE, "a", "shoes", 1000), policy);
        p.apply(event(EventType.VIEW, "b", "bags", 2000), policy);
        UserSummary s = UserSummary.of(p);
        assertThat(s.categoryCount()).isEqualTo(2);
        assertThat(s.category(0)).isEqualTo("shoes");
        assertThat(s.share("shoes") + s.share("bags")).isCloseTo(1.0, within(1e-12));
        assertThat(s.share("shoes")).isGreaterThan(s.share("bags"));
        assertThat(s.share("toys")).isZero();
        assertThat(UserSummary.of(null).categoryCount()).isZero();
    }

    private static Event event(EventType type, String item, String category, long ts) {
        Event e = new Event();
        e.eventId = item + ts;
        e.type = type;
        e.userId = "u";
        e.itemId = item;
        e.category = category;
        e.ts = ts;
        return e;
    }
}
