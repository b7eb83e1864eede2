package io.desire.operators;

/**
 * Stable operator uids, shared by the jobs and by savepoint tools.
 *
 * <p>A uid names an operator's state in every checkpoint and savepoint. Never change or reuse one:
 * renaming a uid orphans the state stored under it. Add new ones instead.
 */
public final class Uids {
    public static final String EVENT_SOURCE = "desire-event-source";
    /** The backfill's history-file source; not part of a bootstrap savepoint. */
    public static final String HISTORY_SOURCE = "desire-history-source";
    /** The one-job alternative's source: history files, then Kafka (HybridSource). */
    public static final String HYBRID_EVENT_SOURCE = "desire-hybrid-event-source";
    /** Counts history records and holds back those at or after the cut-over (stateless). */
    public static final String HISTORY_RECORDS = "desire-history-records";

    public static final String PARSE_EVENTS = "desire-parse-events";
    /** Replaces user ids by their keyed pseudonyms right after parsing (stateless; privacy.pseudonyms). */
    public static final String PSEUDONYMIZE_USERS = "desire-pseudonymize-users";
    /** Moves raw payloads out of dead letters (stateless; privacy.dead-letter-raw topic or drop). */
    public static final String PROTECT_DEAD_LETTERS = "desire-protect-dead-letters";
    /** Transactional Kafka sink of complete dead letters on the protected raw topic. */
    public static final String RAW_DEAD_LETTER_SINK = "desire-raw-dead-letter-sink";
    /** Turns forget_user events into erasure-log records (stateless). */
    public static final String ERASURE_LOG = "desire-erasure-log";
    /** Transactional Kafka sink of the erasure log (privacy.erasure-topic). */
    public static final String ERASURE_LOG_SINK = "desire-erasure-log-sink";

    public static final String DEDUPLICATE = "desire-deduplicate";
    public static final String CATALOG_ENRICH = "desire-catalog-enrich";
    public static final String CONTEXT_TRENDING = "desire-context-trending";
    public static final String GLOBAL_POPULARITY = "desire-global-popularity";
    public static final String LONG_HORIZON_POPULARITY = "desire-long-horizon-popularity";
    public static final String USER_RECOMMENDER = "desire-user-recommender";
    public static final String RECOMMENDATION_SINK = "desire-recommendation-sink";
    public static final String DEAD_LETTER_SINK = "desire-dead-letter-sink";
    public static final String ALS_USER_FACTORS = "desire-als-user-factors";
    public static final String ALS_ITEM_FACTORS = "desire-als-item-factors";
    public static final String ITEM_FACTOR_FEED = "desire-item-factor-feed";
    public static final String ITEM_FACTOR_SINK = "desire-item-factor-sink";
    public static final String CO_VISITATION = "desire-co-visitation";
    public static final String FEEDBACK_JOIN = "desire-feedback-join";
    public static final String EXAMPLE_ASSEMBLER = "desire-example-assembler";
    public static final String FTRL_LEARNER = "desire-ftrl-learner";
    public static final String FM_LEARNER = "desire-fm-learner";
    public static final String RANKER_WEIGHT_FEED = "desire-ranker-weight-feed";
    public static final String RANKER_WEIGHT_SINK = "desire-ranker-weight-sink";

    /** Max parallelism of every job: the number of key groups, fixed for the lifetime of the state. */
    public static final int MAX_PARALLELISM = 128;

    private Uids() {}
}
