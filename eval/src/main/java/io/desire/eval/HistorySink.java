package io.desire.eval;

import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.EventType;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.profile.EventWeights;
import io.desire.jobs.history.HistoryFormat;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns event payloads into the rows of a {@link History}, through the live pipeline's {@link
 * EventParser}: behaviour events become rows weighted by {@link EventWeights} ({@code rate} events
 * also carry their rating; MovieLens ratings are the evidence themselves, without context), {@code
 * item} and {@code user} events give categories and segments, a repeated {@code event_id} counts
 * once, and the rows of users who asked to be forgotten are dropped at {@link #finish()}. Every line
 * that is not used is counted in the {@link LoadReport}.
 */
final class HistorySink {
    private static final EventWeights WEIGHTS = new EventWeights();

    private final LoadReport report;
    private final EventParser parser;
    private final History history;
    /** MovieLens ratings: explicit feedback without context, the rating is also the evidence. */
    private final boolean ratingFile;

    private final Set<String> eventIds = new HashSet<>();
    private final Set<String> forgotten = new HashSet<>();

    HistorySink(LoadReport report, ParserConfig config, boolean keepRaw, HistoryFormat format) {
        this.report = report;
        this.parser = new EventParser(config);
        this.history = new History(report);
        this.ratingFile = format == HistoryFormat.MOVIELENS;
        if (keepRaw) {
            history.keepRaw();
        }
    }

    /** A line that holds no record: blank, or a header. */
    void ignoredLine(String why) {
        report.lines++;
        report.ignored(why);
    }

    void accept(byte[] payload, String where) {
        report.lines++;
        if (isBlank(payload)) {
            report.ignored("blank line");
            return;
        }
        ParseOutcome outcome = parser.parse(new RawRecord(payload, where, 0L));
        if (!outcome.isValid()) {
            report.bad(where, outcome.deadLetter().reason, outcome.deadLetter().detail);
            return;
        }
        Event e = outcome.event();
        if (!eventIds.add(e.eventId)) {
            report.duplicates++;
            return;
        }
        switch (e.type) {
            case ITEM -> {
                report.ignored("item (catalog)");
                history.sideRecords.add(payload);
                if (e.category != null) {
                    history.itemCategory.put(history.items.indexOrAdd(e.itemId), e.category);
                }
            }
            case USER -> {
                report.ignored("user (attributes)");
                history.sideRecords.add(payload);
                if (e.segment != null) {
                    history.userSegment.put(history.users.indexOrAdd(e.userId), e.segment);
                }
            }
            case FORGET_USER -> {
                report.ignored("forget_user");
                forgotten.add(e.userId);
            }
            case IMPRESSION -> report.ignored("impression (no interaction)");
            default -> {
                float rating = e.type == EventType.RATE && e.value != null ? e.value.floatValue() : Float.NaN;
                if (ratingFile && e.type == EventType.RATE) {
                    history.add(e.userId, e.itemId, rating, rating, e.ts, null, payload);
                } else {
                    float evidence = (float) WEIGHTS.weight(e.type, e.value);
                    history.add(
                            e.userId,
                            e.itemId,
                            evidence,
                            rating,
                            e.ts,
                            new String[] {e.geoCell, e.timeBucket, e.deviceClass},
                            payload);
                }
            }
        }
    }

    /** Rows so far (before the forgotten users' rows are dropped). */
    int rows() {
        return history.size();
    }

    /** The history, without the rows of users who asked to be forgotten. */
    History finish() {
        if (!forgotten.isEmpty()) {
            int before = history.size();
            Set<Integer> gone = new HashSet<>();
            for (String u : forgotten) {
                int index = history.users.indexOf(u);
                if (index >= 0) {
                    gone.add(index);
                }
            }
            history.retain(r -> !gone.contains(history.user(r)));
            report.forgottenRows = before - history.size();
        }
        report.rows = history.size();
        return history;
    }

    /** Whether the line holds only spaces, tabs or a carriage return. */
    static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t' && x != '\r') {
                return false;
            }
        }
        return true;
    }
}
