package io.desire.tools.demo.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the page's actions to the events topic as an app's backend would: one event of the public
 * contract (docs/events.md) per action, keyed by user id so a user's events stay in order, stamped
 * with the wall clock as event time, and acknowledged by Kafka before the call returns.
 */
public final class ActionSender implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public ActionSender(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** A sent event: its id and event time. */
    public record Sent(String eventId, long ts) {}

    /** A behaviour event of {@code user} on {@code item} in the placed context ({@code value}: rating or null). */
    public Sent act(String user, String item, String type, Double value, ContextPlacement.Placement where, long ts)
            throws SendFailed {
        ObjectNode e = event(type, user, ts);
        e.put("item_id", item);
        if (value != null) {
            e.put("value", value);
        }
        ObjectNode c = e.putObject("context");
        if (where.lat() != null) {
            c.put("lat", where.lat()).put("lon", where.lon());
        }
        c.put("device", where.device()).put("tz", where.tz());
        return send(user, e);
    }

    /** A {@code forget_user} event: the job erases the user's state and documents. */
    public Sent forget(String user, long ts) throws SendFailed {
        return send(user, event("forget_user", user, ts));
    }

    private static ObjectNode event(String type, String user, long ts) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event_id", "page-" + UUID.randomUUID());
        e.put("ts", ts);
        e.put("type", type);
        e.put("user_id", user);
        return e;
    }

    private Sent send(String user, ObjectNode event) throws SendFailed {
        try {
            producer.send(new ProducerRecord<>(
                            topic,
                            null,
                            event.path("ts").asLong(),
                            user.getBytes(StandardCharsets.UTF_8),
                            JSON.writeValueAsBytes(event)))
                    .get(10, TimeUnit.SECONDS);
            return new Sent(event.path("event_id").asText(), event.path("ts").asLong());
        } catch (ExecutionException
                | TimeoutException
                | com.fasterxml.jackson.core.JsonProcessingException
                | org.apache.kafka.common.KafkaException e) {
            throw new SendFailed("Kafka did not take the event: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendFailed("interrupted while sending", e);
        }
    }

    /** Kafka did not acknowledge an event. */
    public static final class SendFailed extends Exception {
        SendFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
