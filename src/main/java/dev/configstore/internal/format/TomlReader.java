package dev.configstore.internal.format;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.tomlj.TomlVersion;

/**
 * Reads TOML 1.0 with tomlj, which checks what the specification requires and Jackson's TOML
 * reader does not: every date, time and offset is a real one, a table is defined once (by a
 * header, by dotted keys or inline, never two of them), integers fit in 64 bits. Values map to
 * JSON as the fidelity table says: integers exactly, floats as the binary64 values TOML defines
 * them to be (written in their shortest decimal form), infinity and NaN refused with their line,
 * dates and times as RFC 3339 text.
 */
final class TomlReader {

    private static final JsonNodeFactory NODES = Json.NODES;

    private TomlReader() {
    }

    static ObjectNode read(String text, String source) {
        TomlParseResult result = Toml.parse(text, TomlVersion.V1_0_0);
        if (result.hasErrors()) {
            TomlParseError first = result.errors().get(0);
            TomlPosition at = first.position();
            String message = first.getMessage() == null ? first.toString() : first.getMessage();
            throw new ImportException(source, at == null ? 0 : at.line(), at == null ? 0 : at.column(), message);
        }
        return table(result, result, new ArrayList<>(), source);
    }

    private static ObjectNode table(TomlTable root, TomlTable table, List<String> path, String source) {
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<String, Object> entry : table.entrySet()) {
            List<String> at = new ArrayList<>(path);
            at.add(entry.getKey());
            String problem = Json.keyProblem(entry.getKey());
            if (problem != null) {
                TomlPosition position = root.inputPositionOf(at);
                throw new ImportException(source, position == null ? 0 : position.line(),
                        position == null ? 0 : position.column(), problem);
            }
            object.set(entry.getKey(), value(root, entry.getValue(), at, source));
        }
        return object;
    }

    private static JsonNode value(TomlTable root, Object value, List<String> path, String source) {
        if (value instanceof TomlTable nested) {
            return table(root, nested, path, source);
        }
        if (value instanceof TomlArray array) {
            ArrayNode elements = NODES.arrayNode();
            for (int i = 0; i < array.size(); i++) {
                elements.add(value(root, array.get(i), path, source));
            }
            return elements;
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Long number) {
            return number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? NODES.numberNode(number.intValue())
                    : NODES.numberNode(number);
        }
        if (value instanceof Double number) {
            if (number.isNaN() || number.isInfinite()) {
                TomlPosition at = root.inputPositionOf(path);
                throw new ImportException(source, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                        "'" + String.join(".", path) + "' is " + number + ", not a number the store can hold"
                                + " (infinity and NaN are not JSON numbers); quote it to keep it as text");
            }
            return NODES.numberNode(shortest(number));
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof OffsetDateTime time) {
            return NODES.textNode(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
        }
        if (value instanceof LocalDateTime time) {
            return NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time));
        }
        if (value instanceof LocalDate date) {
            return NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE.format(date));
        }
        if (value instanceof LocalTime time) {
            return NODES.textNode(DateTimeFormatter.ISO_LOCAL_TIME.format(time));
        }
        throw new ImportException(source, 0, 0, "'" + String.join(".", path) + "' holds a TOML value of an"
                + " unknown kind (" + value.getClass().getSimpleName() + ")");
    }

    /**
     * The shortest decimal that reads back as {@code value}. Java 17's {@code Double.toString}
     * (and so {@code BigDecimal.valueOf}) is not always shortest: it writes 5e22 as
     * 4.9999999999999996E22 (JDK-4511638, fixed in Java 19); Jackson's Schubfach writer is.
     */
    static BigDecimal shortest(double value) {
        return new BigDecimal(NumberOutput.toString(value, true));
    }
}
