package io.desire.sinks.elasticsearch;

import org.apache.flink.metrics.Counter;

/**
 * What the requests of one bulk (its retries included) did, counted on whichever thread sent them.
 * The writer adds it to its metrics on the task thread once the bulk is over, succeeded or not, so
 * the metric counters are only ever touched by one thread.
 */
final class BulkTally {
    long recordsSent;
    long bytesSent;
    long versionConflicts;
    long retries;
    long recordErrors;

    /** Adds this tally to the writer's counters. */
    void addTo(Counter records, Counter bytes, Counter conflicts, Counter retried, Counter errors) {
        records.inc(recordsSent);
        bytes.inc(bytesSent);
        conflicts.inc(versionConflicts);
        retried.inc(retries);
        errors.inc(recordErrors);
    }
}
