package io.desire.operators.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.SourceList;
import io.desire.operators.TestEvents;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.ItemFollowers;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ServingSourcesTest {
    private final ServingSources sources = new ServingSources(5, ServingSources.DEFAULT_RECENT_FOR_SEQUENCE);
    private final TrendingItems popular = new TrendingItems(
            TrendingItems.POPULAR, 1_000, new String[] {"p1", "p2", "c1"}, new double[] {9, 5, 1}, new String[] {
                "shoes", "hats", "hats"
            });
    private final AlsCandidates als = new AlsCandidates("u", new String[] {"a1", "a2"}, new double[] {0.9, 0.4}, 10);
    private final Function<String, ItemFollowers> followers = item ->
            item.equals("i1") ? new ItemFollowers("i1", new String[] {"f1", "f2"}, new double[] {3, 1}, 1, 10) : null;

    private UserProfile profile() {
        UserProfile p = new UserProfile();
        ProfilePolicy policy = new ProfilePolicy();
        p.apply(TestEvents.view("u", "i0", "hats", 1_000), policy);
        p.apply(TestEvents.view("u", "i1", "hats", 2_000), policy);
        return p;
    }

    /** A flush builds the user's lists once and completes them per context: the same lists as alone. */
    @Test
    void userListsCompletedPerContextEqualTheListsOfEachContext() {
        UserProfile profile = profile();
        Map<CandidateSource, SourceList> shared = sources.userLists(profile, popular, null, als, followers);
        for (String[] context : new String[][] {{"c1", "hats"}, {"c2", "shoes"}}) {
            TrendingItems trending = new TrendingItems(
                    context[0], 1_000, new String[] {context[0], "t2"}, new double[] {4, 2}, new String[] {
                        context[1], "hats"
                    });
            Map<CandidateSource, SourceList> alone = sources.lists(profile, trending, popular, null, als, followers);
            Map<CandidateSource, SourceList> reused = sources.withContext(shared, profile, trending, popular, null);
            assertThat(reused).isEqualTo(alone);
            assertThat(reused.keySet()).containsExactly(CandidateSource.values());
        }
        // completing one context leaves the shared lists as they were, for the next context
        assertThat(shared.keySet())
                .containsExactlyInAnyOrder(CandidateSource.ALS, CandidateSource.SEQUENCE, CandidateSource.POPULAR);
        assertThat(shared.get(CandidateSource.SEQUENCE).items()).containsExactly("f1", "f2");
    }

    @Test
    void withoutPopularListTheGlobalTrendingListIsPopularInBothForms() {
        UserProfile profile = profile();
        TrendingItems global = new TrendingItems(
                TrendingItems.GLOBAL, 1_000, new String[] {"g1"}, new double[] {1}, new String[] {"hats"});
        Map<CandidateSource, SourceList> shared = sources.userLists(profile, null, global, null, followers);
        assertThat(sources.withContext(shared, profile, null, null, global))
                .isEqualTo(sources.lists(profile, null, null, global, null, followers));
        assertThat(shared.get(CandidateSource.POPULAR).items()).containsExactly("g1");
    }
}
