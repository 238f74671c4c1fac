package dev.configstore.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The rows of a read-only SQL query, every value rendered as text ({@code null} stays
 * {@code null}). Immutable.
 *
 * @param columns the column labels, in order
 * @param rows the rows; each has one entry per column
 * @param truncated whether more rows existed than the limit allowed
 */
public record QueryResult(List<String> columns, List<List<String>> rows, boolean truncated) {

    /** Validates and copies the fields; row values may be {@code null}. */
    public QueryResult {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        List<List<String>> copied = new ArrayList<>();
        for (List<String> row : Objects.requireNonNull(rows, "rows")) {
            copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copied);
    }
}
