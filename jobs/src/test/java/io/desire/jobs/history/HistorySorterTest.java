package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.ParserConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History in any order comes out in event-time order, the same whatever the file order. */
class HistorySorterTest {

    private static List<String> ratings(int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // user, movie, rating, time in seconds: distinct times so the order is unique
            rows.add((i % 7 + 1) + "," + (i % 13 + 1) + ",4.0," + (1_500_000_000L + i * 60));
        }
        return rows;
    }

    private static List<String> sortedLines(Path dir, String name, List<String> rows, int runSize) throws Exception {
        Path file = dir.resolve(name).resolve("ratings.csv");
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("userId,movieId,rating,timestamp");
        lines.addAll(rows);
        lines.add("not,a,valid,line");
        Files.write(file, lines, StandardCharsets.UTF_8);
        HistoryFile history = new HistoryFile(new org.apache.flink.core.fs.Path(file.toUri()), Files.size(file));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        HistorySorter.Sorted sorted = new HistorySorter(
                        ParserConfig.builder().build(),
                        runSize,
                        new PrintStream(progress, true, StandardCharsets.UTF_8))
                .sort(List.of(history), null, dir.resolve(name + "-work"));
        assertThat(sorted.records()).isEqualTo(rows.size() + 1);
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("sorted " + (rows.size() + 1) + " history records");
        return Files.readAllLines(sorted.file(), StandardCharsets.UTF_8);
    }

    private static String payload(String line) {
        return line.substring(line.indexOf('\t') + 1);
    }

    @Test
    void aShuffledFileSortsLikeASortedOneAndBadLinesKeepTheirOrigin(@TempDir Path dir) throws Exception {
        List<String> rows = ratings(500);
        List<String> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(42));
        // small runs: the spill-and-merge path is taken
        List<String> fromShuffled = sortedLines(dir, "shuffled", shuffled, 64);
        List<String> fromSorted = sortedLines(dir, "sorted", rows, 1_000_000);

        assertThat(fromShuffled.stream().map(HistorySorterTest::payload).toList())
                .isEqualTo(fromSorted.stream().map(HistorySorterTest::payload).toList());
        assertThat(fromShuffled.get(0))
                .as("unparseable records first, with the line they came from")
                .startsWith("file:")
                .contains("ratings.csv#502\t");
        List<Long> times = new ArrayList<>();
        for (String line : fromShuffled.subList(1, fromShuffled.size())) {
            String p = payload(line);
            int at = p.indexOf("\"ts\":") + 5;
            times.add(Long.parseLong(p.substring(at, p.indexOf(',', at)).replace("\"", "")));
        }
        assertThat(times).isSorted();
    }
}
