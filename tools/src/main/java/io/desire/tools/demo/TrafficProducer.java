package io.desire.tools.demo;

import io.desire.tools.generator.EventGenerator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated events to Kafka at a steady rate on its own thread until stopped. Event time is
 * the wall clock at sending, as for a live app. Keys are user ids so one user's events stay in order
 * within a partition.
 */
public final class TrafficProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficProducer.class);

    private final EventGenerator generator;
    private final String topic;
    private final double eventsPerSecond;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;

    public TrafficProducer(String bootstrap, String topic, EventGenerator generator, double eventsPerSecond) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0 events/s, got " + eventsPerSecond);
        }
        this.generator = generator;
        this.topic = topic;
        this.eventsPerSecond = eventsPerSecond;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p);
        this.thread = new Thread(this::run, "desire-traffic");
        this.thread.setDaemon(true);
    }

    public TrafficProducer start() {
        thread.start();
        return this;
    }

    private void run() {
        long intervalNanos = (long) (1_000_000_000L / eventsPerSecond);
        long next = System.nanoTime();
        while (running.get()) {
            long now = System.nanoTime();
            if (now < next) {
                // Pacing, not waiting for a condition: the producer is rate-limited by design.
                LockSupport.parkNanos(next - now);
                continue;
            }
            next += intervalNanos;
            byte[] value = generator.next(System.currentTimeMillis());
            producer.send(new ProducerRecord<>(topic, keyOf(value), value), (md, e) -> {
                if (e != null) {
                    if (failed.getAndIncrement() == 0) {
                        LOG.warn("Sending to {} failed: {}", topic, e.toString());
                    }
                } else {
                    sent.incrementAndGet();
                }
            });
        }
    }

    /** The user id when it can be found cheaply, so a user's events share a partition. */
    static byte[] keyOf(byte[] json) {
        String s = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        int i = s.indexOf("\"user_id\":\"");
        if (i < 0) {
            return null;
        }
        int start = i + 11;
        int end = s.indexOf('"', start);
        return end < 0 ? null : s.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.SECONDS.toMillis(10));
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
