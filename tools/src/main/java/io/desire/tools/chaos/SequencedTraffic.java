package io.desire.tools.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Generated traffic whose effect is known: event {@code i} goes to user {@code i mod users}, carries
 * that user's sequence number ({@code seq}, from 0) and an event time 10 ms after the previous event,
 * so each user's expected {@code profile_events} is the number of events sent to them. Records are
 * keyed by user (one user, one partition, in order). Every so often a record the job must reject is
 * sent too; those are remembered for the dead-letter check.
 *
 * <p>The producer is idempotent, waits for every replica and keeps retrying for 10 minutes, so a
 * broker restart delays sending but loses and doubles nothing; a send that still fails is counted in
 * {@link #failed()}, which makes the campaign's oracle unusable.
 */
final class SequencedTraffic implements AutoCloseable {
    private static final String[] CATEGORIES = {"books", "games", "shoes", "music"};
    private static final String[] CONTEXTS = {
        "\"context\":{\"lat\":48.8566,\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}",
        "\"context\":{\"lat\":40.7128,\"lon\":-74.0060,\"device\":\"desktop\",\"tz\":\"America/New_York\"}"
    };

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String run;
    private final int users;
    private final double rate;
    private final long badEvery;
    private final int badRecords;
    private final long t0 = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
    private final long[] produced;
    private final List<String> bad = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chaos-traffic");
        t.setDaemon(true);
        return t;
    });
    private long next;

    /**
     * @param totalEvents events of the whole campaign (spreads {@code badRecords} over them)
     */
    SequencedTraffic(
            String bootstrap, String topic, String run, int users, double rate, long totalEvents, int badRecords) {
        this.topic = topic;
        this.run = run;
        this.users = users;
        this.rate = rate;
        this.badRecords = badRecords;
        this.badEvery = badRecords == 0 ? Long.MAX_VALUE : Math.max(1, totalEvents / (badRecords + 1));
        this.produced = new long[users];
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        this.producer = new KafkaProducer<>(p);
    }

    /** Sends the next {@code count} events at the configured rate, in the background. */
    Future<?> send(long count) {
        return sender.submit(() -> {
            long interval = (long) (1e9 / rate);
            long due = System.nanoTime();
            for (long i = 0; i < count; i++) {
                sendOne();
                due += interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (wait < -1_000_000_000L) {
                    due = System.nanoTime(); // stalled (broker down): carry on at the rate, no burst
                }
            }
            producer.flush();
            return null;
        });
    }

    private void sendOne() {
        long i = next++;
        int u = (int) (i % users);
        String user = user(u);
        long seq;
        synchronized (produced) {
            seq = produced[u]++;
        }
        String category = CATEGORIES[u % CATEGORIES.length];
        String json = "{\"event_id\":\"" + run + "-" + i + "\",\"ts\":" + (t0 + i * 10) + ",\"type\":\""
                + (i % 5 == 0 ? "click" : "view") + "\",\"user_id\":\"" + user + "\",\"seq\":" + seq
                + ",\"item_id\":\"" + category + "-" + (i * 7 % 13) + "\",\"category\":\"" + category + "\","
                + CONTEXTS[(int) (seq % CONTEXTS.length)] + "}";
        send(user, json);
        if (i > 0 && i % badEvery == 0 && bad.size() < badRecords) {
            String raw = badRecord(bad.size());
            synchronized (bad) {
                bad.add(raw);
            }
            send("bad", raw);
        }
    }

    /** Three kinds the parser refuses: not JSON, a behaviour without a user, an unknown type. */
    private String badRecord(int k) {
        return switch (k % 3) {
            case 0 -> "{not json " + run + "-bad-" + k;
            case 1 ->
                "{\"event_id\":\"" + run + "-bad-" + k + "\",\"ts\":" + t0 + ",\"type\":\"view\",\"item_id\":\"x\"}";
            default ->
                "{\"event_id\":\"" + run + "-bad-" + k + "\",\"ts\":" + t0
                        + ",\"type\":\"teleport\",\"user_id\":\"c-bad\",\"item_id\":\"x\"}";
        };
    }

    private void send(String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
        });
        sent.incrementAndGet();
    }

    static String user(int u) {
        return String.format("c-%05d", u);
    }

    /** Records handed to the producer so far (events and bad records). */
    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    Exception firstFailure() {
        return firstFailure.get();
    }

    /** Events sent per user so far (users with none left out). */
    Map<String, Long> produced() {
        Map<String, Long> m = new TreeMap<>();
        synchronized (produced) {
            for (int u = 0; u < users; u++) {
                if (produced[u] > 0) {
                    m.put(user(u), produced[u]);
                }
            }
        }
        return m;
    }

    /** The bad records sent so far, as sent. */
    List<byte[]> badRecords() {
        synchronized (bad) {
            return bad.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdownNow();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(10));
    }
}
