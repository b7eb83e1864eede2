package io.desire.jobs.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The cells of comma-separated lines as RFC 4180 has them (quoted cells hold commas and doubled
 * quotes; a quoted cell cannot span lines), the {@code |}-separated lists within a cell, and JSON's
 * number grammar, which decides whether a cell is written as a number.
 */
public final class CsvCells {
    /** Separator of the elements of {@code tags} and {@code interests} in a CSV cell, and of MovieLens genres. */
    public static final char LIST_SEPARATOR = '|';

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private CsvCells() {}

    /**
     * The column names of a CSV header line (as {@link LineInput} gives it: no line end, no byte-order
     * mark) as rows are read under them: each name stripped and lower-cased; {@code null} when the
     * line is not valid CSV.
     */
    public static List<String> columns(String headerLine) {
        List<String> cells = split(headerLine);
        return cells == null
                ? null
                : cells.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The cells of one RFC 4180 line, or {@code null} when a quoted cell is not closed or is followed by
     * something other than a comma. A quote inside an unquoted cell is kept as a character.
     */
    public static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            cell.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                if (!closed || (i < n && line.charAt(i) != ',')) {
                    return null;
                }
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                cell.append(line, i, end);
                i = end;
            }
            cells.add(cell.toString());
            if (i >= n) {
                return cells;
            }
            i++; // the comma
        }
    }

    /** The elements of a {@link #LIST_SEPARATOR}-separated list, empty ones included. */
    static List<String> splitList(String cell) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = cell.indexOf(LIST_SEPARATOR, from);
            out.add(cell.substring(from, at < 0 ? cell.length() : at));
            if (at < 0) {
                return out;
            }
            from = at + 1;
        }
    }

    /** Whether {@code s} is a number in JSON's grammar ({@code -?int frac? exp?}). */
    static boolean isJsonNumber(String s) {
        return JSON_NUMBER.matcher(s).matches();
    }
}
