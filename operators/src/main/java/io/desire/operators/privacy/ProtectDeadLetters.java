package io.desire.operators.privacy;

import io.desire.features.event.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps raw payloads — which hold raw user ids — out of the ordinary dead-letter output when user ids
 * are pseudonymised. Each dead letter goes on with its reason, detail, origin and time but without its
 * raw bytes; the raw bytes either go to {@link #RAW} (a dead letter with everything, for a separately
 * protected topic) or are dropped, as {@link Mode} says. Stateless; never throws.
 */
public class ProtectDeadLetters extends ProcessFunction<DeadLetter, DeadLetter> {
    private static final long serialVersionUID = 1L;

    /** Side output of complete dead letters (with raw bytes), for the protected topic. */
    public static final OutputTag<DeadLetter> RAW = new OutputTag<>("raw-dead-letters") {};

    /** Where raw payloads of rejected records go. */
    public enum Mode {
        /** In the ordinary dead letter, as without pseudonyms (not allowed with pseudonyms on). */
        INLINE,
        /** To a separate, separately protected topic (or file directory). */
        TOPIC,
        /** Nowhere: only reason, detail, origin and time are kept. */
        DROP;

        /** Parses {@code inline}, {@code topic} or {@code drop}. */
        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(
                        "privacy.dead-letter-raw is '" + s + "'; expected inline, topic or drop");
            }
        }
    }

    private final Mode mode;

    /** @param mode {@link Mode#TOPIC} or {@link Mode#DROP} (inline needs no protection stage) */
    public ProtectDeadLetters(Mode mode) {
        if (mode != Mode.TOPIC && mode != Mode.DROP) {
            throw new IllegalArgumentException("ProtectDeadLetters needs mode topic or drop, got " + mode);
        }
        this.mode = mode;
    }

    @Override
    public void processElement(DeadLetter dl, Context ctx, Collector<DeadLetter> out) {
        if (mode == Mode.TOPIC) {
            ctx.output(RAW, dl);
        }
        DeadLetter stripped = new DeadLetter();
        stripped.reason = dl.reason;
        stripped.detail = dl.detail;
        stripped.source = dl.source;
        stripped.receivedAt = dl.receivedAt;
        stripped.raw = null;
        out.collect(stripped);
    }
}
