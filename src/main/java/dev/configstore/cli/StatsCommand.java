package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.health.OperationStats;
import dev.configstore.health.StoreStats;
import dev.configstore.history.RevisionEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stats", description = "Figures: documents, keys, revisions, restore points, size, operations.")
final class StatsCommand extends StoreOptions implements Callable<Integer> {

    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "F", description = "table or json (default table)")
    Format format = Format.table;

    @Override
    public Integer call() {
        StoreStats stats;
        try (ConfigStore store = openStore()) {
            stats = store.health().stats();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Render.json(json(stats)));
            return Main.OK;
        }
        out.println("documents       " + stats.documents() + " (" + stats.profiles() + " profiles)");
        out.println("keys            " + stats.keys());
        out.println("revisions       " + stats.revisions() + stats.first().map(first -> ", " + first.revision() + " ("
                + first.committedAt() + ")").orElse("") + stats.last().map(last -> " to " + last.revision() + " ("
                + last.committedAt() + ")").orElse(""));
        out.println("restore points  " + stats.restorePoints());
        out.println("size on disk    " + (stats.sizeBytes() < 0 ? "unknown (held by another process)"
                : stats.sizeBytes() + " bytes"));
        List<List<String>> rows = new ArrayList<>();
        for (OperationStats operation : stats.operations()) {
            rows.add(List.of(operation.operation(), String.valueOf(operation.count()),
                    operation.byOutcome().toString().replaceAll("[{}]", ""), String.valueOf(operation.p50Micros()),
                    String.valueOf(operation.p95Micros()), String.valueOf(operation.maxMicros())));
        }
        out.print(Render.table(List.of("operation", "count", "outcomes", "p50_us", "p95_us", "max_us"), rows));
        return Main.OK;
    }

    /** Statistics as the documented JSON object (the console's /api/stats too). */
    static ObjectNode json(StoreStats stats) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("documents", stats.documents()).put("profiles", stats.profiles()).put("keys", stats.keys())
                .put("revisions", stats.revisions()).put("restore_points", stats.restorePoints())
                .put("size_bytes", stats.sizeBytes());
        revision(root, "first_revision", stats.first());
        revision(root, "last_revision", stats.last());
        ObjectNode operations = root.putObject("operations");
        for (OperationStats operation : stats.operations()) {
            ObjectNode node = operations.putObject(operation.operation()).put("count", operation.count())
                    .put("p50_micros", operation.p50Micros()).put("p95_micros", operation.p95Micros())
                    .put("max_micros", operation.maxMicros());
            ObjectNode outcomes = node.putObject("outcomes");
            operation.byOutcome().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(entry -> outcomes.put(entry.getKey(), entry.getValue()));
        }
        return root;
    }

    private static void revision(ObjectNode root, String field, Optional<RevisionEntry> entry) {
        entry.ifPresent(revision -> root.putObject(field).put("revision", revision.revision())
                .put("committed_at", revision.committedAt().toString()).put("actor", revision.actor()));
    }
}
