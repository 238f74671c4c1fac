package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.history.History;
import dev.configstore.history.QueryResult;
import java.sql.JDBCType;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", description = "Run one read-only SQL query as a user that may only read, and print the rows.")
final class SqlCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @Option(names = "--format", paramLabel = "F", description = "table, json or csv (default table)")
    Rows.Format format = Rows.Format.table;

    @Option(names = "--limit", paramLabel = "N", description = "at most N rows, 1 to 1000000 (default 1000)")
    int limit = 1000;

    @Option(names = "--timeout", paramLabel = "D", description = "cancel the query after this long, 1s to 1h"
            + " (default 5s)")
    String timeout = "5s";

    @Option(names = "--reader-user", paramLabel = "ROLE", description = "PostgreSQL: the read-only role to run as"
            + " (its password from CONFIGSTORE_READER_PASSWORD); default: a role the store makes itself")
    String readerUser;

    /** A value as its column's JDBC type has it: numbers and booleans as such, everything else as text. */
    static Object typed(String text, JDBCType type) {
        if (text == null) {
            return null;
        }
        try {
            return switch (type) {
                case TINYINT, SMALLINT, INTEGER, BIGINT -> new java.math.BigInteger(text.trim());
                case DECIMAL, NUMERIC, REAL, FLOAT, DOUBLE -> new java.math.BigDecimal(text.trim());
                case BOOLEAN, BIT -> text.equalsIgnoreCase("true") || text.equals("t") || text.equals("1");
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text; // NaN, Infinity: no JSON number, so the text
        }
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > History.MAX_QUERY_ROWS) {
            throw new IllegalArgumentException("--limit must be 1.." + History.MAX_QUERY_ROWS + ", was " + limit);
        }
        Duration cancelAfter = Durations.parse("--timeout", timeout);
        QueryResult result;
        try (ConfigStore store = StoreOptions.open(main, builder -> {
            if (readerUser != null) {
                builder.sqlReader(readerUser, main.environment.getOrDefault("CONFIGSTORE_READER_PASSWORD", ""));
            }
        })) {
            result = store.history().query(query, limit, cancelAfter);
        }
        Rows rows = new Rows(result.columns(), List.of());
        for (List<String> row : result.rows()) {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = typed(row.get(i), result.columnTypes().get(i));
            }
            rows = rows.add(cells);
        }
        rows.print(spec.commandLine().getOut(), format);
        if (result.truncated()) {
            spec.commandLine().getErr().println("configstore: only the first " + limit + " rows are shown; use --limit");
        }
        return Main.OK;
    }
}
