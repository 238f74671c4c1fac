package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a command prints as rows, with typed cells, and the three ways to print them: a text
 * table, JSON (an array of objects keyed by column, numbers, booleans and nulls as JSON values,
 * stored values as the JSON they are) and CSV (RFC 4180, written by Jackson's CSV module).
 *
 * <p>A cell is null (SQL NULL: {@code NULL} in a table, null in JSON, empty in CSV), an empty
 * {@link Optional} (no value, such as the old value of an added key: empty in a table and in
 * CSV, null in JSON), a {@link JsonNode}, a number, a boolean, a time, or text.
 */
record Rows(List<String> columns, List<List<Object>> values) {

    enum Format { table, json, csv }

    /** A cell that reads differently in JSON and in text: {@code (store)} in a table, null in JSON. */
    record Shown(Object json, String text) {
    }

    private static final CsvMapper CSV = new CsvMapper();

    Rows {
        columns = List.copyOf(columns);
        values = List.copyOf(values);
    }

    static Rows of(String... columns) {
        return new Rows(List.of(columns), new ArrayList<>());
    }

    /** Adds a row; the cells in column order. */
    Rows add(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        List<List<Object>> more = new ArrayList<>(values);
        List<Object> row = new ArrayList<>(cells.length);
        java.util.Collections.addAll(row, cells);
        more.add(row);
        return new Rows(columns, more);
    }

    void print(PrintWriter out, Format format) {
        switch (format) {
            case json -> out.println(Render.json(json()));
            case csv -> out.print(csv());
            case table -> out.print(Render.table(columns, text(true)));
        }
    }

    ArrayNode json() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (List<Object> row : values) {
            ObjectNode object = array.addObject();
            for (int i = 0; i < columns.size(); i++) {
                object.set(columns.get(i), json(row.get(i)));
            }
        }
        return array;
    }

    static JsonNode json(Object cell) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (cell == null || (cell instanceof Optional<?> optional && optional.isEmpty())) {
            return nodes.nullNode();
        }
        if (cell instanceof Optional<?> optional) {
            return json(optional.get());
        }
        if (cell instanceof Shown shown) {
            return json(shown.json());
        }
        if (cell instanceof JsonNode node) {
            return node;
        }
        if (cell instanceof java.util.Collection<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(element -> array.add(json(element)));
            return array;
        }
        if (cell instanceof Boolean flag) {
            return nodes.booleanNode(flag);
        }
        if (cell instanceof Integer || cell instanceof Long || cell instanceof Short) {
            return nodes.numberNode(((Number) cell).longValue());
        }
        if (cell instanceof BigInteger number) {
            return nodes.numberNode(number);
        }
        if (cell instanceof BigDecimal number) {
            return nodes.numberNode(number);
        }
        if (cell instanceof Number number) {
            return nodes.numberNode(number.doubleValue());
        }
        return nodes.textNode(text(cell, false));
    }

    private List<List<String>> text(boolean table) {
        List<List<String>> text = new ArrayList<>();
        for (List<Object> row : values) {
            List<String> cells = new ArrayList<>();
            for (Object cell : row) {
                cells.add(cell == null ? (table ? null : "") : text(cell, table));
            }
            text.add(cells);
        }
        return text;
    }

    /** A cell as text: a stored value's scalar raw and a container as compact JSON; no value is empty. */
    static String text(Object cell, boolean table) {
        if (cell instanceof Optional<?> optional) {
            return optional.isEmpty() ? "" : text(optional.get(), table);
        }
        if (cell instanceof JsonNode node) {
            return Render.compact(node);
        }
        if (cell instanceof Shown shown) {
            return shown.text();
        }
        if (cell instanceof Instant || cell instanceof TemporalAccessor) {
            return cell.toString();
        }
        return String.valueOf(cell);
    }

    String csv() {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
        columns.forEach(schema::addColumn);
        try {
            return CSV.writer(schema.build()).writeValueAsString(text(false));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
