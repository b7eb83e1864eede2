package io.desire.jobs;

/** Event JSON of the contract (docs/events.md) for the pipeline tests: one place to build it. */
final class TestEvents {
    /** 2026-01-01T08:00Z. */
    static final long T0 = 1_767_254_400_000L;
    /** A phone in Paris. */
    static final String CTX =
            "\"context\":{\"lat\":48.8566,\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}";

    private TestEvents() {}

    /**
     * Yesterday at {@code hour}:{@code minute} UTC: recent enough for the job's windows and state
     * TTLs, and a few minutes of traffic from then stay in one Paris time bucket.
     */
    static long yesterdayAt(int hour, int minute) {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .minusDays(1)
                .atTime(hour, minute)
                .toInstant(java.time.ZoneOffset.UTC)
                .toEpochMilli();
    }

    /** A catalog event of item {@code id} in {@code category}, at {@link #T0}. */
    static String item(String id, String category) {
        return "{\"event_id\":\"cat-" + id + "\",\"ts\":" + T0 + ",\"type\":\"item\",\"item_id\":\"" + id
                + "\",\"category\":\"" + category + "\"}";
    }

    /** A behaviour event in {@link #CTX}; {@code value} may be null. */
    static String behaviour(String eventId, String user, String item, String type, long ts, Double value) {
        return "{\"event_id\":\"" + eventId + "\",\"ts\":" + ts + ",\"type\":\"" + type + "\",\"user_id\":\"" + user
                + "\",\"item_id\":\"" + item + "\"" + (value == null ? "" : ",\"value\":" + value) + "," + CTX + "}";
    }
}
