package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.history.History;
import dev.configstore.history.QueryResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", description = "Run one read-only SQL query as a user that may only read, and print the rows.")
final class SqlCommand extends StoreOptions implements Callable<Integer> {

    enum Format { table, json, csv }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @Option(names = "--format", paramLabel = "F", description = "table, json or csv (default table)")
    Format format = Format.table;

    @Option(names = "--limit", paramLabel = "N", description = "at most N rows, 1 to 1000000 (default 1000)")
    int limit = 1000;

    @Option(names = "--timeout", paramLabel = "D", description = "cancel the query after this long, 1s to 1h"
            + " (default 5s)")
    String timeout = "5s";

    @Option(names = "--reader-user", paramLabel = "ROLE", description = "PostgreSQL: the read-only role to run as"
            + " (its password from CONFIGSTORE_READER_PASSWORD); default: a role the store makes itself")
    String readerUser;

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
        switch (format) {
            case json -> spec.commandLine().getOut().println(Render.jsonRows(result.columns(), result.rows()));
            case csv -> spec.commandLine().getOut().print(Render.csv(result.columns(), result.rows()));
            case table -> spec.commandLine().getOut().print(Render.table(result.columns(), result.rows()));
        }
        if (result.truncated()) {
            spec.commandLine().getErr().println("configstore: only the first " + limit + " rows are shown; use --limit");
        }
        return Main.OK;
    }
}
