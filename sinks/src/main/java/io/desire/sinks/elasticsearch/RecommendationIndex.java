package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the recommendation index: a composable index template {@code <alias>} for indices
 * {@code <alias>-*} (1 shard, the configured replicas, the recommendation mapping), and, if the alias
 * does not exist yet, the first index {@code <alias>-000001} behind the alias as its write index.
 *
 * <p>Idempotent and safe when many writers start at once: the template is put (same content every
 * time) and losing the race to create the first index is fine. Apps read through the alias, so the
 * index behind it can later be rolled over or reindexed without changing them.
 */
public final class RecommendationIndex implements IndexBootstrap {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecommendationIndex.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Alias that apps read and the sink writes. */
    public static final String DEFAULT_ALIAS = "desire-recs";
    /** Replicas per shard; 0 suits a single node (more keeps a single-node cluster yellow). */
    public static final int DEFAULT_REPLICAS = 0;
    /** Shards per index: one (user, context) document each, small enough for one shard. */
    public static final int SHARDS = 1;
    /** Template priority, above Elasticsearch's built-in templates. */
    public static final int TEMPLATE_PRIORITY = 100;
    /**
     * Format of the number in an index name {@code <alias>-NNNNNN}: six digits, zero-padded, as
     * Elasticsearch's rollover numbers them. {@link IndexGenerations} numbers its indices the same way.
     */
    public static final String GENERATION_NUMBER_FORMAT = "%06d";

    private final String alias;
    private final int replicas;
    private final boolean searchableItems;

    /** Items stored with each document, not indexed for search (see {@link #RecommendationIndex(String, int, boolean)}). */
    public RecommendationIndex(String alias, int replicas) {
        this(alias, replicas, false);
    }

    /**
     * @param searchableItems whether the documents' items (item, rank, score, category, reasons) are
     *     indexed, so that queries can match them; without, they are kept in {@code _source} and
     *     returned with every document as they were written, but Elasticsearch does not parse them:
     *     fewer fields to index per document, for apps that read documents by id or by user and
     *     context
     */
    public RecommendationIndex(String alias, int replicas, boolean searchableItems) {
        this.alias = validAlias(alias);
        if (replicas < 0) {
            throw new IllegalArgumentException("Replicas must be 0 or more, got " + replicas);
        }
        this.replicas = replicas;
        this.searchableItems = searchableItems;
    }

    public static RecommendationIndex defaults() {
        return new RecommendationIndex(DEFAULT_ALIAS, DEFAULT_REPLICAS);
    }

    public String alias() {
        return alias;
    }

    public String templateName() {
        return alias;
    }

    public String indexPattern() {
        return alias + "-*";
    }

    /** The index the alias points to when this bootstrap creates it. */
    public String firstIndex() {
        return alias + '-' + String.format(java.util.Locale.ROOT, GENERATION_NUMBER_FORMAT, 1);
    }

    /** The body of {@code PUT _index_template/<alias>}. */
    public String templateJson() {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("index_patterns").add(indexPattern());
        root.put("priority", TEMPLATE_PRIORITY);
        ObjectNode template = root.putObject("template");
        ObjectNode settings = template.putObject("settings");
        settings.put("number_of_shards", SHARDS);
        settings.put("number_of_replicas", replicas);
        ObjectNode props = template.putObject("mappings").putObject("properties");
        keyword(props, "user");
        ObjectNode contextField = props.putObject("context");
        contextField.put("type", "object");
        ObjectNode context = contextField.putObject("properties");
        keyword(context, "geo_cell");
        keyword(context, "time_bucket");
        keyword(context, "device");
        keyword(context, "key");
        ObjectNode items = props.putObject("items");
        items.put("type", "object");
        if (searchableItems) {
            ObjectNode itemProps = items.putObject("properties");
            keyword(itemProps, "item");
            itemProps.putObject("rank").put("type", "integer");
            itemProps.putObject("score").put("type", "float");
            keyword(itemProps, "category");
            keyword(itemProps, "reasons");
        } else {
            items.put("enabled", false);
        }
        keyword(props, "model_version");
        props.putObject("profile_events").put("type", "long");
        props.putObject("event_time").put("type", "date");
        props.putObject("updated_at").put("type", "date");
        root.putObject("_meta").put("managed_by", "desire-engine");
        return root.toString();
    }

    /**
     * Puts the index template {@code <alias>} (body {@link #templateJson()}) and nothing else: no
     * index, no alias. Idempotent.
     */
    public void installTemplate(ElasticsearchClient client) throws IOException {
        String body = templateJson();
        client.indices().putIndexTemplate(t -> t.name(templateName()).withJson(new StringReader(body)));
    }

    @Override
    public void ensure(ElasticsearchClient client) throws IOException {
        installTemplate(client);
        if (client.indices().existsAlias(a -> a.name(alias)).value()) {
            return;
        }
        try {
            client.indices().create(c -> c.index(firstIndex()).aliases(alias, a -> a.isWriteIndex(true)));
            LOG.info("Created index '{}' behind alias '{}'", firstIndex(), alias);
        } catch (ElasticsearchException e) {
            if (e.error() == null
                    || !"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
            // Another writer created it first, or the index exists without the alias.
            if (!client.indices().existsAlias(a -> a.name(alias)).value()) {
                client.indices().putAlias(a -> a.index(firstIndex()).name(alias).isWriteIndex(true));
                LOG.info("Pointed alias '{}' at existing index '{}'", alias, firstIndex());
            }
        }
    }

    private static void keyword(ObjectNode props, String field) {
        props.putObject(field).put("type", "keyword");
    }

    static String validAlias(String alias) {
        if (alias == null
                || alias.isBlank()
                || !alias.equals(alias.toLowerCase(java.util.Locale.ROOT))
                || alias.startsWith("_")
                || alias.startsWith("-")
                || alias.matches(".*[\\\\/*?\"<>| ,#:].*")) {
            throw new IllegalArgumentException("Index alias '" + alias + "' is not valid: use lowercase letters,"
                    + " digits, '-', '_' or '.', not starting with '_' or '-'");
        }
        return alias;
    }

    @Override
    public String toString() {
        return "RecommendationIndex{alias=" + alias + ", replicas=" + replicas + '}';
    }
}
