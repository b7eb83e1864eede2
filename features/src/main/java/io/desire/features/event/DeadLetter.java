package io.desire.features.event;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A record the engine could not use: the reason code, a human-readable detail, the origin and the raw
 * bytes exactly as received, so nothing is lost and the record can be fixed and replayed.
 */
public class DeadLetter {
    /** A {@link RejectReason} name. */
    public String reason;
    /** What exactly was wrong, e.g. the offending field. Never contains the whole payload. */
    public String detail;
    /** Origin: {@code kafka:topic/partition@offset} or {@code file:path#line}. */
    public String source;

    public byte[] raw;
    public long receivedAt;

    public DeadLetter() {}

    public DeadLetter(RejectReason reason, String detail, RawRecord record) {
        this.reason = reason.name();
        this.detail = detail;
        this.source = record.source;
        this.raw = record.payload;
        this.receivedAt = record.receivedAt;
    }

    /** The dead-letter record as one JSON line: reason, detail, source, received_at, raw_base64. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(128 + (raw == null ? 0 : raw.length * 4 / 3));
        sb.append("{\"reason\":");
        appendString(sb, reason);
        sb.append(",\"detail\":");
        appendString(sb, detail);
        sb.append(",\"source\":");
        appendString(sb, source);
        sb.append(",\"received_at\":").append(receivedAt);
        sb.append(",\"raw_base64\":");
        appendString(sb, raw == null ? null : Base64.getEncoder().encodeToString(raw));
        sb.append('}');
        return sb.toString();
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + " @ " + source + '}';
    }
}
