package io.desire.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.EventType;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
    private static final long T = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private final EventParser parser = new EventParser(ParserConfig.builder()
            .clock(java.time.Clock.fixed(java.time.Instant.ofEpochMilli(T + 86_400_000L), java.time.ZoneOffset.UTC))
            .build());

    @Test
    void catalogFirstThenBehaviourThatFollowsThePlantedTastes() {
        World world = new World(50, 120, 3);
        EventGenerator gen = new EventGenerator(world, 3, 0.0, 0.0);
        for (int i = 0; i < world.items(); i++) {
            Event e = parse(gen.next(T)).event();
            assertThat(e.type).isEqualTo(EventType.ITEM);
            assertThat(e.category).isNotNull();
        }
        assertThat(gen.inCatalogPhase()).isFalse();

        int user = 7;
        Map<String, Integer> byCategory = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            Event e = parse(gen.behaviourEvent(user, T + i * 1000L)).event();
            assertThat(e.userId).isEqualTo(World.userId(user));
            assertThat(e.geoCell).isNotEqualTo("unknown");
            int item = Integer.parseInt(e.itemId.substring("item-".length()));
            byCategory.merge(world.categoryOf(item), 1, Integer::sum);
        }
        String top = byCategory.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        assertThat(top).isEqualTo(world.favouriteCategory(user));
    }

    @Test
    void plantsMalformedRecordsAndRetriesAtTheConfiguredRates() {
        World world = new World(100, 60, 1);
        EventGenerator gen = new EventGenerator(world, 1, 0.05, 0.05);
        int invalid = 0;
        int repeats = 0;
        byte[] previous = null;
        int n = 20_000;
        for (int i = 0; i < world.items() + n; i++) {
            byte[] record = gen.next(T + i);
            if (i >= world.items()) {
                if (!parse(record).isValid()) {
                    invalid++;
                }
                if (record == previous) {
                    repeats++;
                }
            }
            previous = record;
        }
        assertThat(invalid).isBetween((int) (n * 0.03), (int) (n * 0.08));
        assertThat(repeats).isBetween((int) (n * 0.03), (int) (n * 0.08));
    }

    @Test
    void sameSeedSameTraffic() {
        EventGenerator a = new EventGenerator(new World(20, 30, 9), 9, 0.01, 0.01);
        EventGenerator b = new EventGenerator(new World(20, 30, 9), 9, 0.01, 0.01);
        for (int i = 0; i < 500; i++) {
            assertThat(a.next(T + i)).isEqualTo(b.next(T + i));
        }
    }

    private ParseOutcome parse(byte[] json) {
        return parser.parse(new RawRecord(json, "test", T));
    }
}
