package io.desire.operators;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The one TTL shape used by this module's keyed state: measured in processing time, refreshed on
 * create and write, expired values never returned, cleaned up in the RocksDB compaction filter (and
 * incrementally on the heap backend, which tests use).
 */
public final class StateTtl {
    /** Entries the compaction filter processes before it refreshes its notion of "now". */
    static final long COMPACTION_QUERY_TIME_AFTER_ENTRIES = 1000L;
    /** Entries the heap backend checks per state access. */
    static final int INCREMENTAL_CLEANUP_SIZE = 10;

    private StateTtl() {}

    /** The module's TTL shape for {@code ttl} of processing time. */
    public static StateTtlConfig processingTime(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .useProcessingTime()
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupInRocksdbCompactFilter(COMPACTION_QUERY_TIME_AFTER_ENTRIES)
                .cleanupIncrementally(INCREMENTAL_CLEANUP_SIZE, false)
                .build();
    }

    /** {@code d}, checked to be a positive duration; the message names {@code name}. */
    public static Duration requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
        return d;
    }
}
