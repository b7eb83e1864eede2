package io.desire.operators.als;

import static io.desire.operators.als.AlsHarnesses.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.als.AlsModel;
import io.desire.features.als.BatchAls;
import io.desire.features.als.RatingMatrix;
import io.desire.features.data.IdDictionary;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The two operators closed into the feedback loop the job builds through Kafka — user updates into
 * the item side, published item vectors broadcast back into the user side, one publication interval
 * per round of 30 events — on planted low-rank data: every user has one of three tastes, each taste
 * likes its own block of 8 items, and each user touches 5 of their block. The learned vectors must
 * rank the block items a user never touched (their planted favourites) above the other blocks' items.
 */
class OnlineAlsLoopTest {
    private static final int CLUSTERS = 3;
    private static final int ITEMS_PER_CLUSTER = 8;
    private static final int USERS = 36;
    private static final int SHOWN = 5;
    private static final int EPOCHS = 4;
    private static final int EVENTS_PER_ROUND = 30;
    private static final AlsConfig CONFIG =
            AlsConfig.builder().rank(4).lambda(0.05).implicit(1.0).seed(7).build();

    @Test
    void learnedUserVectorsRankPlantedFavouritesAboveOtherItems() throws Exception {
        Planted data = Planted.generate(new Random(11), false);
        Quality online = data.evaluate(runLoop(data, new Random(12)));
        assertThat(online.auc)
                .as("AUC of unseen favourites vs other blocks' items")
                .isGreaterThan(0.95);
        assertThat(online.precision)
                .as("share of each user's unseen top-3 that are favourites")
                .isGreaterThan(0.9);
    }

    @Test
    void withNoisyInteractionsOnlineStaysCloseToABatchRetrain() throws Exception {
        // every user also touches one item of another block
        Planted data = Planted.generate(new Random(21), true);
        Quality online = data.evaluate(runLoop(data, new Random(22)));
        Quality batch = data.evaluate(batch(data));
        assertThat(online.auc)
                .as("online AUC %s vs batch %s", online.auc, batch.auc)
                .isGreaterThanOrEqualTo(0.95 * batch.auc);
        assertThat(online.auc).isGreaterThan(0.85);
    }

    /** Streams EPOCHS shuffled passes through the loop; returns the score of (user, item) it learned. */
    private static BiFunction<String, String, Double> runLoop(Planted data, Random random) throws Exception {
        UserFactors userSide = new UserFactors(CONFIG);
        try (var users = AlsHarnesses.users(userSide, false, null);
                var items = AlsHarnesses.items(new ItemFactors(CONFIG), false, null)) {
            List<String[]> stream = new ArrayList<>(data.interactions);
            long now = 0;
            long ts = 0;
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                Collections.shuffle(stream, random);
                for (int from = 0; from < stream.size(); from += EVENTS_PER_ROUND) {
                    for (String[] ui : stream.subList(from, Math.min(from + EVENTS_PER_ROUND, stream.size()))) {
                        Event e = event(random.nextBoolean() ? EventType.VIEW : EventType.CLICK, ui[0], ui[1], ++ts);
                        users.processElement(e, e.ts);
                    }
                    for (UserFactorUpdate u : users.extractOutputValues()) {
                        items.processElement(u, u.eventTime);
                    }
                    users.getOutput().clear();
                    now += CONFIG.updateIntervalMillis();
                    items.setProcessingTime(now);
                    for (ItemFactorUpdate i : items.extractOutputValues()) {
                        users.processBroadcastElement(i, now);
                    }
                    items.getOutput().clear();
                }
            }
            ItemFactorTable table = userSide.tableForTesting();
            assertThat(table.size()).isEqualTo(CLUSTERS * ITEMS_PER_CLUSTER);
            List<double[]> userVectors = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                UserFactorState s = AlsHarnesses.keyed(users, UserFactors.createStateDescriptor(CONFIG), "u" + u);
                userVectors.add(s.factors);
            }
            return (user, item) -> dot(userVectors.get(Integer.parseInt(user.substring(1))), table.get(item));
        }
    }

    /** A batch ALS fit on the same interactions, each worth the mean evidence the stream gives it. */
    private static BiFunction<String, String, Double> batch(Planted data) {
        IdDictionary users = new IdDictionary();
        IdDictionary items = new IdDictionary();
        int n = data.interactions.size();
        int[] us = new int[n];
        int[] is = new int[n];
        float[] vs = new float[n];
        for (int k = 0; k < n; k++) {
            us[k] = users.indexOrAdd(data.interactions.get(k)[0]);
            is[k] = items.indexOrAdd(data.interactions.get(k)[1]);
            vs[k] = 1.5f * EPOCHS; // view 1 or click 2, EPOCHS times
        }
        RatingMatrix m = RatingMatrix.of(users.size(), items.size(), us, is, vs, n, RatingMatrix.Duplicates.SUM);
        AlsModel model = new BatchAls(CONFIG.params().withIterations(10)).fit(m, users, items);
        return model::predict;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += x[j] * y[j];
        }
        return s;
    }

    private static List<String> block(int cluster) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ITEMS_PER_CLUSTER; i++) {
            ids.add("c" + cluster + "-i" + i);
        }
        return ids;
    }

    private record Quality(double auc, double precision) {}

    /** Users u0…u35, user u in taste u % 3; what each touched, and the (user, item) stream. */
    private record Planted(List<String[]> interactions, List<Set<String>> touched) {

        static Planted generate(Random random, boolean noise) {
            List<String[]> interactions = new ArrayList<>();
            List<Set<String>> touched = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                int cluster = u % CLUSTERS;
                List<String> own = block(cluster);
                Collections.shuffle(own, random);
                Set<String> mine = new HashSet<>(own.subList(0, SHOWN));
                if (noise) {
                    int other = (cluster + 1 + random.nextInt(CLUSTERS - 1)) % CLUSTERS;
                    mine.add(block(other).get(random.nextInt(ITEMS_PER_CLUSTER)));
                }
                for (String item : mine) {
                    interactions.add(new String[] {"u" + u, item});
                }
                touched.add(mine);
            }
            return new Planted(interactions, touched);
        }

        /**
         * AUC of each user's untouched favourites against the other blocks' untouched items, and the
         * share of favourites among each user's top untouched items (as many as they have favourites).
         */
        Quality evaluate(BiFunction<String, String, Double> score) {
            long pairs = 0;
            long correct = 0;
            int hits = 0;
            int favouritesTotal = 0;
            for (int u = 0; u < USERS; u++) {
                String user = "u" + u;
                List<String> favourites = new ArrayList<>(block(u % CLUSTERS));
                favourites.removeAll(touched.get(u));
                List<String> candidates = new ArrayList<>();
                for (int c = 0; c < CLUSTERS; c++) {
                    for (String item : block(c)) {
                        if (!touched.get(u).contains(item)) {
                            candidates.add(item);
                        }
                    }
                }
                candidates.sort((a, b) -> Double.compare(score.apply(user, b), score.apply(user, a)));
                for (String item : candidates.subList(0, favourites.size())) {
                    hits += favourites.contains(item) ? 1 : 0;
                }
                favouritesTotal += favourites.size();
                for (String fav : favourites) {
                    for (String other : candidates) {
                        if (!favourites.contains(other)) {
                            pairs++;
                            correct += score.apply(user, fav) > score.apply(user, other) ? 1 : 0;
                        }
                    }
                }
            }
            return new Quality((double) correct / pairs, (double) hits / favouritesTotal);
        }
    }
}
