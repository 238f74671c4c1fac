package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.history.QueryResult;
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

    @Option(names = "--limit", paramLabel = "N", description = "at most N rows (default 1000)")
    int limit = 1000;

    @Override
    public Integer call() {
        QueryResult result;
        try (ConfigStore store = openStore()) {
            result = store.history().query(query, limit);
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
