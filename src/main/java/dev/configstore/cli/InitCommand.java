package dev.configstore.cli;

import dev.configstore.ConfigStore;
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
        }
        return Main.OK;
    }
}
