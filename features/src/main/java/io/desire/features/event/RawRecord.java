package io.desire.features.event;

/**
 * One input record before parsing: the bytes as received and where they came from.
 *
 * <p>{@link #source} names the origin for dead-letter reports: {@code kafka:topic/partition@offset}
 * or {@code file:path#line}.
 */
public class RawRecord {
    public byte[] payload;
    public String source;
    /** Wall-clock or broker time at which the record entered the engine (epoch ms). */
    public long receivedAt;

    public RawRecord() {}

    public RawRecord(byte[] payload, String source, long receivedAt) {
        this.payload = payload;
        this.source = source;
        this.receivedAt = receivedAt;
    }
}
