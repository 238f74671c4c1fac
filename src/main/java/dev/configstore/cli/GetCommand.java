package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Print a value: scalars raw, objects and arrays as JSON.")
final class GetCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--profile", paramLabel = "P", description = "the document to read (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--revision", paramLabel = "N", description = "read as of this revision")
    Long revision;

    @Option(names = "--json", description = "print scalars as JSON too (strings quoted)")
    boolean json;

    @Override
    public Integer call() {
        try (ConfigStore store = openStore()) {
            Optional<JsonNode> value = revision == null ? store.find(profile, key)
                    : store.findAt(profile, key, revision);
            JsonNode found = value.orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND,
                    "key '" + key + "' is not in document '" + profile + "'"
                            + (revision == null ? "" : " at revision " + revision)));
            spec.commandLine().getOut().println(Render.value(found, json));
        }
        return Main.OK;
    }
}
