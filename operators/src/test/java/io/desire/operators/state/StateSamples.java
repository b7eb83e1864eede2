package io.desire.operators.state;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.serving.ArmScores;
import io.desire.features.serving.ConsumedItems;
import io.desire.features.serving.SessionLists;
import io.desire.operators.UserContexts;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.als.UserFactorState;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded values of every per-user state type: realistic ones (built by the types' own mutators from
 * events), random ones, and edge cases the formats must carry exactly — null fields and entries,
 * empty arrays, {@link Long#MIN_VALUE} and extreme times, NaN, −0.0 and non-float doubles, strings
 * beyond ASCII.
 */
final class StateSamples {
    static final long T0 = 1_764_000_000_000L;
    private static final String[] ODD = {"", "ü-ß", "\uD83D\uDE00 emoji", "\u0000nul", "item-000001"};

    private StateSamples() {}

    static UserProfile[] profiles() {
        Random r = new Random(1);
        UserProfile built = new UserProfile();
        ProfilePolicy policy = new ProfilePolicy();
        EventType[] types = {EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE};
        for (int i = 0; i < 1000; i++) {
            Event e = new Event();
            e.type = types[r.nextInt(types.length)];
            e.itemId = item(r.nextInt(400));
            e.category = "cat-" + r.nextInt(12);
            e.ts = T0 + i * 60_000L + r.nextInt(120_000) - 60_000;
            built.apply(e, policy);
        }
        UserProfile user = new UserProfile();
        Event u = new Event();
        u.type = EventType.USER;
        u.segment = "gold";
        u.locale = "fr-FR";
        u.interests = new String[] {"books", "music"};
        u.ts = T0;
        user.apply(u, policy);
        UserProfile nulls = new UserProfile();
        nulls.items = null;
        nulls.categories = null;
        nulls.recentItems = null;
        nulls.purchased = null;
        nulls.modelVersion = null;
        nulls.events = -3;
        return new UserProfile[] {
            new UserProfile(), built, user, nulls, randomProfile(r), randomProfile(r), edgeProfile()
        };
    }

    private static UserProfile randomProfile(Random r) {
        UserProfile p = new UserProfile();
        p.items = scores(r, 1 + r.nextInt(100));
        p.categories = scores(r, r.nextInt(30));
        p.recentItems = strings(r, r.nextInt(20), false);
        p.purchased = strings(r, r.nextInt(20), false);
        p.segment = r.nextBoolean() ? "segment-" + r.nextInt(5) : null;
        p.locale = r.nextBoolean() ? "de-DE" : null;
        p.modelVersion = r.nextBoolean() ? UserProfile.MODEL_VERSION : "older-v0";
        p.events = r.nextInt(100_000);
        p.lastEventTime = T0 + r.nextInt(1_000_000);
        return p;
    }

    private static UserProfile edgeProfile() {
        UserProfile p = new UserProfile();
        p.items.keys = ODD.clone();
        p.items.values = new double[] {Double.NaN, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.1};
        p.items.labels = new String[] {null, "x", null, "\uD83D\uDE00", ""};
        p.items.asOf = Long.MAX_VALUE;
        p.categories.asOf = Long.MIN_VALUE + 1;
        p.lastEventTime = Long.MIN_VALUE;
        p.events = Long.MAX_VALUE;
        return p;
    }

    private static DecayedScores scores(Random r, int n) {
        DecayedScores s = new DecayedScores();
        s.keys = strings(r, n, false);
        s.values = new double[n];
        for (int i = 0; i < n; i++) {
            s.values[i] = r.nextBoolean() ? r.nextDouble() * 10 : r.nextInt(10);
        }
        if (r.nextBoolean()) {
            s.labels = strings(r, n, true);
        }
        s.asOf = T0 + r.nextInt(1_000_000);
        return s;
    }

    static UserContexts[] contexts() {
        Random r = new Random(2);
        UserContexts built = new UserContexts();
        String[] buckets = {"weekday-morning", "weekday-evening", "weekend-day", "weekday-night"};
        for (int i = 0; i < 40; i++) {
            String key = "u09tv:" + buckets[r.nextInt(buckets.length)] + ":" + (r.nextBoolean() ? "mobile" : "tv");
            built.markPending(key, T0 + i * 1000L, 6, r.nextBoolean() ? "weather\u0001rain" : null);
            if (r.nextInt(3) == 0) {
                built.markEmitted(built.indexOf(key));
                built.markWritten(
                        built.indexOf(key), UserContexts.fingerprintOf("source-als", new String[] {key}), 5_000L + i);
            }
        }
        built.timerAt = 123_456L;
        built.flushArmed = true;
        UserContexts old = new UserContexts();
        old.markPending("a:weekday-evening:mobile", 10L, 32);
        old.attributes = null; // as state from before attributes were kept
        UserContexts edge = new UserContexts();
        edge.keys = ODD.clone();
        edge.emittedEventTime = new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, T0};
        edge.pendingEventTime = new long[] {Long.MIN_VALUE + 1, Long.MIN_VALUE, T0, 1, Long.MAX_VALUE - 1};
        edge.attributes = new String[] {null, "", "k\u0001v", null, "\uD83D\uDE00"};
        edge.timerAt = Long.MIN_VALUE + 1;
        edge.fingerprint = new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1};
        edge.writtenAt = new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, T0};
        UserContexts nulls = new UserContexts();
        nulls.keys = null;
        nulls.emittedEventTime = null;
        nulls.pendingEventTime = null;
        nulls.attributes = null;
        nulls.fingerprint = null;
        nulls.writtenAt = null;
        return new UserContexts[] {new UserContexts(), built, old, edge, nulls};
    }

    static AlsCandidates[] alsCandidates() {
        Random r = new Random(3);
        AlsCandidates full = candidates(r, 50);
        full.categories = strings(r, 50, true);
        AlsCandidates refresh = candidates(r, 7);
        refresh.refresh = true;
        AlsCandidates nulls = new AlsCandidates();
        AlsCandidates edge = new AlsCandidates(
                "\uD83D\uDE00", ODD.clone(), new double[] {1, 2, Double.NaN, -0.0, 1e-300}, Long.MIN_VALUE);
        return new AlsCandidates[] {full, refresh, nulls, edge, candidates(r, 0)};
    }

    private static AlsCandidates candidates(Random r, int n) {
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = r.nextDouble() * 5;
        }
        return new AlsCandidates("user-" + r.nextInt(1000), strings(r, n, false), scores, T0 + r.nextInt(1000));
    }

    static UserFactorState[] factorStates() {
        Random r = new Random(4);
        UserFactorState implicit = new UserFactorState();
        implicit.factors = gaussian(r, 10);
        for (int i = 0; i < 120; i++) {
            implicit.touch(item(r.nextInt(200)), r.nextBoolean() ? 1.0 : 0.5, true, 50);
        }
        implicit.eventTime = T0;
        UserFactorState explicit = new UserFactorState();
        explicit.factors = gaussian(r, 20);
        for (int i = 0; i < 30; i++) {
            explicit.touch(item(r.nextInt(200)), r.nextDouble() * 5, false, 50);
        }
        UserFactorState edge = new UserFactorState();
        edge.items = ODD.clone();
        edge.values = new double[] {Double.NaN, -0.0, Float.MAX_VALUE, Double.MAX_VALUE, 3};
        edge.eventTime = Long.MAX_VALUE;
        UserFactorState nulls = new UserFactorState();
        nulls.items = null;
        nulls.values = null;
        return new UserFactorState[] {new UserFactorState(), implicit, explicit, edge, nulls};
    }

    static ConsumedItems[] consumed() {
        Random r = new Random(5);
        ConsumedItems many = new ConsumedItems();
        for (int i = 0; i < 500; i++) {
            many.add(item(r.nextInt(5000)), ConsumedItems.DEFAULT_MAX);
        }
        ConsumedItems edge = new ConsumedItems();
        edge.hashes = new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        return new ConsumedItems[] {new ConsumedItems(), many, edge};
    }

    static SessionLists[] sessionLists() {
        Random r = new Random(6);
        SessionLists s = new SessionLists();
        s.resetNext(10);
        for (int arm = 0; arm < ArmScores.ARMS - 1; arm++) {
            s.setNext(arm, Arrays.asList(strings(r, 4 + r.nextInt(10), false)));
        }
        s.promote();
        s.lastEventTime = T0;
        s.resetNext(10);
        s.setNext(0, List.of(item(1), item(2)));
        SessionLists edge = new SessionLists();
        edge.k = -1;
        edge.hashes = new long[] {0, Long.MIN_VALUE, -1, 0};
        edge.scored = new boolean[] {true, false, true, true, false, true, false, true, true};
        edge.nextHashes = null;
        edge.nextScored = null;
        edge.lastEventTime = Long.MAX_VALUE;
        return new SessionLists[] {new SessionLists(), s, edge};
    }

    private static String[] strings(Random r, int n, boolean withNulls) {
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = withNulls && r.nextInt(4) == 0
                    ? null
                    : r.nextInt(10) == 0 ? ODD[r.nextInt(ODD.length)] : item(r.nextInt(2000));
        }
        return a;
    }

    private static double[] gaussian(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * 0.3;
        }
        return a;
    }

    static String item(int i) {
        return String.format("item-%06d", i);
    }
}
