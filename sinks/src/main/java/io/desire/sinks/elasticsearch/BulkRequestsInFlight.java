package io.desire.sinks.elasticsearch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Up to {@code limit} bulk requests of one writer in flight at once, each sent on a sender thread of
 * its own while the task thread goes on.
 *
 * <p>Guarantees: a request is started only when fewer than {@code limit} are in flight and none of
 * them holds one of its documents, so operations on one document reach Elasticsearch in the order
 * they were submitted. Requests are completed (their {@code onDone} run, their failure thrown) on the
 * task thread, oldest first, by {@link #submit} and {@link #awaitAll}; a failure is thrown by the
 * first of those calls after it happened. Not thread-safe: only the task thread calls it.
 */
final class BulkRequestsInFlight implements AutoCloseable {

    /** Sends one bulk request to the end, retries included; runs on a sender thread. */
    @FunctionalInterface
    interface Send {
        void send() throws IOException, InterruptedException;
    }

    private record Request(Future<?> done, Set<String> documents, Runnable onDone) {}

    private static final AtomicInteger WRITERS = new AtomicInteger();

    private final int limit;
    private final ExecutorService senders;
    private final ArrayDeque<Request> requests = new ArrayDeque<>();

    BulkRequestsInFlight(int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("at least 2 requests in flight, got " + limit);
        }
        this.limit = limit;
        String prefix = "elasticsearch-bulk-" + WRITERS.incrementAndGet() + "-";
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(limit, r -> {
            Thread t = new Thread(r, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code send} once there is room and no request in flight holds one of {@code documents};
     * until then completes the oldest requests. {@code onDone} runs on this thread when the request is
     * over, whether it succeeded or not.
     */
    void submit(Set<String> documents, Send send, Runnable onDone) throws IOException, InterruptedException {
        completeFinished();
        while (!requests.isEmpty() && (requests.size() >= limit || holdsAny(documents))) {
            completeOldest();
        }
        Future<?> done = senders.submit(() -> {
            send.send();
            return null;
        });
        requests.add(new Request(done, documents, onDone));
    }

    /** Waits for every request in flight; throws the first failure. */
    void awaitAll() throws IOException, InterruptedException {
        while (!requests.isEmpty()) {
            completeOldest();
        }
    }

    int size() {
        return requests.size();
    }

    /** Stops the sender threads; requests still in flight are abandoned (a restore replays them). */
    @Override
    public void close() {
        senders.shutdownNow();
        requests.clear();
    }

    /** Completes, oldest first, the requests that are over; throws the first failure. Never blocks. */
    void completeFinished() throws IOException, InterruptedException {
        while (!requests.isEmpty() && requests.peekFirst().done().isDone()) {
            completeOldest();
        }
    }

    private boolean holdsAny(Set<String> documents) {
        for (Request r : requests) {
            if (!Collections.disjoint(r.documents(), documents)) {
                return true;
            }
        }
        return false;
    }

    private void completeOldest() throws IOException, InterruptedException {
        Request oldest = requests.pollFirst();
        try {
            oldest.done().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException) {
                throw new IOException("A bulk request was interrupted before Elasticsearch answered it", cause);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("A bulk request failed", cause);
        } finally {
            oldest.onDone().run();
        }
    }
}
