package io.desire.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report's JSON form: record components in declaration order, named in snake case, indented. A
 * record with no component (parameters of a model without any) is an empty object.
 */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    static void write(EvalReport report, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), report);
    }

    /** A record as the JSON names its fields, in order: a grid row of the HTML's tuning tables. */
    static Map<String, Object> fields(Object value) {
        return MAPPER.convertValue(value, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /** {@code {name=value, …}} with the JSON's names: how figures are printed on the console. */
    static String flat(Object value) {
        return fields(value).toString();
    }
}
