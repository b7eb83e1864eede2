package io.desire.bench.jmh;

import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed, seeded corpus of event JSON from the project's own traffic generator (the one {@code
 * bin/desire bench} replays), and the events it parses to. The same seed gives the same corpus in
 * every run, so figures compare across runs of one machine.
 */
final class Corpus {
    /** Users, items and seed of the generated world: the bench's defaults scaled to a heap-friendly size. */
    static final int USERS = 10_000;

    static final int ITEMS = 5_000;
    static final long SEED = 42L;
    static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private Corpus() {}

    /** {@code n} behaviour-event records (no catalog, malformed or duplicate records), one second apart. */
    static byte[][] behaviourRecords(int n) {
        World world = new World(USERS, ITEMS, SEED);
        EventGenerator gen = new EventGenerator(world, SEED, 0.0, 0.0);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = gen.behaviourEvent(i % USERS, START_MILLIS + i * 1000L);
        }
        return out;
    }

    /** Behaviour events of one generated user, parsed and given their item's category, one minute apart. */
    static List<Event> eventsOfOneUser(int n) {
        World world = new World(USERS, ITEMS, SEED);
        EventGenerator gen = new EventGenerator(world, SEED, 0.0, 0.0);
        EventParser parser = new EventParser(ParserConfig.defaults());
        Map<String, String> categories = new HashMap<>();
        for (int i = 0; i < ITEMS; i++) {
            categories.put(World.itemId(i), world.categoryOf(i));
        }
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] json = gen.behaviourEvent(7, START_MILLIS + i * 60_000L);
            ParseOutcome o = parser.parse(new RawRecord(json, "jmh", START_MILLIS));
            if (o.isValid()) {
                Event e = o.event();
                e.category = categories.get(e.itemId); // what catalog enrichment adds
                events.add(e);
            }
        }
        return events;
    }
}
