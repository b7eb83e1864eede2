package io.desire.tools.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --key value} options of the benchmark mains, in the order given. */
final class BenchmarkOptions {
    private BenchmarkOptions() {}

    /** Parses {@code --key value} pairs; anything else is refused with the offending argument. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unexpected argument '" + args[i] + "': use --key value");
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }
}
