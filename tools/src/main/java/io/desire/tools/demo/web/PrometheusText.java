package io.desire.tools.demo.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (what Flink's Prometheus reporter serves on
 * {@code /metrics}) into samples. Comment lines and lines it cannot read are skipped, never fatal:
 * the status panel shows what it can.
 */
public final class PrometheusText {
    private PrometheusText() {}

    /** One sample: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    /** Every sample of a scrape, in order. */
    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Sample s = parseLine(line.strip());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    static Sample parseLine(String line) {
        if (line.isEmpty() || line.charAt(0) == '#') {
            return null;
        }
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int valueStart;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    return null;
                }
                String key = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    return null;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                }
            }
            if (i >= line.length()) {
                return null;
            }
            valueStart = i + 1;
        } else {
            name = line.substring(0, space);
            valueStart = space;
        }
        String[] rest = line.substring(valueStart).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        try {
            return new Sample(
                    name,
                    labels,
                    Double.parseDouble(rest[0].replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
