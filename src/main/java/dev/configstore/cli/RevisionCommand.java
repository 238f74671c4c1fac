package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "revision", description = "Print the store's head revision number.")
final class RevisionCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hash", description = "print the head revision's chain hash instead: written down elsewhere (a"
            + " ticket, a deploy log), 'verify --anchor REVISION:HASH' proves later that the history up to it is"
            + " unchanged")
    boolean hash;

    @Option(names = "--format", paramLabel = "F", description = "text (default) or json: the revision and its hash")
    String format = "text";

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--format is text or json, was '" + format + "'");
        }
        try (ConfigStore store = openForReading()) {
            long revision = store.revision();
            String chainHash = revision == 0 ? null : store.health().chainHash(revision).orElseThrow(() ->
                    new ConfigStoreException(ErrorCode.STORE_DAMAGED, "revision " + revision + " has no chain hash;"
                            + " run verify --chain"));
            if (format.equals("json")) {
                ObjectNode out = JsonNodeFactory.instance.objectNode().put("revision", revision).put("hash", chainHash);
                spec.commandLine().getOut().println(Render.json(out));
            } else if (hash) {
                if (chainHash == null) {
                    throw new ConfigStoreException(ErrorCode.NOT_FOUND, "the store has no revision yet, so no chain"
                            + " hash");
                }
                spec.commandLine().getOut().println(chainHash);
            } else {
                spec.commandLine().getOut().println(revision);
            }
        }
        return Main.OK;
    }
}
