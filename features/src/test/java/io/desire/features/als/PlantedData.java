package io.desire.features.als;

import java.util.SplittableRandom;

/** Synthetic users × items data generated from planted low-rank factors. */
final class PlantedData {

    final double[][] users;
    final double[][] items;

    PlantedData(int numUsers, int numItems, int rank, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        users = gaussian(numUsers, rank, random);
        items = gaussian(numItems, rank, random);
    }

    double score(int u, int i) {
        return AlsModel.dot(users[u], items[i]);
    }

    /** Indices of the n items with the highest planted score for user u. */
    int[] topItems(int u, int n) {
        return TopN.select(users[u], items, n, null).items();
    }

    private static double[][] gaussian(int n, int k, SplittableRandom random) {
        double[][] f = new double[n][k];
        for (double[] row : f) {
            for (int j = 0; j < k; j++) {
                row[j] = (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 2;
            }
        }
        return f;
    }
}
