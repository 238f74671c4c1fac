package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.health.HealthLevel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "init", description = "Create the store (idempotent).")
final class InitCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ConfigStore store = openStore()) {
            spec.commandLine().getOut().println("store ready at revision " + store.revision());
            // init also sets up what a store needs beside its data: the read-only SQL user
            store.health().check().findings().stream()
                    .filter(finding -> finding.check().equals("sql-reader") && finding.level() != HealthLevel.OK)
                    .forEach(finding -> spec.commandLine().getErr().println("note: " + finding.message()));
        }
        return Main.OK;
    }
}
