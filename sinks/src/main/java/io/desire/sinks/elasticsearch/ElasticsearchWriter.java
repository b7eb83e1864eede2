package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.BulkIndexByScrollFailure;
import co.elastic.clients.elasticsearch._types.Conflicts;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.DeleteByQueryResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.NdJsonpSerializable;
import co.elastic.clients.util.BinaryData;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers bulk operations and sends them, so that {@link #flush(boolean)} returns only once
 * everything written before it is acknowledged by Elasticsearch (at-least-once across checkpoints).
 *
 * <p>A batch is sent when it reaches the max actions or max size, when the flush interval elapses
 * (a processing-time timer, run on the task thread too), and at every checkpoint and end of input.
 * With a bulk concurrency of 1 it is sent on the task thread; with more, on sender threads, up to
 * that many at once ({@link BulkRequestsInFlight}: operations on one document stay in order).
 * Only items that failed retryably are re-sent, with exponential backoff; version conflicts of
 * externally versioned writes count as success.
 */
class ElasticsearchWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchWriter.class);

    static final String METRIC_VERSION_CONFLICTS = "versionConflicts";
    /** How often finished bulks in flight are completed when no write or flush does it first. */
    static final long COMPLETION_POLL_MILLIS = 50;

    static final String METRIC_RETRIES = "retries";
    static final String METRIC_DELETES_BY_QUERY = "deletesByQuery";

    /** Blocks between retries. Replaceable so tests need not wait. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Sleeper BLOCKING_SLEEPER = d -> TimeUnit.MILLISECONDS.sleep(d.toMillis());

    private record Pending(BulkOperation operation, long bytes) {}

    private final ElasticsearchSinkConfig config;
    private final ElasticsearchEmitter<? super T> emitter;
    private final ElasticsearchClient client;
    private final JsonpMapper mapper;
    private final ProcessingTimeService timeService;
    private final Sleeper sleeper;
    private final ElasticsearchFailures failures;
    private final Indexer indexer = new Indexer();

    private final Counter numRecordsSend;
    private final Counter numBytesSend;
    private final Counter numRecordsOutErrors;
    private final Counter versionConflicts;
    private final Counter retries;
    private final Counter deletesByQuery;

    /** Null with a bulk concurrency of 1: each bulk is sent on the task thread. */
    private final BulkRequestsInFlight inFlight;

    private List<Pending> pending = new ArrayList<>();
    private long pendingBytes;
    private ScheduledFuture<?> flushTimer;
    /** Completes finished bulks on the task thread, so their metrics and failures show without a next write. */
    private ScheduledFuture<?> completionTimer;

    private boolean closed;

    ElasticsearchWriter(
            ElasticsearchSinkConfig config,
            ElasticsearchEmitter<? super T> emitter,
            IndexBootstrap bootstrap,
            ElasticsearchClient client,
            SinkWriterMetricGroup metrics,
            ProcessingTimeService timeService,
            Sleeper sleeper)
            throws IOException {
        this.config = config;
        this.emitter = emitter;
        this.client = client;
        this.mapper = client._jsonpMapper();
        this.timeService = timeService;
        this.sleeper = sleeper;
        this.failures = new ElasticsearchFailures(config);
        this.numRecordsSend = metrics.getNumRecordsSendCounter();
        this.numBytesSend = metrics.getNumBytesSendCounter();
        this.numRecordsOutErrors = metrics.getNumRecordsOutErrorsCounter();
        this.versionConflicts = metrics.counter(METRIC_VERSION_CONFLICTS);
        this.retries = metrics.counter(METRIC_RETRIES);
        this.deletesByQuery = metrics.counter(METRIC_DELETES_BY_QUERY);
        this.inFlight = config.bulkConcurrency > 1 ? new BulkRequestsInFlight(config.bulkConcurrency) : null;
        try {
            withRetries("Preparing Elasticsearch (index template, alias)", () -> {
                bootstrap.ensure(client);
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while preparing Elasticsearch", e);
        } catch (IOException | RuntimeException e) {
            closeSenders();
            closeClient();
            throw e;
        }
        LOG.info("Elasticsearch sink writer open: {}", config);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        emitter.emit(element, context, indexer);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushPending();
        awaitInFlight();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (flushTimer != null) {
            flushTimer.cancel(false);
        }
        if (completionTimer != null) {
            completionTimer.cancel(false);
        }
        int unacknowledged = inFlight == null ? 0 : inFlight.size();
        if (!pending.isEmpty() || unacknowledged > 0) {
            // Not an error: after a failure Flink replays from the last checkpoint, which covers these.
            LOG.info(
                    "Closing with {} unsent operations and {} unacknowledged bulk requests (they are replayed"
                            + " from the last checkpoint)",
                    pending.size(),
                    unacknowledged);
        }
        closeSenders();
        closeClient();
    }

    /** Operations buffered and not yet sent. */
    int pendingOperations() {
        return pending.size();
    }

    /** Bulk requests sent and not yet completed on the task thread. */
    int requestsInFlight() {
        return inFlight == null ? 0 : inFlight.size();
    }

    private void add(BulkOperation operation) throws IOException, InterruptedException {
        long bytes = sizeOf(operation);
        pending.add(new Pending(operation, bytes));
        pendingBytes += bytes;
        if (pending.size() >= config.bulkFlushMaxActions || pendingBytes >= config.bulkFlushMaxSize.getBytes()) {
            flushPending();
        } else if (flushTimer == null) {
            long due = timeService.getCurrentProcessingTime() + config.bulkFlushInterval.toMillis();
            flushTimer = timeService.registerTimer(due, time -> {
                flushTimer = null;
                if (!closed) {
                    flushPending();
                }
            });
        }
    }

    private void flushPending() throws IOException, InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> batch = pending;
        pending = new ArrayList<>();
        pendingBytes = 0;
        BulkTally tally = new BulkTally();
        if (inFlight == null) {
            try {
                send(batch, tally);
            } finally {
                record(tally);
            }
        } else {
            inFlight.submit(documentsOf(batch), () -> send(batch, tally), () -> record(tally));
            scheduleCompletion();
        }
    }

    /** While bulks are in flight, looks for finished ones every {@value #COMPLETION_POLL_MILLIS} ms. */
    private void scheduleCompletion() {
        if (completionTimer != null || inFlight.size() == 0) {
            return;
        }
        long due = timeService.getCurrentProcessingTime() + COMPLETION_POLL_MILLIS;
        completionTimer = timeService.registerTimer(due, time -> {
            completionTimer = null;
            if (!closed) {
                inFlight.completeFinished();
                scheduleCompletion();
            }
        });
    }

    private void awaitInFlight() throws IOException, InterruptedException {
        if (inFlight != null) {
            inFlight.awaitAll();
        }
    }

    /** The documents {@code batch} writes, as index and id; operations without an id are left out. */
    private static Set<String> documentsOf(List<Pending> batch) {
        Set<String> documents = new HashSet<>(batch.size() * 2);
        for (Pending p : batch) {
            BulkOperation op = p.operation();
            String index = null;
            String id = null;
            if (op.isIndex()) {
                index = op.index().index();
                id = op.index().id();
            } else if (op.isUpdate()) {
                index = op.update().index();
                id = op.update().id();
            } else if (op.isDelete()) {
                index = op.delete().index();
                id = op.delete().id();
            } else if (op.isCreate()) {
                index = op.create().index();
                id = op.create().id();
            }
            if (id != null) {
                documents.add(index + '/' + id);
            }
        }
        return documents;
    }

    private void record(BulkTally tally) {
        tally.addTo(numRecordsSend, numBytesSend, versionConflicts, retries, numRecordsOutErrors);
    }

    /**
     * Sends {@code batch}, re-sending only retryable failed items, until all are acknowledged; counts
     * into {@code tally} only (it may run on a sender thread).
     */
    private void send(List<Pending> batch, BulkTally tally) throws IOException, InterruptedException {
        List<Pending> toSend = batch;
        for (int attempt = 0; ; attempt++) {
            List<Pending> sending = toSend;
            List<BulkOperation> ops = new ArrayList<>(sending.size());
            long bytes = 0;
            for (Pending p : sending) {
                ops.add(p.operation());
                bytes += p.bytes();
            }
            final long requestBytes = bytes;
            BulkResponse response = withRetries(
                    "Bulk request of " + ops.size() + " operations",
                    () -> {
                        tally.bytesSent += requestBytes;
                        return client.bulk(BulkRequest.of(b -> b.operations(ops)));
                    },
                    tally);
            List<Pending> retryable = new ArrayList<>();
            List<BulkResponseItem> rejected = new ArrayList<>();
            BulkResponseItem firstRetryable = null;
            List<BulkResponseItem> items = response.items();
            if (items.size() != sending.size()) {
                throw new ElasticsearchSinkException("Elasticsearch answered a bulk request of " + sending.size()
                        + " operations with " + items.size() + " items; cannot tell which were written");
            }
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                if (item.error() == null) {
                    tally.recordsSent++;
                } else if (ElasticsearchFailures.isVersionConflict(item)) {
                    // external_gte: a document with a newer event time is already there, which is
                    // exactly the state this write would have converged to.
                    tally.versionConflicts++;
                    tally.recordsSent++;
                } else if (ElasticsearchFailures.isRetryable(item)) {
                    retryable.add(sending.get(i));
                    if (firstRetryable == null) {
                        firstRetryable = item;
                    }
                } else {
                    rejected.add(item);
                }
            }
            if (!rejected.isEmpty()) {
                tally.recordErrors += rejected.size() + retryable.size();
                throw new ElasticsearchSinkException("Elasticsearch rejected " + rejected.size()
                        + " operation(s) that cannot succeed on retry; first: "
                        + ElasticsearchFailures.describe(rejected.get(0)));
            }
            if (retryable.isEmpty()) {
                return;
            }
            if (attempt >= config.backoffMaxRetries) {
                tally.recordErrors += retryable.size();
                throw new ElasticsearchSinkException("Giving up on " + retryable.size() + " operation(s) after "
                        + attempt + " retries; last failure: " + ElasticsearchFailures.describe(firstRetryable));
            }
            Duration wait = config.backoff(attempt);
            LOG.warn(
                    "Retrying {} of {} bulk operations in {} ms (retry {}/{}); first failure: {}",
                    retryable.size(),
                    sending.size(),
                    wait.toMillis(),
                    attempt + 1,
                    config.backoffMaxRetries,
                    ElasticsearchFailures.describe(firstRetryable));
            tally.retries += retryable.size();
            sleeper.sleep(wait);
            toSend = retryable;
        }
    }

    private void deleteByQuery(String index, Query query) throws IOException, InterruptedException {
        flushPending();
        awaitInFlight();
        // Delete-by-query only sees searchable documents: make the ones just written visible first.
        withRetries(
                "Refresh of '" + index + "' before delete-by-query",
                () -> client.indices().refresh(r -> r.index(index)));
        DeleteByQueryResponse response = withRetries(
                "Delete-by-query on '" + index + "'",
                () -> client.deleteByQuery(d ->
                        d.index(index).query(query).conflicts(Conflicts.Proceed).refresh(true)));
        if (!response.failures().isEmpty()) {
            BulkIndexByScrollFailure f = response.failures().get(0);
            throw new ElasticsearchSinkException("Delete-by-query on '" + index + "' failed for "
                    + response.failures().size() + " document(s); first: document id '" + f.id() + "' in index '"
                    + f.index() + "' HTTP " + f.status() + ": " + ElasticsearchFailures.describe(f.cause()));
        }
        if (Boolean.TRUE.equals(response.timedOut())) {
            throw new ElasticsearchSinkException("Delete-by-query on '" + index + "' timed out after deleting "
                    + response.deleted() + " document(s)");
        }
        deletesByQuery.inc();
        if (response.versionConflicts() != null && response.versionConflicts() > 0) {
            LOG.warn(
                    "Delete-by-query on '{}' skipped {} document(s) changed while it ran",
                    index,
                    response.versionConflicts());
        }
        LOG.debug("Delete-by-query on '{}' deleted {} document(s)", index, response.deleted());
    }

    @FunctionalInterface
    private interface Call<R> {
        R call() throws IOException;
    }

    /** {@link #withRetries(String, Call, BulkTally)} on the task thread, counted at once. */
    private <R> R withRetries(String what, Call<R> call) throws IOException, InterruptedException {
        BulkTally tally = new BulkTally();
        try {
            return withRetries(what, call, tally);
        } finally {
            record(tally);
        }
    }

    /** Runs a whole request, retrying transient failures (429, 5xx, timeouts) with backoff. */
    private <R> R withRetries(String what, Call<R> call, BulkTally tally) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            } catch (IOException | RuntimeException e) {
                ElasticsearchFailures.Failure failure = failures.classify(e);
                if (!failure.retryable()) {
                    throw new ElasticsearchSinkException(what + " failed: " + failure.message(), e);
                }
                if (attempt >= config.backoffMaxRetries) {
                    throw new ElasticsearchSinkException(
                            what + " failed after " + attempt + " retries: " + failure.message(), e);
                }
                Duration wait = config.backoff(attempt);
                LOG.warn(
                        "{} failed ({}); retry {}/{} in {} ms",
                        what,
                        failure.message(),
                        attempt + 1,
                        config.backoffMaxRetries,
                        wait.toMillis());
                tally.retries++;
                sleeper.sleep(wait);
            }
        }
    }

    /** Size of the operation's lines in the bulk body, exactly as the transport writes them. */
    private long sizeOf(NdJsonpSerializable operation) {
        long size = 0;
        Iterator<?> parts = operation._serializables();
        while (parts.hasNext()) {
            Object part = parts.next();
            if (part instanceof NdJsonpSerializable nested && part != operation) {
                size += sizeOf(nested);
            } else {
                size += BinaryData.of(part, mapper).size() + 1; // + newline
            }
        }
        return size;
    }

    private void closeSenders() {
        if (inFlight != null) {
            inFlight.close();
        }
    }

    private void closeClient() {
        try {
            client._transport().close();
        } catch (IOException e) {
            LOG.warn("Closing the Elasticsearch client failed", e);
        }
    }

    private final class Indexer implements RequestIndexer {
        @Override
        public void add(BulkOperation operation) throws IOException {
            try {
                ElasticsearchWriter.this.add(operation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while sending to Elasticsearch", e);
            }
        }

        @Override
        public void deleteByQuery(String index, Query query) throws IOException {
            try {
                ElasticsearchWriter.this.deleteByQuery(index, query);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while deleting from Elasticsearch", e);
            }
        }
    }
}
