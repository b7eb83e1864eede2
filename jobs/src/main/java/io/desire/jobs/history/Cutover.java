package io.desire.jobs.history;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The hand-over instant between history files and the live Kafka topic ({@code history.cutover}).
 *
 * <p>Guarantee: an event belongs to exactly one side. From files, only events whose event time is
 * before the cut-over are read; from Kafka, only records whose record timestamp is at or after it.
 * Producers that stamp each record with its event time (the Kafka default, {@code CreateTime}, set by
 * the producer) make the two tests agree, so no event is skipped and none is read twice.
 */
public final class Cutover {
    private Cutover() {}

    /** Parses epoch milliseconds or an ISO-8601 instant ({@code 2025-05-31T10:00:00Z}, or with an offset). */
    public static long parse(String raw) {
        String s = raw == null ? "" : raw.trim();
        if (s.matches("\\d{1,19}")) {
            return Long.parseLong(s);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(
                        ConfigKeys.HISTORY_CUTOVER.name() + " is '" + raw
                                + "'; expected epoch milliseconds or an ISO-8601 instant such as 2025-05-31T10:00:00Z",
                        e2);
            }
        }
    }

    /** The configured cut-over, or {@code fallbackMillis} when none is set. */
    public static long of(JobConfig cfg, long fallbackMillis) {
        String raw = cfg.getOptional(ConfigKeys.HISTORY_CUTOVER);
        return raw == null ? fallbackMillis : parse(raw);
    }

    /** The configured cut-over; required (the one-job alternative cannot guess where Kafka takes over). */
    public static long required(JobConfig cfg) {
        String raw = cfg.getOptional(ConfigKeys.HISTORY_CUTOVER);
        if (raw == null) {
            throw new IllegalArgumentException(ConfigKeys.HISTORY_INPUT.name() + " is set, so the job reads history"
                    + " files first; it then needs " + ConfigKeys.HISTORY_CUTOVER.name()
                    + " (epoch ms or ISO-8601), the instant at which Kafka takes over");
        }
        return parse(raw);
    }
}
