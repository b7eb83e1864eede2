package io.desire.jobs.history;

import io.desire.features.event.ContextAttributes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which columns of a CSV history file that are not event fields become custom context attributes
 * ({@link ContextAttributes}) of each row's event: {@link #ALL} of them (the default), {@link #NONE},
 * or only the listed ones ({@code history.context-columns}).
 *
 * <p>Guarantees: names compare as {@link CsvLines} reads a header (stripped, lower-cased); a column
 * with a blank name (e.g. the unnamed index column pandas writes) is never an attribute; nor is a
 * column that is an event field. Immutable and {@link Serializable}, so it travels with the source.
 */
public final class ContextColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Every column that is not an event field. */
    public static final ContextColumns ALL = new ContextColumns(null);
    /** No column: the columns that are not event fields are ignored. */
    public static final ContextColumns NONE = new ContextColumns(List.of());

    /** The listed names, normalised; {@code null} for all. */
    private final List<String> only;

    private ContextColumns(List<String> only) {
        this.only = only;
    }

    /**
     * The selection a configuration value names: unset or blank gives {@link #ALL}, {@code none} (any
     * case) gives {@link #NONE}, otherwise a comma-separated list of column names.
     *
     * @throws IllegalArgumentException when a listed name is an event field, or too long to be an
     *     attribute key
     */
    public static ContextColumns parse(String configured) {
        if (configured == null || configured.isBlank()) {
            return ALL;
        }
        if (configured.strip().equalsIgnoreCase("none")) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        for (String part : configured.split(",")) {
            String name = normalize(part);
            if (name.isEmpty() || names.contains(name)) {
                continue;
            }
            if (isEventField(name)) {
                throw new IllegalArgumentException("history.context-columns lists '" + name
                        + "', which is an event field, not a context attribute; list only other columns");
            }
            if (name.length() > ContextAttributes.MAX_KEY_CHARS) {
                throw new IllegalArgumentException("history.context-columns lists a column name of " + name.length()
                        + " characters; attribute keys have at most " + ContextAttributes.MAX_KEY_CHARS);
            }
            names.add(name);
        }
        return names.isEmpty() ? NONE : new ContextColumns(List.copyOf(names));
    }

    /** Whether the column named {@code column} (as a header names it) becomes a context attribute. */
    public boolean includes(String column) {
        String name = normalize(column);
        if (name.isEmpty() || isEventField(name)) {
            return false;
        }
        return only == null || only.contains(name);
    }

    /** The columns of {@code header} (normalised names) that become context attributes, in header order. */
    public List<String> attributeColumns(List<String> header) {
        List<String> out = new ArrayList<>();
        for (String column : header) {
            if (includes(column)) {
                out.add(normalize(column));
            }
        }
        return out;
    }

    private static boolean isEventField(String name) {
        return CsvLines.FIELDS.contains(name) || CsvLines.CONTEXT_FIELDS.contains(name);
    }

    private static String normalize(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return only == null
                ? "all columns that are not event fields"
                : only.isEmpty() ? "none" : String.join(",", only);
    }
}
