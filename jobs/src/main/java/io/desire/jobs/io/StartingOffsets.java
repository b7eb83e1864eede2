package io.desire.jobs.io;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Turns the {@code kafka.starting-offsets} setting into an {@link OffsetsInitializer}. */
public final class StartingOffsets {
    private StartingOffsets() {}

    /**
     * @param spec {@code committed-or-earliest}, {@code earliest}, {@code latest} or an epoch-ms timestamp
     */
    @SuppressWarnings("deprecation") // the connector's API still takes kafka-clients' OffsetResetStrategy
    public static OffsetsInitializer parse(String spec) {
        switch (spec.trim().toLowerCase()) {
            case "committed-or-earliest":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                try {
                    return OffsetsInitializer.timestamp(Long.parseLong(spec.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("kafka.starting-offsets is '" + spec
                            + "'; expected committed-or-earliest, earliest, latest or an epoch-ms timestamp");
                }
        }
    }
}
