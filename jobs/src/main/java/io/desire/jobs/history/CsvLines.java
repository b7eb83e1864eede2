package io.desire.jobs.history;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * {@link HistoryFormat#CSV}: the first non-blank line is a header of contract field names
 * ({@link #FIELDS}; case and surrounding blanks ignored). Other columns with a name are custom context
 * attributes, written as strings under {@code context} (all of them, or those the {@link ContextColumns}
 * select; the parser normalises and bounds them). Cells follow RFC 4180 ({@link CsvCells}). An empty
 * cell leaves the field out. {@code value}, {@code price}, {@code lat}, {@code lon} become JSON numbers
 * when they are JSON numbers, {@code available} a boolean when it is true/false, {@code tags} and
 * {@code interests} arrays split on {@code |}; everything else, and any cell that is not what its
 * field needs, a string. {@link #CONTEXT_FIELDS} go under {@code context}.
 *
 * <p>A row with another number of cells than the header, a quote left open, bytes that are not
 * UTF-8, or any row under an unusable header is returned as it is.
 */
final class CsvLines implements LineConverter {
    /** The CSV header names that become top-level fields. */
    static final List<String> FIELDS = List.of(
            "event_id",
            "ts",
            "type",
            "user_id",
            "item_id",
            "value",
            "request_id",
            "session_id",
            "category",
            "price",
            "available",
            "tags",
            "segment",
            "locale",
            "interests");
    /** The CSV header names that go under {@code context}. */
    static final List<String> CONTEXT_FIELDS = List.of("lat", "lon", "geo", "device", "os", "tz");

    /** What becomes of a column. */
    private enum Role {
        IGNORED,
        TOP_LEVEL,
        CONTEXT,
        /** A column that is not an event field, written under {@code context} as a custom attribute. */
        ATTRIBUTE
    }

    /** How a field's cell is written. */
    private enum Kind {
        STRING,
        NUMBER,
        BOOLEAN,
        LIST
    }

    private final ContextColumns contextColumns;
    private final LineText text = new LineText();
    private final EventJson json = new EventJson();

    /** The column names, lower-cased; null before the header or when the header is unusable. */
    private String[] columns;
    /** Per column, what becomes of it. */
    private Role[] roles;

    CsvLines(ContextColumns contextColumns) {
        this.contextColumns = contextColumns;
    }

    @Override
    public byte[] convert(byte[] line, boolean first) {
        if (first) {
            readHeader(LineText.lenient(line));
            return null;
        }
        String row = text.strict(line);
        if (row == null || columns == null) {
            return line;
        }
        byte[] out = row(row);
        return out == null ? line : out;
    }

    private void readHeader(String line) {
        List<String> header = CsvCells.columns(line);
        if (header == null) {
            return;
        }
        columns = header.toArray(new String[0]);
        roles = new Role[columns.length];
        for (int i = 0; i < columns.length; i++) {
            roles[i] = FIELDS.contains(columns[i])
                    ? Role.TOP_LEVEL
                    : CONTEXT_FIELDS.contains(columns[i])
                            ? Role.CONTEXT
                            : contextColumns.includes(columns[i]) ? Role.ATTRIBUTE : Role.IGNORED;
        }
    }

    /** The JSON of one CSV row under {@link #columns}, or null when the row does not fit them. */
    private byte[] row(String line) {
        String[] cols = columns;
        List<String> cells = CsvCells.split(line);
        if (cells == null || cells.size() != cols.length) {
            return null;
        }
        return json.object(g -> {
            boolean context = false;
            for (int i = 0; i < cols.length; i++) {
                String cell = cells.get(i);
                if (!cell.isEmpty() && roles[i] == Role.TOP_LEVEL) {
                    writeField(g, cols[i], cell);
                } else if (!cell.isEmpty() && (roles[i] == Role.CONTEXT || roles[i] == Role.ATTRIBUTE)) {
                    context = true;
                }
            }
            if (context) {
                g.writeObjectFieldStart("context");
                for (int i = 0; i < cols.length; i++) {
                    String cell = cells.get(i);
                    if (!cell.isEmpty() && roles[i] == Role.CONTEXT) {
                        writeField(g, cols[i], cell);
                    } else if (!cell.isEmpty() && roles[i] == Role.ATTRIBUTE) {
                        g.writeStringField(cols[i], cell);
                    }
                }
                g.writeEndObject();
            }
        });
    }

    private static void writeField(JsonGenerator g, String name, String cell) throws IOException {
        g.writeFieldName(name);
        switch (kindOf(name)) {
            case NUMBER: {
                String s = cell.strip();
                if (CsvCells.isJsonNumber(s)) {
                    g.writeNumber(s);
                } else {
                    g.writeString(cell);
                }
                break;
            }
            case BOOLEAN: {
                String s = cell.strip();
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                    g.writeBoolean(s.equalsIgnoreCase("true"));
                } else {
                    g.writeString(cell);
                }
                break;
            }
            case LIST:
                g.writeStartArray();
                for (String element : CsvCells.splitList(cell)) {
                    g.writeString(element);
                }
                g.writeEndArray();
                break;
            default:
                g.writeString(cell);
        }
    }

    private static Kind kindOf(String field) {
        switch (field) {
            case "value":
            case "price":
            case "lat":
            case "lon":
                return Kind.NUMBER;
            case "available":
                return Kind.BOOLEAN;
            case "tags":
            case "interests":
                return Kind.LIST;
            default:
                return Kind.STRING;
        }
    }
}
