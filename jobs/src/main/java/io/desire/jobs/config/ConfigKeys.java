package io.desire.jobs.config;

import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.ExclusionRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every configuration key of the jobs with its default and meaning. The README's configuration
 * table is this list.
 */
public final class ConfigKeys {

    /** One key: its name, default ({@code null} = unset), whether it is secret, and what it means. */
    public record Key(String name, String defaultValue, boolean secret, String description) {
        /** The environment variable that may set it: {@code es.password} → {@code DESIRE_ES_PASSWORD}. */
        public String envName() {
            return "DESIRE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    private static final List<Key> KEYS = new ArrayList<>();

    public static final Key KAFKA_BOOTSTRAP = key("kafka.bootstrap", "localhost:9092", "Kafka bootstrap servers");
    public static final Key KAFKA_PROPERTIES_FILE = key(
            "kafka.properties-file",
            null,
            "Kafka client settings (security.protocol, sasl.*, ssl.*) for every Kafka client of the job: event source,"
                    + " dead letters, model loops, erasure log, topic creation; read when the job is built, ${env:NAME}"
                    + " replaced by that environment variable (docs/security.md)");
    public static final Key KAFKA_TOPIC = key("kafka.topic", "desire.events", "topic of input events");
    public static final Key KAFKA_GROUP =
            key("kafka.group", "desire-engine", "consumer group (offsets are also kept in checkpoints)");
    public static final Key KAFKA_START = key(
            "kafka.starting-offsets",
            "committed-or-earliest",
            "where a job without state starts: committed-or-earliest, earliest, latest, or an epoch-ms timestamp");
    public static final Key DEAD_LETTER_TOPIC =
            key("deadletter.topic", "desire.deadletter", "Kafka topic for rejected records (written transactionally)");
    public static final Key DEAD_LETTER_PATH =
            key("deadletter.path", null, "write rejected records as JSON lines under this path instead of Kafka");
    public static final Key ES_HOSTS = key("es.hosts", "http://localhost:9200", "comma-separated Elasticsearch URLs");
    public static final Key ES_USERNAME = key("es.username", null, "basic-auth user");
    public static final Key ES_PASSWORD =
            secret("es.password", "basic-auth password (prefer DESIRE_ES_PASSWORD or es.password-file; never logged)");
    public static final Key ES_PASSWORD_FILE =
            key("es.password-file", null, "file whose content (trailing newline dropped) is the basic-auth password");
    public static final Key ES_API_KEY = secret(
            "es.api-key",
            "API key (the encoded form), instead of user and password (prefer DESIRE_ES_API_KEY or es.api-key-file)");
    public static final Key ES_API_KEY_FILE = key("es.api-key-file", null, "file whose content is the encoded API key");
    public static final Key ES_CA_CERT =
            key("es.ca-cert", null, "PEM file of the CA that signed the Elasticsearch certificate");
    public static final Key ES_TRUST_STORE = key(
            "es.trust-store",
            null,
            "trust store (PKCS12 .p12/.pfx, else JKS) with the CA of the Elasticsearch certificate; instead of es.ca-cert");
    public static final Key ES_TRUST_STORE_PASSWORD =
            secret("es.trust-store-password", "password of es.trust-store (prefer DESIRE_ES_TRUST_STORE_PASSWORD)");
    public static final Key ES_INDEX =
            key("es.index", "desire-recs", "read alias apps query; indices are `<alias>-NNNNNN`");
    public static final Key ES_FLUSH_INTERVAL =
            key("es.flush-interval", "200ms", "longest time a document waits in the bulk buffer");
    public static final Key ES_BULK_ACTIONS =
            key("es.bulk-actions", "1000", "documents per bulk request (the backfill's default: 5000)");
    public static final Key ES_BULK_SIZE = key(
            "es.bulk-size",
            "5mb",
            "a bulk request is sent when its documents reach this size (the backfill's default: 16mb)");
    public static final Key ES_SEARCHABLE_ITEMS = key(
            "es.searchable-items",
            "false",
            "index the documents' items (item, rank, score, category, reasons) so queries can match them; false keeps them in _source, returned with every document as written, and spares Elasticsearch indexing them (apps read documents by id or by user and context)");
    public static final Key ES_BULK_CONCURRENCY = key(
            "es.bulk-concurrency",
            "2",
            "bulk requests each sink subtask keeps in flight (1-16): the task ranks on while Elasticsearch indexes;"
                    + " writes of one document stay in order; 1 sends one request at a time");
    public static final Key PARALLELISM = key(
            "parallelism",
            null,
            "parallelism of the job (default: the cluster's `parallelism.default`, or `flink run -p`)");
    public static final Key CHECKPOINT_INTERVAL = key("checkpoint.interval", "10s", "checkpoint interval");
    public static final Key CHECKPOINT_DIR = key(
            "checkpoint.dir",
            null,
            "checkpoint storage URI (e.g. file:///data/checkpoints, s3://...); unset uses the cluster's");
    public static final Key STATE_BACKEND = key("state.backend", "rocksdb", "rocksdb or hashmap");
    public static final Key ROCKSDB_TUNING = key(
            "state.rocksdb.tuning",
            "flink-defaults",
            "flink-defaults, or point-lookups (full bloom filters on RocksDB's files, for reads of absent keys;"
                    + " no gain measured on the pipeline benchmark, docs/performance.md §6)");
    public static final Key OBJECT_REUSE = key(
            "pipeline.object-reuse",
            "true",
            "pass records between chained operators without copying them (no operator of the job keeps or"
                    + " changes its input); false copies each record at every chained step");
    public static final Key OUT_OF_ORDERNESS = key("watermark.out-of-orderness", "5s", "bound on event-time disorder");
    public static final Key IDLENESS =
            key("watermark.idleness", "30s", "a silent partition stops holding back the watermark after this");
    public static final Key DEDUP_TTL = key("dedup.ttl", "1h", "how long an event_id is remembered to drop retries");
    public static final Key FORGET_GUARD = key(
            "forget.guard",
            "1h",
            "after a forget_user, older events of that user arriving this late are still dropped");
    public static final Key PROFILE_HALF_LIFE = key("profile.half-life", "7d", "half-life of a user's affinities");
    public static final Key TRENDING_WINDOW = key("trending.window", "1h", "length of the context trending window");
    public static final Key TRENDING_SLIDE =
            key("trending.slide", "5min", "how often trending per context is recomputed");
    public static final Key TOP_K = key("recs.top-k", "10", "items per recommendation document");
    public static final Key SOURCES = key(
            "recs.sources",
            CandidateSource.ALL,
            "candidate sources of the serving path (als, sequence, affinity, context, popular); each also competes to lead the lists");
    public static final Key EXCLUDE = key(
            "recs.exclude",
            ExclusionRule.DEFAULT,
            "event types whose items are never served to that user again (view, click, add_to_cart, purchase, rate, or none)");
    public static final Key SERVE = key(
            "recs.serve",
            "als",
            "what orders the documents: a source's name (that source leads, the others back-fill; als: affinity for users with fewer than 5 items), learned, or auto (the best arm by prequential NDCG)");
    public static final Key PER_SOURCE =
            key("recs.per-source", "50", "candidates each source proposes at most per ranking");
    public static final Key PREQUENTIAL_FRACTION = key(
            "recs.prequential-fraction",
            "1.0",
            "recs.serve=auto: share of positive events scored against what every arm (each source alone, the learned ranker) would have shown in the user's document before the session");
    public static final Key ARM_SAMPLE = key(
            "recs.arm-sample",
            "auto",
            "share of users (a fixed sample by user id) whose documents and sessions judge the arms; auto: all with recs.serve=auto, 0.1 while an arm is pinned (the scores then only feed the arms' gauges)");
    public static final Key SESSION_GAP = key(
            "recs.session-gap",
            "30min",
            "event-time gap that starts a user's new session (recs.serve=auto judges the arms per session)");
    public static final Key ARM_FADING =
            key("recs.arm-fading", "0.999", "fading factor of the arms' prequential NDCG (window ≈ 1/(1−f) outcomes)");
    public static final Key ARM_MIN_OUTCOMES = key(
            "recs.arm-min-outcomes",
            "100",
            "prequential outcomes before the arms' scores choose what serves; before, the affinity source (or the first of recs.sources)");
    public static final Key POPULARITY_HALF_LIFE =
            key("popularity.half-life", "30d", "half-life of the long-horizon popularity behind the popular source");
    public static final Key COALESCE = key(
            "recs.coalesce",
            "200ms",
            "a user's document updates are merged over this interval (a backfill that does not rank at the end: 30s)");
    public static final Key UNCHANGED_REFRESH = key(
            "recs.unchanged-refresh",
            "0s",
            "when > 0, a document whose ranked items (and model version) did not change is not rewritten until this long"
                    + " after its last write, so its event_time and profile_events lag by at most this; 0s writes every document");
    public static final Key GEOHASH_PRECISION =
            key("context.geohash-precision", "5", "geohash length of a geo cell (5 = about 5 km)");
    public static final Key TIME_ZONE = key("context.default-tz", "UTC", "time zone of events without context.tz");
    public static final Key TIME_BUCKETS =
            key("context.time-buckets", "DAYPART_WEEKPART", "DAYPART_WEEKPART or HOUR_OF_WEEK");
    public static final Key LEARNING_ENABLED = key(
            "learning.enabled",
            "true",
            "ALS, co-visitation and the FTRL ranker with their Kafka feedback loops; false serves the blended ranking only");
    public static final Key TOPIC_ITEM_FACTORS = key(
            "topic.item-factors",
            "desire.item-factors",
            "compacted topic of published ALS item vectors (feedback loop)");
    public static final Key TOPIC_RANKER_WEIGHTS =
            key("topic.ranker-weights", "desire.ranker-weights", "topic of FTRL weight deltas (feedback loop)");
    public static final Key ALS_MODE =
            key("als.mode", "implicit", "implicit (confidence-weighted events) or explicit (rate events)");
    public static final Key ALS_RANK = key("als.rank", "10", "ALS factor dimension");
    public static final Key ALS_LAMBDA =
            key("als.lambda", "0.1", "ALS L2 regularisation, weighted by the row's interaction count");
    public static final Key ALS_ALPHA =
            key("als.alpha", "1.0", "implicit ALS confidence scale: c = 1 + alpha * event weight");
    public static final Key ALS_MAX_INTERACTIONS = key(
            "als.max-interactions",
            "1000",
            "most recent interactions per user the ALS fold-in solves over (at most 1000)");
    public static final Key ALS_CANDIDATES = key("als.candidates", "50", "ALS top-N candidates per user update");
    public static final Key ALS_CANDIDATES_INTERVAL = key(
            "als.candidates-interval",
            "1s",
            "a user's ALS top-N is computed and sent at most once per this processing time, after the period's last"
                    + " event (0: on every event; the backfill's default: 30s)");
    public static final Key ALS_UPDATE_INTERVAL =
            key("als.update-interval", "1s", "an item vector is published at most this often");
    public static final Key RANKER_LABELS = key(
            "ranker.labels",
            "sampled",
            "where labels come from: sampled (positive events whose item a source proposed, negatives drawn from the other candidates), "
                    + "impressions (feedback join of impressions with clicks/purchases by request_id), both");
    public static final Key RANKER_NEGATIVES = key("ranker.negatives", "4", "sampled negatives per positive");
    public static final Key RANKER_MIN_UPDATES = key(
            "ranker.min-updates",
            "1000",
            "the learned ranker orders documents once it has learned from this many examples; before, the candidate sources' order");
    public static final Key RANKER_CANDIDATES = key(
            "ranker.candidates",
            "50",
            "the learned ranker scores at most this many candidates per document, those the sources rank highest (0: all;"
                    + " else at least recs.top-k)");
    public static final Key RANKER_BITS =
            key("ranker.bits", "20", "hashed feature space 2^bits (must match between learner and ranker)");
    public static final Key RANKER_MODEL = key(
            "ranker.model",
            "ftrl",
            "the learned ranker: ftrl (FTRL-Proximal logistic regression) or fm (second-order factorisation machine);"
                    + " each has its own learner state, so switching starts the other model from scratch");
    public static final Key RANKER_FM_FACTORS = key(
            "ranker.fm-factors",
            "8",
            "factors per bucket k of the fm ranker (state 8·(2 + 2k) bytes per bucket in the learner, 8·(1 + k) per replica)");
    public static final Key FEEDBACK_WINDOW =
            key("feedback.window", "30min", "a click or purchase this long after an impression labels it positive");
    public static final Key COVISIT_HALF_LIFE = key("covisit.half-life", "7d", "half-life of co-visitation counts");
    public static final Key COVISIT_PUBLISH_INTERVAL =
            key("covisit.publish-interval", "1s", "an item's co-visitation followers are published at most this often");
    public static final Key COVISIT_BATCH = key(
            "covisit.batch",
            "256",
            "co-visitation transitions of one item buffered (in memory and checkpoints) and applied in one state read"
                    + " and write at the item's publication, or when this many wait; 1 applies each at once");
    public static final Key HISTORY_INPUT = key(
            "history.input",
            null,
            "comma-separated history files or directories (local paths or Flink file system URIs): the backfill's input;"
                    + " in the streaming job, read before switching to Kafka at history.cutover (one job, HybridSource)");
    public static final Key HISTORY_FORMAT =
            key("history.format", "auto", "auto (by file name and CSV header), jsonl, csv or movielens");
    public static final Key HISTORY_CONTEXT_COLUMNS = key(
            "history.context-columns",
            null,
            "CSV history: the columns that are not event fields to carry as custom context attributes"
                    + " (comma-separated names, or none); unset: every such column (docs/events.md)");
    public static final Key HISTORY_CUTOVER = key(
            "history.cutover",
            null,
            "hand-over instant (epoch ms or ISO-8601): history events before it come from files, the rest from Kafka"
                    + " records with a timestamp at or after it; the backfill defaults to its start time");
    public static final Key BACKFILL_BOOTSTRAP_DIR = key(
            "backfill.bootstrap-dir",
            null,
            "the backfill ends in a bootstrap savepoint under this directory for the streaming job to start from; unset: index only");
    public static final Key BACKFILL_SORT = key(
            "backfill.sort",
            "true",
            "put history into event-time order (external sort on local disk) before the graph; then rank every user once more with the final models");
    public static final Key BACKFILL_ALS_SWEEPS = key(
            "backfill.als-sweeps",
            "5",
            "with backfill.sort: passes of the ALS item side over the interactions already read, with every user's"
                    + " final vector, before the final ranking (0 = none); each is an epoch, as a batch layer would run");
    public static final Key BACKFILL_RANK_AT_END = key(
            "backfill.rank-at-end",
            "true",
            "rank each (user, context) document once, when history has been read, with the final models, instead of"
                    + " coalesced documents all through history; not with recs.serve=auto or ranker.labels other than sampled");
    public static final Key BACKFILL_KEEP_INDICES = key(
            "backfill.keep-indices",
            "2",
            "older recommendation indices kept for rollback when a backfill moves the alias");
    public static final Key BACKFILL_PROGRESS_INTERVAL =
            key("backfill.progress-interval", "5s", "how often the backfill prints its progress");
    public static final Key BACKFILL_SETTLE = key(
            "backfill.settle",
            null,
            "after the last file, how long the backfill lets pending documents and model updates go out before its"
                    + " bootstrap savepoint; default recs.coalesce + 1s");

    public static final Key PRIVACY_PSEUDONYMS = key(
            "privacy.pseudonyms",
            "false",
            "replace every user_id right after parsing by its keyed pseudonym <key id>:<32 hex> (HMAC-SHA256), so state,"
                    + " topics and documents never hold raw user ids (docs/privacy.md); needs privacy.key-file or DESIRE_PRIVACY_KEY");
    public static final Key PRIVACY_KEY_FILE = key(
            "privacy.key-file",
            null,
            "file with the pseudonym key as hex (at least 32 bytes, `openssl rand -hex 32`), readable on every task manager;"
                    + " unset: the task managers' environment variable DESIRE_PRIVACY_KEY. The key is never logged");
    public static final Key PRIVACY_KEY_ID = key(
            "privacy.key-id",
            "k1",
            "id of the pseudonym key, the prefix of every pseudonym; a new key gets a new id (key rotation, docs/privacy.md)");
    public static final Key PRIVACY_DEAD_LETTER_RAW = key(
            "privacy.dead-letter-raw",
            null,
            "where raw payloads of rejected records go: inline (in the dead letter), topic (privacy.raw-dead-letter-topic),"
                    + " or drop; unset: topic with privacy.pseudonyms, inline without (inline is refused with pseudonyms)");
    public static final Key PRIVACY_RAW_DEAD_LETTER_TOPIC = key(
            "privacy.raw-dead-letter-topic",
            "desire.deadletter.raw",
            "the separately protected Kafka topic of complete dead letters with raw payloads (with deadletter.path:"
                    + " files under <deadletter.path>.raw)");
    public static final Key PRIVACY_ERASURE_TOPIC = key(
            "privacy.erasure-topic",
            "desire.erasures",
            "erasure log the streaming job writes: one record per forget_user (user as the job knows them, event time,"
                    + " request id = event_id, logged time), for audits and snapshot sweeps; none: no log");
    public static final Key PRIVACY_AUDIT_TOPIC = key(
            "privacy.audit-topic",
            "desire.erasure-audit",
            "audit trail of erasures that bin/desire forget-sweep writes: per request, when state and documents were"
                    + " found complete and each snapshot it was removed from (or that was deleted); retention for ever");
    public static final Key PRIVACY_SNAPSHOT_RETENTION = key(
            "privacy.snapshot-retention",
            "7d",
            "forget-sweep: the longest a snapshot may hold a user after their erasure was logged; a snapshot the sweep"
                    + " cannot rewrite is deleted once it holds a request older than this (else kept and reported)");
    public static final Key PRIVACY_SWEEP_MARGIN = key(
            "privacy.sweep.margin",
            "10m",
            "forget-sweep: erasures logged up to this long before a snapshot was taken are removed from it too"
                    + " (covers requests in flight at the snapshot and not yet committed to the erasure log)");
    public static final Key DP_EPSILON = key(
            "privacy.dp.epsilon",
            "off",
            "differential privacy of published aggregates: budget ε of each context-trending window list (distinct users,"
                    + " noise, threshold; popularity is derived from them), or off for exact weighted counts");
    public static final Key DP_DELTA = key(
            "privacy.dp.delta",
            "1e-5",
            "δ of the published lists: bound on the probability of publishing an item only few users hold");
    public static final Key DP_MAX_CONTRIBUTIONS = key(
            "privacy.dp.max-contributions",
            "1",
            "k: items one user counts in per window list and context (their first k distinct items); the threshold"
                    + " grows with k (ε=1, δ=1e-5, k=1: about 23 distinct users)");

    public static final List<Key> ALL = Collections.unmodifiableList(KEYS);

    private ConfigKeys() {}

    private static Key key(String name, String def, String description) {
        Key k = new Key(name, def, false, description);
        KEYS.add(k);
        return k;
    }

    private static Key secret(String name, String description) {
        Key k = new Key(name, null, true, description);
        KEYS.add(k);
        return k;
    }

    public static Key byName(String name) {
        for (Key k : KEYS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    public static String names() {
        return KEYS.stream().map(Key::name).collect(Collectors.joining(", "));
    }

    /** The configuration table as Markdown, for the README. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (Key k : KEYS) {
            sb.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(k.defaultValue() == null ? "" : "`" + k.defaultValue() + "`")
                    .append(" | ")
                    .append(k.description())
                    .append(" |\n");
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
