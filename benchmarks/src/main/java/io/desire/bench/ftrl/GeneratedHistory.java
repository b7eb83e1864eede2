package io.desire.bench.ftrl;

import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.profile.EventWeights;
import io.desire.jobs.generator.EventGenerator;
import io.desire.jobs.generator.World;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interaction rows of generated traffic, loaded the way the offline evaluation loads its {@code
 * --generated} input: a {@link World} and {@link EventGenerator} with the same seed, the catalog
 * first, then {@code events} behaviour events spread evenly over {@value #DAYS} days from
 * 2026-01-01T00:00Z with 0.1% malformed and 0.1% repeated records, every record through the live
 * pipeline's {@link EventParser} (which derives the geo cell, time bucket and device class), a
 * repeated {@code event_id} counted once, and each behaviour event kept as a row whose implicit
 * evidence is its {@link EventWeights} weight.
 *
 * <p>Users and items are numbered in order of first appearance, so the rows are a pure function of
 * the arguments. Immutable after {@link #generate}.
 */
public final class GeneratedHistory {

    /** First instant of generated traffic: 2026-01-01T00:00Z. */
    public static final long START = 1_767_225_600_000L;
    /** Days the traffic spans, so every daypart and weekpart is visited. */
    public static final long DAYS = 28;
    static final double MALFORMED_RATE = 0.001;
    static final double DUPLICATE_RATE = 0.001;

    private final Map<String, Integer> userIndex = new HashMap<>();
    private final Map<String, Integer> itemIndex = new HashMap<>();
    private final List<String> itemIds = new ArrayList<>();
    private final List<String> userSegments = new ArrayList<>();
    private final List<String> itemCategories = new ArrayList<>();
    private final Map<String, Integer> contextIndex = new HashMap<>();
    private final List<String[]> contextParts = new ArrayList<>();

    private int size;
    private int[] user = new int[1024];
    private int[] item = new int[1024];
    private float[] value = new float[1024];
    private long[] ts = new long[1024];
    private int[] context = new int[1024];

    /** Records read, records the parser rejected, repeated event ids skipped. */
    private long records;
    private long rejected;
    private long duplicates;

    private GeneratedHistory() {}

    /** Generates and loads {@code events} behaviour events of a {@code users} × {@code items} world. */
    public static GeneratedHistory generate(int events, int users, int items, long seed) {
        World world = new World(users, items, seed);
        EventGenerator generator = new EventGenerator(world, seed, MALFORMED_RATE, DUPLICATE_RATE);
        long span = DAYS * 86_400_000L;
        long end = START + span;
        ParserConfig config = ParserConfig.builder()
                .clock(Clock.fixed(Instant.ofEpochMilli(end + 86_400_000L), ZoneOffset.UTC))
                .build();
        EventParser parser = new EventParser(config);
        EventWeights weights = new EventWeights();
        Set<String> eventIds = new HashSet<>();
        GeneratedHistory h = new GeneratedHistory();
        long n = 0;
        while (generator.inCatalogPhase()) {
            h.accept(parser, weights, eventIds, generator.next(START), "generated#" + (++n));
        }
        for (int e = 0; e < events; e++) {
            long t = START + (long) ((double) span * e / events);
            h.accept(parser, weights, eventIds, generator.next(t), "generated#" + (++n));
        }
        return h;
    }

    private void accept(EventParser parser, EventWeights weights, Set<String> eventIds, byte[] payload, String where) {
        records++;
        ParseOutcome outcome = parser.parse(new RawRecord(payload, where, 0L));
        if (!outcome.isValid()) {
            rejected++;
            return;
        }
        Event e = outcome.event();
        if (!eventIds.add(e.eventId)) {
            duplicates++;
            return;
        }
        switch (e.type) {
            case ITEM -> {
                if (e.category != null) {
                    itemCategories.set(itemOf(e.itemId), e.category);
                }
            }
            case USER -> {
                if (e.segment != null) {
                    userSegments.set(userOf(e.userId), e.segment);
                }
            }
            case FORGET_USER, IMPRESSION -> {
                // not interactions; the generator sends no forget requests
            }
            default -> add(userOf(e.userId), itemOf(e.itemId), (float) weights.weight(e.type, e.value), e.ts,
                    contextOf(e.geoCell, e.timeBucket, e.deviceClass));
        }
    }

    private int userOf(String id) {
        Integer u = userIndex.get(id);
        if (u == null) {
            u = userIndex.size();
            userIndex.put(id, u);
            userSegments.add(null);
        }
        return u;
    }

    private int itemOf(String id) {
        Integer i = itemIndex.get(id);
        if (i == null) {
            i = itemIndex.size();
            itemIndex.put(id, i);
            itemIds.add(id);
            itemCategories.add(null);
        }
        return i;
    }

    private int contextOf(String geo, String time, String device) {
        String key = geo + '|' + time + '|' + device;
        Integer c = contextIndex.get(key);
        if (c == null) {
            c = contextIndex.size();
            contextIndex.put(key, c);
            contextParts.add(new String[] {geo, time, device});
        }
        return c;
    }

    private void add(int u, int i, float evidence, long time, int ctx) {
        if (size == user.length) {
            int cap = size + (size >> 1);
            user = Arrays.copyOf(user, cap);
            item = Arrays.copyOf(item, cap);
            value = Arrays.copyOf(value, cap);
            ts = Arrays.copyOf(ts, cap);
            context = Arrays.copyOf(context, cap);
        }
        user[size] = u;
        item[size] = i;
        value[size] = evidence;
        ts[size] = time;
        context[size] = ctx;
        size++;
    }

    public int size() {
        return size;
    }

    public int numUsers() {
        return userIndex.size();
    }

    public int numItems() {
        return itemIndex.size();
    }

    public int numContexts() {
        return contextIndex.size();
    }

    public int user(int row) {
        return user[row];
    }

    public int item(int row) {
        return item[row];
    }

    /** Implicit evidence of the row (its event weight). */
    public float value(int row) {
        return value[row];
    }

    public long ts(int row) {
        return ts[row];
    }

    /** {@code [geoCell, timeBucket, deviceClass]} of the row. */
    public String[] contextParts(int row) {
        return contextParts.get(context[row]);
    }

    public String itemId(int itemIndex) {
        return itemIds.get(itemIndex);
    }

    /** The item's catalog category, {@code null} when unknown. */
    public String categoryOf(int itemIndex) {
        return itemCategories.get(itemIndex);
    }

    /** The user's declared segment, {@code null} when unknown (generated users declare none). */
    public String segmentOf(int userIndex) {
        return userSegments.get(userIndex);
    }

    public long records() {
        return records;
    }

    public long rejected() {
        return rejected;
    }

    public long duplicates() {
        return duplicates;
    }
}
