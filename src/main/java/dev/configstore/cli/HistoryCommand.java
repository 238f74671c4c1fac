package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.history.HistoryEntry;
import dev.configstore.history.RevisionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history", description = "Revisions, newest first; with --key, that key's changes.")
final class HistoryCommand extends StoreOptions implements Callable<Integer> {

    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--key", paramLabel = "K", description = "only changes of this key and below")
    String key;

    @Option(names = "--profile", paramLabel = "P", description = "the document of --key (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--limit", paramLabel = "N", description = "at most N entries (default 20)")
    int limit = 20;

    @Option(names = "--format", paramLabel = "F", description = "table or json (default table)")
    Format format = Format.table;

    @Override
    public Integer call() {
        List<String> columns;
        List<List<String>> rows = new ArrayList<>();
        try (ConfigStore store = openStore()) {
            if (key == null) {
                columns = List.of("revision", "committed_at", "actor", "operation", "message");
                for (RevisionEntry entry : store.history().revisions(limit)) {
                    rows.add(List.of(String.valueOf(entry.revision()), entry.committedAt().toString(), entry.actor(),
                            entry.operation(), entry.message().orElse("")));
                }
            } else {
                columns = List.of("revision", "committed_at", "actor", "key", "change", "old_value", "new_value");
                for (HistoryEntry entry : store.history().ofKey(profile, key, limit)) {
                    rows.add(List.of(String.valueOf(entry.revision().revision()),
                            entry.revision().committedAt().toString(), entry.revision().actor(),
                            entry.change().key().toString(), entry.change().kind().name(),
                            entry.change().oldValue().map(Render::compact).orElse(""),
                            entry.change().newValue().map(Render::compact).orElse("")));
                }
            }
        }
        if (format == Format.json) {
            spec.commandLine().getOut().println(Render.jsonRows(columns, rows));
        } else {
            spec.commandLine().getOut().print(Render.table(columns, rows));
        }
        return Main.OK;
    }

}
