package dev.configstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** How the CLI prints values and tables. */
final class Render {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private Render() {
    }

    /**
     * Prints what {@code write} writes (a document in one of the store's formats) to {@code out}
     * as one piece of UTF-8 text, so nothing reaches stdout when writing fails half-way.
     */
    static void formatted(PrintWriter out, Consumer<OutputStream> write) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write.accept(bytes);
        out.print(bytes.toString(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Scalars raw (a string without quotes, null as "null"), objects and arrays as JSON. */
    static String value(JsonNode value, boolean asJson) {
        if (!asJson && value.isValueNode() && !value.isNull()) {
            return value.asText();
        }
        return json(value);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String compact(JsonNode value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain text table with a header row, columns padded to their widest cell. */
    static String table(List<String> columns, List<List<String>> rows) {
        int[] widths = new int[columns.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(columns);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row.get(i)).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                String cell = cell(row.get(i));
                text.append(cell);
                if (i < widths.length - 1) {
                    text.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String cell(String value) {
        return value == null ? "NULL" : value.replace('\n', ' ');
    }
}
