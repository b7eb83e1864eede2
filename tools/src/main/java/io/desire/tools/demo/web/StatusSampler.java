package io.desire.tools.demo.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's vital signs over the last minutes, read from the job's own metrics on Flink's
 * Prometheus endpoint (the same names a Prometheus server scrapes, docs/metrics.md): events in per
 * second, dead letters in total and by reason, the recommender's event-time lag, documents
 * acknowledged by Elasticsearch, and the model versions. One scrape every {@code interval}, the last
 * {@value #KEEP} points kept; a failed scrape keeps the previous points and is logged once.
 */
public final class StatusSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusSampler.class);
    static final int KEEP = 150;
    private static final String OP = "flink_taskmanager_job_task_operator_";
    private static final String REASON = OP + "deadLetterReason_";

    /** One sample of the vital signs. {@code lagMs} is -1 before the first watermark. */
    public record Point(
            long t,
            double eventsPerSecond,
            long eventsIn,
            long deadLetters,
            Map<String, Long> deadLettersByReason,
            long lagMs,
            long documentsWritten,
            long ftrlVersion,
            long rankerVersion,
            long alsItemVersion) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "desire-status-sampler");
        t.setDaemon(true);
        return t;
    });
    private boolean warned;

    /** @param metricsUrl the Prometheus endpoint of the Flink that runs the job, e.g. http://127.0.0.1:9249/metrics */
    public StatusSampler(String metricsUrl) {
        this.metrics = URI.create(metricsUrl);
    }

    public StatusSampler start(Duration interval) {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The points kept, oldest first. */
    public synchronized List<Point> points() {
        return new ArrayList<>(points);
    }

    private void sampleQuietly() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                add(System.currentTimeMillis(), PrometheusText.parse(r.body()));
                warned = false;
                return;
            }
            warnOnce("HTTP " + r.statusCode());
        } catch (java.io.IOException e) {
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Reading the job's metrics failed", e);
        }
    }

    private void warnOnce(String why) {
        if (!warned) {
            LOG.info("The job's metrics at {} are not readable yet ({}); the status panel waits", metrics, why);
            warned = true;
        }
    }

    /** Adds the point of one scrape taken at {@code t}. */
    synchronized Point add(long t, List<PrometheusText.Sample> samples) {
        long eventsIn = 0;
        long deadLetters = 0;
        long documents = 0;
        long lag = Long.MIN_VALUE;
        long ftrl = 0;
        long ranker = 0;
        long als = 0;
        Map<String, Long> byReason = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            String n = s.name();
            if (!n.startsWith(OP)) {
                continue;
            }
            long v = (long) s.value();
            String op = s.label("operator_name");
            if (n.equals(OP + "eventsIn") && op.equals("parse_and_validate")) {
                eventsIn += v;
            } else if (n.equals(OP + "deadLetters") && op.equals("parse_and_validate")) {
                deadLetters += v;
            } else if (n.startsWith(REASON)) {
                byReason.merge(n.substring(REASON.length()), v, Long::sum);
            } else if (n.equals(OP + "eventTimeLagMs") && op.equals("user_recommender")) {
                lag = Math.max(lag, v);
            } else if (n.equals(OP + "numRecordsSend") && op.startsWith("elasticsearch:") && op.endsWith("_Writer")) {
                documents += v;
            } else if (n.equals(OP + "ftrlVersion")) {
                ftrl = Math.max(ftrl, v);
            } else if (n.equals(OP + "rankerModelVersion")) {
                ranker = Math.max(ranker, v);
            } else if (n.equals(OP + "alsItemModelVersion")) {
                als = Math.max(als, v);
            }
        }
        byReason.values().removeIf(c -> c == 0);
        Point previous = points.peekLast();
        double rate = 0;
        if (previous != null && t > previous.t() && eventsIn >= previous.eventsIn()) {
            rate = (eventsIn - previous.eventsIn()) * 1000.0 / (t - previous.t());
        }
        Point p = new Point(
                t,
                rate,
                eventsIn,
                deadLetters,
                byReason,
                lag == Long.MIN_VALUE ? -1 : lag,
                documents,
                ftrl,
                ranker,
                als);
        points.addLast(p);
        while (points.size() > KEEP) {
            points.removeFirst();
        }
        return p;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
