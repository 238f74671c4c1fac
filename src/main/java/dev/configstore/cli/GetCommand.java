package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.Format;
import java.io.PrintWriter;
import java.util.Locale;
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

    @Option(names = "--format", paramLabel = "F", description = "json (any value, as --json), or for an object:"
            + " yaml, toml, ini, xml or properties")
    String format;

    @Option(names = "--reveal", description = "print a secret's plaintext (needs the keyring; recorded in the"
            + " operation log with the actor)")
    boolean reveal;

    @Override
    public Integer call() {
        if (reveal && revision != null) {
            throw new IllegalArgumentException("--reveal reads the value at head; it does not go with --revision");
        }
        try (ConfigStore store = reveal ? openStore() : openForReading()) { // a reveal is logged: it writes
            JsonNode found = reveal ? store.secrets().reveal(profile, key).orElseThrow(() -> absent(profile, key, null))
                    : value(store, profile, key, revision);
            PrintWriter out = spec.commandLine().getOut();
            Format chosen = format == null ? Format.JSON : Format.parse(format);
            if (chosen == Format.JSON) {
                out.println(Render.value(found, json || format != null));
                return Main.OK;
            }
            if (!(found instanceof ObjectNode subtree)) {
                throw new IllegalArgumentException("--format " + format + " prints an object, and '" + key + "' holds"
                        + " a " + found.getNodeType().name().toLowerCase(Locale.ROOT) + ": use --format json");
            }
            Render.formatted(out, bytes -> store.formats().write(chosen, subtree, bytes));
        }
        return Main.OK;
    }

    /** A key's value at head or at {@code revision} (the console's too). */
    static JsonNode value(ConfigStore store, String document, String key, Long revision) {
        Optional<JsonNode> value = revision == null ? store.find(document, key) : store.findAt(document, key, revision);
        return value.orElseThrow(() -> absent(document, key, revision));
    }

    private static ConfigStoreException absent(String document, String key, Long revision) {
        return new ConfigStoreException(ErrorCode.NOT_FOUND, "key '" + key + "' is not in document '" + document + "'"
                + (revision == null ? "" : " at revision " + revision));
    }
}
