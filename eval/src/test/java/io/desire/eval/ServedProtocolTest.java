package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.ParserConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split, the training file and the scoring units of the served evaluation. */
class ServedProtocolTest {

    @TempDir
    Path dir;

    /** 2026-01-05 (a Monday) 20:00 UTC and 08:00 UTC. */
    private static final long EVENING = 1_767_643_200_000L;

    private static final long MORNING = EVENING - 12 * 3_600_000L;

    private static History ratings() {
        History h = new History(new LoadReport("test", "test"));
        for (int u = 0; u < 10; u++) {
            for (int k = 0; k < 10; k++) {
                float rating = k % 2 == 0 ? 5 : 2;
                h.add("u" + u, "i" + (u + k), rating, rating, MORNING + k * 1000L + u, null);
            }
        }
        return h;
    }

    @Test
    void randomPerUserSplitIsSeededAndHoldsOutAFifthOfEachUser() {
        History h = ratings();
        RowSplit a = RowSplit.randomPerUser(h, 0, 0.2, 42);
        RowSplit b = RowSplit.randomPerUser(h, 0, 0.2, 42);
        assertThat(a.test()).containsExactly(b.test());
        assertThat(a.validation()).isEmpty();
        int[] perUser = new int[10];
        for (int r : a.test()) {
            perUser[h.user(r)]++;
        }
        assertThat(perUser).containsOnly(2);
        assertThat(RowSplit.randomPerUser(h, 0, 0.2, 7).test()).isNotEqualTo(a.test());
    }

    @Test
    void chronologicalSplitTestsOnTheLatestRows() {
        History h = ratings();
        RowSplit s = RowSplit.chronological(h, 0, 0.2);
        long lastTrain =
                java.util.Arrays.stream(s.train()).mapToLong(h::ts).max().orElseThrow();
        long firstTest =
                java.util.Arrays.stream(s.test()).mapToLong(h::ts).min().orElseThrow();
        assertThat(lastTrain).isLessThan(firstTest);
        assertThat(s.test()).hasSize(20);
    }

    @Test
    void aReadyMadeSplitIsReadAsTrainThenTest() throws IOException {
        Path train = dir.resolve("train.tsv");
        Path test = dir.resolve("test.tsv");
        Files.writeString(train, "1\t10\t4.0\t964982703\n1\t11\t3.0\t964982704\n2\t10\t5\t964982705\n");
        Files.writeString(test, "1\t12\t4.5\t964982706\n");
        var pair = HistoryLoader.pair(train, test, io.desire.jobs.history.HistoryFormat.MOVIELENS);
        History h = pair.getKey();
        assertThat(pair.getValue()).isEqualTo(3);
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.itemId(h.item(3))).isEqualTo("12");
        assertThat(h.rating(3)).isEqualTo(4.5f);
    }

    @Test
    void trainingRowsAreWrittenAsRateEventsOrAsTheirOwnRecords() throws IOException {
        History h = ratings();
        h.keepRaw();
        h.add(
                "u9",
                "i99",
                1,
                Float.NaN,
                MORNING,
                new String[] {"none", "weekday-morning", "other"},
                "{\"raw\":1}".getBytes(StandardCharsets.UTF_8));
        h.sideRecords.add("{\"type\":\"item\"}".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("train.jsonl");
        long lines = ServedHistory.writeTraining(h, new int[] {0, h.size() - 1}, file);
        assertThat(lines).isEqualTo(3);
        List<String> written = Files.readAllLines(file);
        assertThat(written.get(0)).isEqualTo("{\"type\":\"item\"}");
        assertThat(written.get(1))
                .isEqualTo("{\"event_id\":\"eval-0\",\"ts\":" + MORNING
                        + ",\"type\":\"rate\",\"user_id\":\"u0\",\"item_id\":\"i0\",\"value\":5.0}");
        assertThat(written.get(2)).isEqualTo("{\"raw\":1}");
    }

    @Test
    void jsonlRowsKeepTheirOwnLinesAndTheCatalogueGoesToTraining() throws IOException {
        String item = "{\"event_id\":\"c1\",\"ts\":" + MORNING
                + ",\"type\":\"item\",\"item_id\":\"i1\",\"category\":\"books\"}";
        String keep =
                "{\"event_id\":\"e1\",\"ts\":" + MORNING + ",\"type\":\"view\",\"user_id\":\"u1\",\"item_id\":\"i1\"}";
        String gone =
                "{\"event_id\":\"e2\",\"ts\":" + MORNING + ",\"type\":\"view\",\"user_id\":\"u2\",\"item_id\":\"i1\"}";
        String keep2 =
                "{\"event_id\":\"e3\",\"ts\":" + EVENING + ",\"type\":\"click\",\"user_id\":\"u1\",\"item_id\":\"i2\"}";
        String forget = "{\"event_id\":\"e4\",\"ts\":" + EVENING + ",\"type\":\"forget_user\",\"user_id\":\"u2\"}";
        Path input = Files.writeString(
                dir.resolve("events.jsonl"), String.join("\n", item, keep, gone, keep2, forget) + "\n");
        History h = HistoryLoader.jsonl(input, ParserConfig.defaults(), true);
        assertThat(h.size()).isEqualTo(2);
        Path file = dir.resolve("train.jsonl");
        ServedHistory.writeTraining(h, h.allRows(), file);
        assertThat(Files.readAllLines(file)).containsExactly(item, keep, keep2);
    }

    @Test
    void unitsGroupAUsersRelevantTestItemsByContextAndLeaveOutTrainingItems() {
        History h = new History(new LoadReport("test", "test"));
        h.add("u", "a", 5, 5, MORNING, null); // 0 train
        h.add("u", "b", 5, 5, MORNING + 1, null); // 1 test, morning, relevant
        h.add("u", "c", 5, 5, EVENING, null); // 2 test, evening, relevant
        h.add("u", "d", 2, 2, EVENING + 1, null); // 3 test, evening, not relevant (rating 2)
        h.add("u", "a", 5, 5, EVENING + 2, null); // 4 test, evening, a repeat of a training item
        h.add("v", "b", 5, 5, EVENING, null); // 5 test of a user without training rows
        int[] train = {0};
        int[] test = {1, 2, 3, 4, 5};
        Map<String, Set<String>> trained = ServedProtocol.trainingItems(h, train);
        String[] contexts = ServedHistory.contextKeys(h, test, ParserConfig.defaults());
        assertThat(contexts[0]).contains("weekday-morning");
        assertThat(contexts[1]).contains("weekday-evening");

        List<ServedProtocol.Unit> byContext =
                ServedProtocol.units(h, trained, test, contexts, 4, DocumentMatcher.Match.CONTEXT);
        assertThat(byContext).hasSize(2);
        assertThat(byContext)
                .extracting(ServedProtocol.Unit::relevant)
                .containsExactlyInAnyOrder(Set.of("b"), Set.of("c"));
        assertThat(byContext).allSatisfy(unit -> assertThat(unit.user()).isEqualTo("u"));

        List<ServedProtocol.Unit> byUser =
                ServedProtocol.units(h, trained, test, contexts, 4, DocumentMatcher.Match.USER);
        assertThat(byUser).containsExactly(new ServedProtocol.Unit("u", null, Set.of("b", "c")));
    }
}
