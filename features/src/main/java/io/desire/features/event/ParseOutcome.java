package io.desire.features.event;

import java.util.Objects;

/**
 * The result of parsing one record: either a valid {@link Event} or a {@link DeadLetter}, never both
 * and never neither.
 */
public final class ParseOutcome {
    private final Event event;
    private final DeadLetter deadLetter;

    private ParseOutcome(Event event, DeadLetter deadLetter) {
        this.event = event;
        this.deadLetter = deadLetter;
    }

    /** An accepted event. */
    public static ParseOutcome valid(Event event) {
        return new ParseOutcome(Objects.requireNonNull(event, "event"), null);
    }

    /** A rejected record. */
    public static ParseOutcome invalid(DeadLetter deadLetter) {
        return new ParseOutcome(null, Objects.requireNonNull(deadLetter, "deadLetter"));
    }

    /** True when {@link #event()} is set, false when {@link #deadLetter()} is. */
    public boolean isValid() {
        return event != null;
    }

    /** The event, or {@code null} when the record was rejected. */
    public Event event() {
        return event;
    }

    /** The dead letter, or {@code null} when the record was valid. */
    public DeadLetter deadLetter() {
        return deadLetter;
    }

    /** The reason of the rejection, or {@code null} when the record was valid. */
    public RejectReason reason() {
        return deadLetter == null ? null : RejectReason.valueOf(deadLetter.reason);
    }

    @Override
    public String toString() {
        return isValid() ? "valid " + event : "invalid " + deadLetter;
    }
}
