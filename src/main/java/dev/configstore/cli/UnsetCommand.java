package dev.configstore.cli;

import dev.configstore.ConfigStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "unset", description = "Remove a key and everything below it (exit 3 if it is not there).")
final class UnsetCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--profile", paramLabel = "P", description = "the document to change (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        try (ConfigStore store = openStore()) {
            write.commit(store.batch().unset(profile, key), spec.commandLine().getOut());
        }
        return Main.OK;
    }
}
