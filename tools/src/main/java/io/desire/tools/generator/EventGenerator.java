package io.desire.tools.generator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;

/**
 * Produces believable event traffic from a {@link World}: first the catalog (one {@code item} event
 * per item), then behaviour events whose items follow the user's taste, the context (city, local part
 * of day, device) and item popularity. A configurable share of records are malformed (for the
 * dead-letter path) or exact retries of an earlier record (for de-duplication).
 *
 * <p>Deterministic for a given seed and sequence of timestamps. Not thread-safe.
 */
public final class EventGenerator {

    private static final String[] BEHAVIOUR = {"view", "click", "add_to_cart", "purchase", "rate"};
    /** Cumulative shares of {@link #BEHAVIOUR}: 70% views, 15% clicks, 8% carts, 4% purchases, 3% ratings. */
    private static final double[] BEHAVIOUR_CDF = {0.70, 0.85, 0.93, 0.97, 1.0};

    private static final String[] MALFORMED = {
        "{not json",
        "{\"event_id\":\"x\",\"type\":\"view\"}",
        "{\"event_id\":\"m-%d\",\"ts\":\"yesterday\",\"type\":\"view\",\"user_id\":\"u\",\"item_id\":\"i\"}",
        "{\"event_id\":\"m-%d\",\"ts\":%d,\"type\":\"teleport\",\"user_id\":\"u\",\"item_id\":\"i\"}",
        "{\"event_id\":\"m-%d\",\"ts\":%d,\"type\":\"rate\",\"user_id\":\"u\",\"item_id\":\"i\",\"value\":11}",
        "{\"event_id\":\"m-%d\",\"ts\":%d,\"type\":\"view\",\"user_id\":\"u\",\"item_id\":\"i\",\"context\":{\"lat\":123.0,\"lon\":0}}",
        "[1,2,3]",
    };

    private final World world;
    private final Random random;
    private final double malformedRate;
    private final double duplicateRate;
    private long sequence;
    private int nextCatalogItem;
    private byte[] lastRecord;
    private final java.util.Map<String, ZoneId> zones = new java.util.HashMap<>();

    public EventGenerator(World world, long seed, double malformedRate, double duplicateRate) {
        if (malformedRate < 0 || malformedRate > 1 || duplicateRate < 0 || duplicateRate > 1) {
            throw new IllegalArgumentException("rates must be within [0, 1]");
        }
        this.world = world;
        this.random = new Random(seed);
        this.malformedRate = malformedRate;
        this.duplicateRate = duplicateRate;
    }

    public World world() {
        return world;
    }

    /** True while catalog events remain to be sent. */
    public boolean inCatalogPhase() {
        return nextCatalogItem < world.items;
    }

    /** The next record's JSON bytes, stamped with event time {@code tsMillis}. */
    public byte[] next(long tsMillis) {
        byte[] record;
        if (nextCatalogItem < world.items) {
            record = itemEvent(nextCatalogItem++, tsMillis);
        } else if (lastRecord != null && random.nextDouble() < duplicateRate) {
            record = lastRecord;
        } else if (random.nextDouble() < malformedRate) {
            record = malformed(tsMillis);
        } else {
            record = behaviourEvent(random.nextInt(world.users), tsMillis);
        }
        lastRecord = record;
        return record;
    }

    /** A behaviour event of the given user at {@code tsMillis}, following the planted structure. */
    public byte[] behaviourEvent(int user, long tsMillis) {
        World.City city =
                random.nextDouble() < 0.9 ? world.homeCity(user) : World.CITIES[random.nextInt(World.CITIES.length)];
        int device = random.nextDouble() < 0.8 ? world.userDevice[user] : random.nextInt(World.DEVICES.length);
        int category = pickCategory(user, city, device, tsMillis);
        int item = pickItem(category);
        String type = pickType();
        StringBuilder sb = new StringBuilder(320);
        sb.append("{\"event_id\":\"g-")
                .append(sequence++)
                .append('"')
                .append(",\"ts\":")
                .append(tsMillis)
                .append(",\"type\":\"")
                .append(type)
                .append('"')
                .append(",\"user_id\":\"")
                .append(World.userId(user))
                .append('"')
                .append(",\"item_id\":\"")
                .append(World.itemId(item))
                .append('"');
        if (type.equals("rate")) {
            sb.append(",\"value\":").append(category == world.userFavourite1[user] ? 5 : 1 + random.nextInt(4));
        } else if (type.equals("purchase") || type.equals("add_to_cart")) {
            sb.append(",\"value\":").append(priceOf(item));
        }
        // Jitter within a few hundred metres keeps all of a city's events in one geo cell.
        double lat = city.lat() + (random.nextDouble() - 0.5) * 0.004;
        double lon = city.lon() + (random.nextDouble() - 0.5) * 0.004;
        sb.append(",\"context\":{\"lat\":")
                .append(round(lat))
                .append(",\"lon\":")
                .append(round(lon))
                .append(",\"device\":\"")
                .append(World.DEVICES[device])
                .append('"')
                .append(",\"os\":\"")
                .append(World.DEVICE_OS[device])
                .append('"')
                .append(",\"tz\":\"")
                .append(city.tz())
                .append('"')
                .append(",\"session_id\":\"s-")
                .append(user)
                .append('-')
                .append(tsMillis / 1_800_000L)
                .append("\"}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The catalog event of an item. */
    public byte[] itemEvent(int item, long tsMillis) {
        String json = "{\"event_id\":\"item-" + item + "-v1\",\"ts\":" + tsMillis
                + ",\"type\":\"item\",\"item_id\":\"" + World.itemId(item) + "\",\"category\":\""
                + world.categoryOf(item) + "\",\"price\":" + priceOf(item)
                + ",\"available\":true,\"tags\":[\"" + world.categoryOf(item) + "\"]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code forget_user} request. */
    public static byte[] forgetEvent(String userId, long tsMillis, String eventId) {
        return ("{\"event_id\":\"" + eventId + "\",\"ts\":" + tsMillis + ",\"type\":\"forget_user\",\"user_id\":\""
                        + userId + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private int pickCategory(int user, World.City city, int device, long tsMillis) {
        double p = random.nextDouble();
        if (p < 0.45) {
            return world.userFavourite1[user];
        } else if (p < 0.60) {
            return world.userFavourite2[user];
        } else if (p < 0.70) {
            return city.favouredCategory();
        } else if (p < 0.80) {
            return World.DEVICE_FAVOURED[device];
        } else if (p < 0.90) {
            int hour = Instant.ofEpochMilli(tsMillis).atZone(zoneOf(city)).getHour();
            return World.DAYPART_FAVOURED[Math.min(3, hour / 6)];
        }
        return random.nextInt(world.categories);
    }

    /** Zipf-like choice inside a category: rank r is picked with weight 1/(r+1). */
    private int pickItem(int category) {
        int[] ranked = world.itemsByCategory[category];
        double[] cdf = world.cumulativePopularity[category];
        int r = java.util.Arrays.binarySearch(cdf, random.nextDouble() * cdf[cdf.length - 1]);
        return ranked[Math.min(ranked.length - 1, r >= 0 ? r : -r - 1)];
    }

    private ZoneId zoneOf(World.City city) {
        return zones.computeIfAbsent(city.name(), n -> city.zone());
    }

    private String pickType() {
        double p = random.nextDouble();
        for (int i = 0; i < BEHAVIOUR_CDF.length; i++) {
            if (p < BEHAVIOUR_CDF[i]) {
                return BEHAVIOUR[i];
            }
        }
        return BEHAVIOUR[0];
    }

    private byte[] malformed(long tsMillis) {
        String template = MALFORMED[random.nextInt(MALFORMED.length)];
        String s = template.contains("%d")
                ? String.format(template, sequence++, tsMillis).replace("%d", "")
                : template;
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String priceOf(int item) {
        return String.valueOf(5 + (item * 37) % 200) + ".99";
    }

    private static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
