package io.desire.jobs.privacy;

import io.desire.features.ranking.TrendingItems;
import io.desire.features.serving.ArmScores;
import io.desire.jobs.LearningPipeline;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.DeduplicateEvents;
import io.desire.operators.Uids;
import io.desire.operators.als.AlsConfig;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.als.UserFactors;
import io.desire.operators.covisit.ItemFollowers;
import io.desire.operators.feedback.FeedbackJoin;
import io.desire.operators.ranker.ExampleAssembler;
import io.desire.operators.ranker.FmWeights;
import io.desire.operators.ranker.RankerWeights;
import io.desire.operators.serving.UserRecommender;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;

/**
 * Every state of one operator whose keys can be users, under the job's uid and state names and with
 * the job's TTL settings: its keyed states, and the non-keyed states that live under the same uid
 * (broadcast map states, union list states), which a rewrite must carry over because the State
 * Processor API replaces an operator's state as a whole. {@link #users} says how a piece of state
 * names its user, {@link #timers} which timers the state records (timers themselves cannot be read
 * back through the State Processor API, so only operators whose state records them are rewritten).
 *
 * <p>{@link #forJob} lists the operators a forget sweep rewrites. It must name every state the
 * operator registers: a state missing here would be dropped by the rewrite (the sweep checks that
 * the savepoint holds no other state under the uid before it writes anything).
 */
public final class UserStateSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String uid;
    public final List<StateDescriptor<?, ?>> keyed;
    public final List<MapStateDescriptor<?, ?>> broadcast;
    public final List<ListStateDescriptor<?>> union;
    /** How to tell the user a piece of state belongs to. */
    public final Users users;
    /** Which timers the operator's state records, so the rewrite can re-register them. */
    public final Timers timers;
    /** Value classes of {@link #broadcast} (keys are strings) and element classes of {@link #union}. */
    final List<Class<?>> broadcastValues;

    final List<Class<?>> unionElements;

    UserStateSpec(
            String uid,
            List<StateDescriptor<?, ?>> keyed,
            List<MapStateDescriptor<?, ?>> broadcast,
            List<Class<?>> broadcastValues,
            List<ListStateDescriptor<?>> union,
            List<Class<?>> unionElements,
            Users users,
            Timers timers) {
        if (broadcast.size() != broadcastValues.size() || union.size() != unionElements.size()) {
            throw new IllegalArgumentException("one value class per non-keyed state of " + uid);
        }
        this.broadcastValues = broadcastValues;
        this.unionElements = unionElements;
        this.uid = uid;
        this.keyed = keyed;
        this.broadcast = broadcast;
        this.union = union;
        this.users = users;
        this.timers = timers;
        ExecutionConfig serializers = new ExecutionConfig();
        keyed.forEach(d -> d.initializeSerializerUnlessSet(serializers));
        broadcast.forEach(d -> d.initializeSerializerUnlessSet(serializers));
        union.forEach(d -> d.initializeSerializerUnlessSet(serializers));
    }

    /** Where the user is. */
    public enum Users {
        /** The key is the user. */
        KEY,
        /** The key is an item id, or {@link io.desire.operators.EnrichFromCatalog#NO_ITEM_KEY_PREFIX} + the user. */
        ITEM_OR_USER_KEY,
        /** The key starts with the user, then {@code \u001f} (the example assembler's user, context, item). */
        KEY_PREFIX,
        /** Map entries name their user ({@link io.desire.operators.feedback.PendingItem#userId}); keys are request ids. */
        PENDING_ITEM
    }

    /** The timers an operator's state records. */
    public enum Timers {
        /** The operator registers none. */
        NONE,
        /** {@link io.desire.operators.CoalescedState}: its processing-time timer and end-of-input flush. */
        COALESCED,
        /** {@link io.desire.operators.ranker.ServedHistory#cleanupAt} and each waiting example's impression time. */
        EXAMPLE_ASSEMBLER,
        /** Each pending item's {@link io.desire.operators.feedback.PendingItem#expiresAt}. */
        FEEDBACK_JOIN
    }

    /** Names of every state this spec covers (keyed and non-keyed). */
    public List<String> stateNames() {
        return java.util.stream.Stream.of(keyed, broadcast, union)
                .flatMap(List::stream)
                .map(d -> ((StateDescriptor<?, ?>) d).getName())
                .toList();
    }

    /**
     * The user-keyed operators of the streaming job configured by {@code cfg}: the user recommender
     * (profile, contexts, forget guard, ALS candidates, consumed items, session lists; broadcast
     * trending, co-visitation, ranker and FM weights; union arm scores), the ALS user side (factors,
     * forget guard, consumed; broadcast item table) and de-duplication (keyed by user for events
     * without an item), the feedback join (pending impressions and feedback by request id, each naming
     * its user) and the example assembler (served features and waiting examples by user, context and
     * item).
     */
    public static List<UserStateSpec> forJob(JobConfig cfg) {
        java.time.Duration ttl = UserRecommender.DEFAULT_STATE_TTL;
        java.time.Duration guard = cfg.getDuration(ConfigKeys.FORGET_GUARD);
        AlsConfig als = LearningPipeline.alsConfig(cfg);
        UserStateSpec recommender = new UserStateSpec(
                Uids.USER_RECOMMENDER,
                List.of(
                        UserRecommender.createProfileDescriptor(ttl), UserRecommender.createContextsDescriptor(ttl),
                        UserRecommender.createForgottenDescriptor(guard), UserRecommender.createAlsDescriptor(ttl),
                        UserRecommender.createConsumedDescriptor(ttl),
                                UserRecommender.createSessionListsDescriptor(ttl)),
                List.of(UserRecommender.broadcastDescriptors()),
                List.of(TrendingItems.class, ItemFollowers.class, RankerWeights.class, FmWeights.class),
                List.of(UserRecommender.createArmScoresDescriptor()),
                List.of(ArmScores.class),
                Users.KEY,
                Timers.COALESCED);
        UserStateSpec alsUsers = new UserStateSpec(
                Uids.ALS_USER_FACTORS,
                List.of(
                        UserFactors.createStateDescriptor(als),
                        UserFactors.createForgottenDescriptor(als),
                        UserFactors.createConsumedDescriptor(als)),
                List.of(UserFactors.createTableDescriptor()),
                List.of(ItemFactorUpdate.class),
                List.of(),
                List.of(),
                Users.KEY,
                Timers.NONE);
        UserStateSpec dedup = new UserStateSpec(
                Uids.DEDUPLICATE,
                List.of(DeduplicateEvents.createStateDescriptor(cfg.getDuration(ConfigKeys.DEDUP_TTL))),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Users.ITEM_OR_USER_KEY,
                Timers.NONE);
        UserStateSpec feedback = new UserStateSpec(
                Uids.FEEDBACK_JOIN,
                List.of(FeedbackJoin.createStateDescriptor()),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Users.PENDING_ITEM,
                Timers.FEEDBACK_JOIN);
        UserStateSpec examples = new UserStateSpec(
                Uids.EXAMPLE_ASSEMBLER,
                List.of(
                        ExampleAssembler.createServedStateDescriptor(),
                        ExampleAssembler.createWaitingStateDescriptor()),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Users.KEY_PREFIX,
                Timers.EXAMPLE_ASSEMBLER);
        return List.of(recommender, alsUsers, dedup, feedback, examples);
    }
}
