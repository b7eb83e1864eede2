package io.desire.features.privacy;

import java.nio.charset.StandardCharsets;

/**
 * One erasure request as the erasure log records it: the user (as the job knows them — the pseudonym
 * with {@code privacy.pseudonyms}), the event time of the {@code forget_user}, its request id (the
 * event's {@code event_id}) and when the job took it in. It is what a snapshot sweep needs to find
 * the users forgotten since a snapshot was taken, and the first entry of the request's audit trail.
 * A Flink POJO.
 */
public class Erasure {
    public String user;
    /** Event time of the {@code forget_user}, epoch ms. */
    public long forgetTs;
    /** The {@code event_id} of the {@code forget_user}. */
    public String requestId;
    /** Wall-clock time at which the job logged the request, epoch ms. */
    public long loggedAt;

    public Erasure() {}

    public Erasure(String user, long forgetTs, String requestId, long loggedAt) {
        this.user = user;
        this.forgetTs = forgetTs;
        this.requestId = requestId;
        this.loggedAt = loggedAt;
    }

    /** {@code {"user":…,"forget_ts":…,"request_id":…,"logged_at":…}}. Ids are JSON-escaped. */
    public String toJson() {
        return "{\"user\":" + quote(user) + ",\"forget_ts\":" + forgetTs + ",\"request_id\":" + quote(requestId)
                + ",\"logged_at\":" + loggedAt + "}";
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public String toString() {
        return "Erasure{" + user + " at " + forgetTs + " request " + requestId + '}';
    }
}
