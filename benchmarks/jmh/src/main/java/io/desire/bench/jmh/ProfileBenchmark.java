package io.desire.bench.jmh;

import io.desire.features.event.Event;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link UserProfile#apply} of one behaviour event to a profile in steady state: the profile has
 * already seen 1,000 events of the same generated user, so its decayed item and category scores
 * and its recent and purchased lists are at their caps (the default {@link ProfilePolicy}), as for
 * an active user in the job. Events are cycled; each keeps moving time forward by one minute per
 * application, so decay is exercised.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProfileBenchmark {
    private static final int EVENTS = 1024;

    private final ProfilePolicy policy = new ProfilePolicy();
    private List<Event> events;
    private UserProfile profile;
    private int next;
    private long shift;

    /** Warms a profile to its caps with the user's events. */
    @Setup
    public void setup() {
        events = Corpus.eventsOfOneUser(EVENTS);
        profile = new UserProfile();
        for (Event e : events) {
            profile.apply(e, policy);
        }
        shift = events.get(events.size() - 1).ts - events.get(0).ts + 60_000L;
    }

    /** Applies the next event, later than every event applied before. */
    @Benchmark
    public boolean apply() {
        Event e = events.get(next);
        e.ts += shift;
        next = (next + 1) % events.size();
        return profile.apply(e, policy);
    }
}
