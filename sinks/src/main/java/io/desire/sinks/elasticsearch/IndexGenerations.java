package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned indices ("generations") behind a recommendation alias, so that a backfill can rebuild
 * every recommendation into a fresh index and switch apps to it at once.
 *
 * <p>A generation is an index named {@code <alias>-NNNNNN} (exactly six digits, numbered like
 * {@link RecommendationIndex#firstIndex()}), created from the alias's index template. The life of
 * one: {@link #createNext} creates it, a sink from
 * {@link RecommendationDocuments#generationSinkBuilder} fills it, then either {@link #promote} makes
 * it what the alias reads and writes, or {@link #discard} drops it.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>{@link #createNext} never touches the alias: apps reading the alias never see a generation
 *       that is still being built.
 *   <li>{@link #promote} moves the alias with one {@code _aliases} request, which Elasticsearch
 *       applies atomically: a reader sees the old indices or the new one, never both and never none.
 *       The new generation becomes the alias's write index, so writers through the alias (the live
 *       job) continue in it. It is refreshed first, so everything written to it is searchable the
 *       moment the alias points to it.
 *   <li>Old generations are deleted only after the alias moved, and only generations numbered below
 *       the promoted one beyond the {@code keep} most recent of them. The promoted index, indices
 *       still holding the alias, indices numbered above the promoted one and indices not named like a
 *       generation are never deleted.
 *   <li>A backfill that fails before {@link #promote} leaves the alias exactly as it was.
 * </ul>
 *
 * <p>Not a lock: run one backfill per alias at a time. Two concurrent {@link #createNext} calls are
 * fine (each gets its own number); two concurrent promotions of the same alias may fail (the alias
 * request is then rejected as a whole and changes nothing) but never leave the alias on two indices.
 *
 * <p>Needs only an {@link ElasticsearchClient}, passed to each call, so it works from a plain
 * {@code main}; {@link ElasticsearchSink#createClient()} gives one with a sink's hosts, credentials
 * and TLS settings.
 */
public final class IndexGenerations {
    private static final Logger LOG = LoggerFactory.getLogger(IndexGenerations.class);

    /** Highest generation number that fits the six digits. */
    public static final long MAX_NUMBER = 999_999L;
    /** How many taken numbers {@link #createNext} skips before giving up. */
    static final int MAX_CREATE_ATTEMPTS = 20;

    private final RecommendationIndex template;
    private final Pattern generationName;

    /**
     * @param alias the alias apps read (validated like {@link RecommendationIndex})
     * @param replicas replicas per shard of the generations' template, 0 or more
     */
    public IndexGenerations(String alias, int replicas) {
        this(alias, replicas, false);
    }

    /** As above; {@code searchableItems} as in {@link RecommendationIndex#RecommendationIndex(String, int, boolean)}. */
    public IndexGenerations(String alias, int replicas, boolean searchableItems) {
        this.template = new RecommendationIndex(alias, replicas, searchableItems);
        this.generationName = Pattern.compile(Pattern.quote(alias) + "-(\\d{6})");
    }

    public String alias() {
        return template.alias();
    }

    // ---- reading ----

    /** Existing generations of the alias (open or closed), in number order; empty when none. */
    public List<String> generations(ElasticsearchClient client) throws IOException {
        List<String> names = new ArrayList<>();
        client.indices()
                .resolveIndex(r -> r.name(alias() + "-*").expandWildcards(ExpandWildcard.Open, ExpandWildcard.Closed))
                .indices()
                .forEach(i -> names.add(i.name()));
        return sortedGenerations(names);
    }

    /** The indices the alias points to, sorted by name; empty when the alias does not exist. */
    public List<String> aliased(ElasticsearchClient client) throws IOException {
        try {
            List<String> indices = new ArrayList<>(
                    client.indices().getAlias(a -> a.name(alias())).result().keySet());
            indices.sort(Comparator.naturalOrder());
            return indices;
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    // ---- changing ----

    /**
     * Puts the alias's index template (the same as {@link RecommendationIndex#templateJson()}) and
     * creates the next generation, numbered one above the highest existing generation (or
     * {@code 000001} when there is none), <em>without</em> the alias. If another process takes that
     * number first, moves on to the next one.
     *
     * @return the name of the new, empty index
     * @throws IllegalStateException when the six-digit numbers are used up
     */
    public String createNext(ElasticsearchClient client) throws IOException {
        template.installTemplate(client);
        long number = nextNumber(generations(client));
        for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++, number++) {
            String index = generationName(number);
            try {
                client.indices().create(c -> c.index(index));
                LOG.info("Created generation '{}' of alias '{}' (not aliased until promoted)", index, alias());
                return index;
            } catch (ElasticsearchException e) {
                if (!hasType(e, "resource_already_exists_exception")) {
                    throw e;
                }
                LOG.info("Index '{}' was created by someone else meanwhile; trying the next number", index);
            }
        }
        throw new IOException("Could not create a new generation of alias '" + alias() + "': "
                + MAX_CREATE_ATTEMPTS + " numbers in a row up to " + generationName(number - 1)
                + " were taken while trying; is another process creating generations in a loop?");
    }

    /**
     * Points the alias at {@code index} alone, as its write index, in one atomic {@code _aliases}
     * request (removing it from every index that holds it now), then deletes generations numbered
     * below {@code index} except the {@code keep} highest of them, for rollback.
     *
     * @param index a generation of this alias that exists, e.g. from {@link #createNext}
     * @param keep how many previous generations to keep besides {@code index}, 0 or more
     * @throws IllegalArgumentException when {@code index} is not named like a generation of this
     *     alias or {@code keep} is negative; nothing is changed
     * @throws IOException when {@code index} does not exist (nothing is changed), or when the alias
     *     moved but deleting an old generation failed (the message says which)
     */
    public Promotion promote(ElasticsearchClient client, String index, int keep) throws IOException {
        requireGeneration(index, "promote");
        if (keep < 0) {
            throw new IllegalArgumentException(
                    "The number of previous generations to keep must be 0 or more, got " + keep);
        }
        requireExists(client, index, "promote");
        List<String> previous = aliased(client);
        client.indices().refresh(r -> r.index(index));
        List<Action> actions = new ArrayList<>();
        for (String old : previous) {
            if (!old.equals(index)) {
                // must_exist: if another promotion moved the alias meanwhile, the whole request fails
                // instead of leaving the alias on two indices.
                actions.add(
                        Action.of(a -> a.remove(r -> r.index(old).alias(alias()).mustExist(true))));
            }
        }
        actions.add(Action.of(a -> a.add(r -> r.index(index).alias(alias()).isWriteIndex(true))));
        client.indices().updateAliases(u -> u.actions(actions));
        LOG.info(
                "Alias '{}' now points to '{}' (write index), before: {}",
                alias(),
                index,
                previous.isEmpty() ? "no index (new alias)" : previous);

        List<String> doomed = toDelete(generations(client), aliased(client), index, keep);
        List<String> deleted = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (String old : doomed) {
            try {
                deleteIndex(client, old);
                deleted.add(old);
            } catch (IOException | ElasticsearchException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            List<String> left = new ArrayList<>(doomed);
            left.removeAll(deleted);
            IOException e = new IOException("Alias '" + alias() + "' now points to '" + index + "' (before: "
                    + previous + "), but deleting old generations " + left + " failed (deleted: " + deleted
                    + "); delete them by hand or with the next promotion");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        LOG.info("Alias '{}': kept up to {} previous generation(s), deleted {}", alias(), keep, deleted);
        return new Promotion(index, previous, deleted);
    }

    /**
     * Deletes a generation that was never promoted, e.g. after a failed backfill.
     *
     * @throws IllegalStateException when the alias points to {@code index}: promote another
     *     generation first
     * @throws IOException when {@code index} does not exist
     */
    public void discard(ElasticsearchClient client, String index) throws IOException {
        requireGeneration(index, "discard");
        if (aliased(client).contains(index)) {
            throw new IllegalStateException("Refusing to discard '" + index + "': alias '" + alias()
                    + "' points to it, so apps read it; promote another generation first");
        }
        requireExists(client, index, "discard");
        deleteIndex(client, index);
        LOG.info("Discarded generation '{}' of alias '{}' (never promoted)", index, alias());
    }

    /**
     * What {@link #promote} did.
     *
     * @param index the generation the alias points to now
     * @param previous the indices the alias pointed to before, sorted; empty for a new alias
     * @param deleted the old generations deleted, in number order
     */
    public record Promotion(String index, List<String> previous, List<String> deleted) {
        public Promotion {
            previous = List.copyOf(previous);
            deleted = List.copyOf(deleted);
        }
    }

    // ---- naming and retention, pure ----

    /** The name of generation {@code number}: {@code <alias>-NNNNNN}. */
    public String generationName(long number) {
        if (number < 1 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("Generation numbers run from 1 to " + MAX_NUMBER + ", got " + number);
        }
        return alias() + '-' + String.format(Locale.ROOT, RecommendationIndex.GENERATION_NUMBER_FORMAT, number);
    }

    /** Whether {@code index} is named {@code <alias>-NNNNNN} with exactly six digits. */
    public boolean isGeneration(String index) {
        return index != null && generationName.matcher(index).matches();
    }

    /** The number of generation {@code index}. */
    long number(String index) {
        Matcher m = index == null ? null : generationName.matcher(index);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + index + "' is not a generation of alias '" + alias()
                    + "': expected " + alias() + "-NNNNNN with six digits, e.g. " + generationName(1));
        }
        return Long.parseLong(m.group(1));
    }

    /** The generations among {@code indices}, in number order; other names are left out. */
    List<String> sortedGenerations(Collection<String> indices) {
        return indices.stream()
                .filter(this::isGeneration)
                .distinct()
                .sorted(Comparator.comparingLong(this::number))
                .toList();
    }

    /** One above the highest generation among {@code indices}, or 1 when there is none. */
    long nextNumber(Collection<String> indices) {
        long max = indices.stream()
                .filter(this::isGeneration)
                .mapToLong(this::number)
                .max()
                .orElse(0);
        if (max >= MAX_NUMBER) {
            throw new IllegalStateException("Alias '" + alias() + "' has used up its generation numbers (highest: "
                    + generationName(max) + "); delete or reindex the old generations under a new alias");
        }
        return max + 1;
    }

    /**
     * The generations to delete after promoting {@code promoted}: those numbered below it except the
     * {@code keep} highest of them, and except any that still holds the alias (in {@code aliased}).
     * Names that are not generations and generations numbered above {@code promoted} are never
     * returned. In number order.
     */
    List<String> toDelete(Collection<String> generations, Collection<String> aliased, String promoted, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException(
                    "The number of previous generations to keep must be 0 or more, got " + keep);
        }
        long promotedNumber = number(promoted);
        List<String> older = new ArrayList<>(sortedGenerations(generations).stream()
                .filter(g -> number(g) < promotedNumber)
                .toList());
        Set<String> holding = new HashSet<>(aliased);
        List<String> doomed = older.subList(0, Math.max(0, older.size() - keep));
        return doomed.stream().filter(g -> !holding.contains(g)).toList();
    }

    // ---- helpers ----

    private void requireGeneration(String index, String what) {
        if (!isGeneration(index)) {
            throw new IllegalArgumentException("Cannot " + what + " '" + index + "': not a generation of alias '"
                    + alias() + "' (expected " + alias() + "-NNNNNN with six digits, e.g. " + generationName(1) + ")");
        }
    }

    private void requireExists(ElasticsearchClient client, String index, String what) throws IOException {
        if (!client.indices().exists(e -> e.index(index)).value()) {
            throw new IOException("Cannot " + what + " '" + index + "': no such index in Elasticsearch"
                    + " (create generations with createNext; existing ones of alias '" + alias() + "': "
                    + generations(client) + ")");
        }
    }

    private static void deleteIndex(ElasticsearchClient client, String index) throws IOException {
        // An explicit name, so a wildcard never slips in; closed generations are deleted too.
        client.indices().delete(d -> d.index(index));
    }

    private static boolean hasType(ElasticsearchException e, String type) {
        return e.error() != null && type.equals(e.error().type());
    }

    @Override
    public String toString() {
        return "IndexGenerations{alias=" + alias() + ", template=" + template + '}';
    }
}
