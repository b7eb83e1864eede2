package io.desire.eval;

import io.desire.features.data.IdDictionary;
import io.desire.features.data.InteractionTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interaction history loaded for evaluation: one row per (user, item) interaction with its implicit
 * evidence, its rating when it carries one, its time and its context, plus item categories and user
 * segments where the input has them.
 *
 * <p>Rows are kept in input order and addressed by index, so a split can hand out row numbers and
 * every stage can look up the row's context — which {@link InteractionTable} (four columns) cannot
 * carry. {@link #table(int[], boolean)} builds the tables the ALS code needs; all of them share this
 * history's dictionaries, so an index means the same user or item everywhere.
 */
public final class History {

    /** No context on this row (e.g. MovieLens). */
    static final int NO_CONTEXT = -1;

    final IdDictionary users = new IdDictionary();
    final IdDictionary items = new IdDictionary();
    /** Context keys {@code geo|time|device}; a row's context is an index into it. */
    final IdDictionary contexts = new IdDictionary();

    final List<String[]> contextParts = new ArrayList<>();
    final Map<Integer, String> itemCategory = new HashMap<>();
    final Map<Integer, String> userSegment = new HashMap<>();
    final LoadReport load;
    /**
     * The input record of each row, when the loader kept them (a served evaluation writes the
     * training rows back out as history); null otherwise, or for a row that has none.
     */
    private List<byte[]> raw;
    /** Records that are not rows but belong to every training part: catalogue and user attributes. */
    final List<byte[]> sideRecords = new ArrayList<>();

    private int size;
    private int[] user = new int[1024];
    private int[] item = new int[1024];
    private float[] value = new float[1024];
    private float[] rating = new float[1024];
    private long[] ts = new long[1024];
    private int[] context = new int[1024];

    History(LoadReport load) {
        this.load = load;
    }

    /** Keeps each row's input record from now on ({@link #raw(int)}). */
    void keepRaw() {
        if (raw == null) {
            raw = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                raw.add(null);
            }
        }
    }

    /** The input record of a row when the loader kept it, else null. */
    byte[] raw(int row) {
        return raw == null ? null : raw.get(row);
    }

    /** Appends a row with its input record (kept only after {@link #keepRaw()}). */
    void add(
            String userId,
            String itemId,
            float evidence,
            float ratingValue,
            long timeMillis,
            String[] ctx,
            byte[] record) {
        add(userId, itemId, evidence, ratingValue, timeMillis, ctx);
        if (raw != null) {
            raw.set(size - 1, record);
        }
    }

    /** Appends a row; {@code rating} is NaN when the interaction is not a rating. */
    void add(String userId, String itemId, float evidence, float ratingValue, long timeMillis, String[] ctx) {
        if (size == user.length) {
            int cap = size + (size >> 1);
            user = Arrays.copyOf(user, cap);
            item = Arrays.copyOf(item, cap);
            value = Arrays.copyOf(value, cap);
            rating = Arrays.copyOf(rating, cap);
            ts = Arrays.copyOf(ts, cap);
            context = Arrays.copyOf(context, cap);
        }
        user[size] = users.indexOrAdd(userId);
        item[size] = items.indexOrAdd(itemId);
        value[size] = evidence;
        rating[size] = ratingValue;
        ts[size] = timeMillis;
        context[size] = ctx == null ? NO_CONTEXT : contextIndex(ctx);
        size++;
        if (raw != null) {
            raw.add(null);
        }
    }

    private int contextIndex(String[] parts) {
        String key = parts[0] + '|' + parts[1] + '|' + parts[2];
        int before = contexts.size();
        int index = contexts.indexOrAdd(key);
        if (index == before) {
            contextParts.add(parts.clone());
        }
        return index;
    }

    /** Keeps only the rows for which {@code keep} is true (e.g. to erase forgotten users). */
    void retain(java.util.function.IntPredicate keep) {
        int out = 0;
        for (int r = 0; r < size; r++) {
            if (keep.test(r)) {
                user[out] = user[r];
                item[out] = item[r];
                value[out] = value[r];
                rating[out] = rating[r];
                ts[out] = ts[r];
                context[out] = context[r];
                if (raw != null) {
                    raw.set(out, raw.get(r));
                }
                out++;
            }
        }
        if (raw != null) {
            raw.subList(out, raw.size()).clear();
        }
        size = out;
    }

    /** Distinct contexts seen. */
    public int numContexts() {
        return contexts.size();
    }

    /** Input records read (lines or generated events). */
    public long records() {
        return load.lines;
    }

    /** Input records rejected, counted by reason in the load report. */
    public long rejected() {
        return load.badLines;
    }

    /** Repeated event ids dropped while loading. */
    public long duplicates() {
        return load.duplicates;
    }

    public int size() {
        return size;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    int user(int row) {
        return user[row];
    }

    int item(int row) {
        return item[row];
    }

    /** Implicit evidence (event weight, or the rating itself for rating files). */
    float value(int row) {
        return value[row];
    }

    /** The rating, NaN when the row is not a rating. */
    float rating(int row) {
        return rating[row];
    }

    boolean hasRating(int row) {
        return !Float.isNaN(rating[row]);
    }

    long ts(int row) {
        return ts[row];
    }

    /** Context index or {@link #NO_CONTEXT}. */
    int context(int row) {
        return context[row];
    }

    /** {@code [geoCell, timeBucket, deviceClass]} of a context index. */
    String[] contextParts(int contextIndex) {
        return contextParts.get(contextIndex);
    }

    boolean hasContext() {
        return contexts.size() > 0;
    }

    boolean hasRatings() {
        for (int r = 0; r < size; r++) {
            if (hasRating(r)) {
                return true;
            }
        }
        return false;
    }

    /** The id of an item index. */
    String itemId(int itemIndex) {
        return items.idOf(itemIndex);
    }

    /** The id of a user index. */
    String userId(int userIndex) {
        return users.idOf(userIndex);
    }

    String categoryOf(int itemIndex) {
        return itemCategory.get(itemIndex);
    }

    /** All row numbers, in input order. */
    int[] allRows() {
        int[] rows = new int[size];
        for (int r = 0; r < size; r++) {
            rows[r] = r;
        }
        return rows;
    }

    /** {@code rows} sorted by time (stable: ties keep their order). */
    int[] byTime(int[] rows) {
        return Arrays.stream(rows)
                .boxed()
                .sorted((a, b) -> Long.compare(ts[a], ts[b]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /**
     * A table of the given rows sharing this history's dictionaries: with {@code ratings}, only
     * rows that carry a rating, with the rating as value; otherwise every row with its evidence.
     */
    InteractionTable table(int[] rows, boolean ratings) {
        InteractionTable.Builder b = InteractionTable.builder(users, items);
        for (int r : rows) {
            if (ratings) {
                if (hasRating(r)) {
                    b.addIndexed(user[r], item[r], rating[r], ts[r]);
                }
            } else {
                b.addIndexed(user[r], item[r], value[r], ts[r]);
            }
        }
        return b.build();
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
