package io.desire.tools.generator;

import java.util.Random;

/**
 * A synthetic shop with planted structure, fixed by a seed: items in categories with Zipf
 * popularity, users with latent tastes (two favourite categories), home cities and a main device,
 * and context effects — each city, each part of the day and each device class favours a category.
 * Because the structure is planted, tests and benchmarks know what good recommendations look like.
 */
public final class World {

    /** A city: where users live, its coordinates, time zone and the category it favours. */
    public record City(String name, double lat, double lon, String tz, int favouredCategory) {
        java.time.ZoneId zone() {
            return java.time.ZoneId.of(tz);
        }
    }

    static final String[] CATEGORY_NAMES = {
        "books", "music", "movies", "games", "sports", "outdoor",
        "kitchen", "coffee", "fashion", "toys", "garden", "electronics"
    };

    static final City[] CITIES = {
        new City("paris", 48.8566, 2.3522, "Europe/Paris", 7),
        new City("berlin", 52.5200, 13.4050, "Europe/Berlin", 4),
        new City("new-york", 40.7128, -74.0060, "America/New_York", 8),
        new City("tokyo", 35.6762, 139.6503, "Asia/Tokyo", 3),
        new City("sao-paulo", -23.5505, -46.6333, "America/Sao_Paulo", 1),
        new City("sydney", -33.8688, 151.2093, "Australia/Sydney", 5),
    };

    /** Devices as sent on the wire, with the category each favours. */
    static final String[] DEVICES = {"phone", "tablet", "desktop", "tv"};

    static final String[] DEVICE_OS = {"android", "ipados", "windows", "tizen"};
    static final int[] DEVICE_FAVOURED = {3, 0, 11, 2};

    /** Parts of the local day (hour ranges) and the category each favours. */
    static final int[] DAYPART_FAVOURED = {
        2 /* night: movies */, 7 /* morning: coffee */, 6 /* afternoon: kitchen */, 2 /* evening: movies */
    };

    final int users;
    final int items;
    final int categories;
    final int[] itemCategory;
    /** Items of each category ordered by popularity rank (most popular first). */
    final int[][] itemsByCategory;

    final int[] userFavourite1;
    final int[] userFavourite2;
    final int[] userCity;
    final int[] userDevice;
    /** Per category, cumulative Zipf weights 1/(rank+1) of its items, for sampling by popularity. */
    final double[][] cumulativePopularity;

    public World(int users, int items, long seed) {
        if (users < 1 || items < CATEGORY_NAMES.length) {
            throw new IllegalArgumentException("need at least 1 user and " + CATEGORY_NAMES.length + " items");
        }
        this.users = users;
        this.items = items;
        this.categories = CATEGORY_NAMES.length;
        Random r = new Random(seed);
        itemCategory = new int[items];
        int[] counts = new int[categories];
        for (int i = 0; i < items; i++) {
            itemCategory[i] = i % categories;
            counts[itemCategory[i]]++;
        }
        itemsByCategory = new int[categories][];
        int[] fill = new int[categories];
        for (int c = 0; c < categories; c++) {
            itemsByCategory[c] = new int[counts[c]];
        }
        for (int i = 0; i < items; i++) {
            int c = itemCategory[i];
            itemsByCategory[c][fill[c]++] = i;
        }
        cumulativePopularity = new double[categories][];
        for (int c = 0; c < categories; c++) {
            double[] cdf = new double[itemsByCategory[c].length];
            double acc = 0;
            for (int rank = 0; rank < cdf.length; rank++) {
                acc += 1.0 / (rank + 1);
                cdf[rank] = acc;
            }
            cumulativePopularity[c] = cdf;
        }
        userFavourite1 = new int[users];
        userFavourite2 = new int[users];
        userCity = new int[users];
        userDevice = new int[users];
        for (int u = 0; u < users; u++) {
            userFavourite1[u] = r.nextInt(categories);
            userFavourite2[u] = (userFavourite1[u] + 1 + r.nextInt(categories - 1)) % categories;
            userCity[u] = r.nextInt(CITIES.length);
            userDevice[u] = r.nextInt(DEVICES.length);
        }
    }

    public int users() {
        return users;
    }

    public int items() {
        return items;
    }

    public static String userId(int u) {
        return "user-" + zeroPadded(u);
    }

    public static String itemId(int i) {
        return "item-" + zeroPadded(i);
    }

    private static String zeroPadded(int n) {
        String s = Integer.toString(n);
        return s.length() >= 5 ? s : "00000".substring(s.length()) + s;
    }

    public String categoryOf(int item) {
        return CATEGORY_NAMES[itemCategory[item]];
    }

    /** The favourite category of a user, by name: what a good recommender learns first. */
    public String favouriteCategory(int user) {
        return CATEGORY_NAMES[userFavourite1[user]];
    }

    public City homeCity(int user) {
        return CITIES[userCity[user]];
    }
}
