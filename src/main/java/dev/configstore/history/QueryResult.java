package dev.configstore.history;

import java.sql.JDBCType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The rows of a read-only SQL query, every value rendered as text ({@code null} stays
 * {@code null}), with each column's JDBC type so a caller can turn the text back into the
 * number or boolean it was. Immutable.
 *
 * @param columns the column labels, in order
 * @param columnTypes the JDBC type of each column, in order ({@link JDBCType#OTHER} where the
 *     driver names none the JDK knows)
 * @param rows the rows; each has one entry per column
 * @param truncated whether more rows existed than the limit allowed
 */
public record QueryResult(List<String> columns, List<JDBCType> columnTypes, List<List<String>> rows,
                          boolean truncated) {

    /**
     * Validates the fields.
     *
     * @param columns the column labels, in order
     * @param columnTypes the JDBC type of each column, in order ({@link JDBCType#OTHER} where the
     *     driver names none the JDK knows)
     * @param rows the rows; each has one entry per column
     * @param truncated whether more rows existed than the limit allowed
     */
    public QueryResult {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        columnTypes = List.copyOf(Objects.requireNonNull(columnTypes, "columnTypes"));
        if (columnTypes.size() != columns.size()) {
            throw new IllegalArgumentException(columnTypes.size() + " types for " + columns.size() + " columns");
        }
        List<List<String>> copied = new ArrayList<>();
        for (List<String> row : Objects.requireNonNull(rows, "rows")) {
            copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copied);
    }
}
