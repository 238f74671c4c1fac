package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import dev.configstore.format.ExportOptions;
import dev.configstore.format.Format;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Print a whole document as JSON, resolved through the profiles it extends.")
final class ShowCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "P", description = "the document to print (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--revision", paramLabel = "N", description = "as of this revision")
    Long revision;

    @Option(names = "--raw", description = "only the document's own keys, not what it inherits")
    boolean raw;

    @Option(names = "--explain", description = "for every resolved key, the document that supplied it and the revision")
    boolean explain;

    @Option(names = "--format", paramLabel = "F", description = "the document as json (default), yaml, toml, ini,"
            + " xml or properties; with --explain: table (default), json or csv")
    String format;

    @Option(names = "--with-defaults", description = "fill in the defaults the document's JSON Schema declares for"
            + " keys it does not have")
    boolean withDefaults;

    @Override
    public Integer call() {
        try (ConfigStore store = openForReading()) {
            if (withDefaults) {
                printWithDefaults(store);
            } else {
                print(store, profile, revision, raw, explain, format, spec);
            }
        }
        return Main.OK;
    }

    private void printWithDefaults(ConfigStore store) {
        if (raw || explain || revision != null) {
            throw new IllegalArgumentException("--with-defaults shows the resolved document at head; it does not go"
                    + " with --raw, --explain or --revision");
        }
        Document document = store.document(profile).orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND,
                "document '" + profile + "' does not exist"));
        var tree = store.schemas().withDefaults(profile, document.tree());
        if (format == null || format.equalsIgnoreCase("json")) {
            spec.commandLine().getOut().println(Render.json(tree));
        } else {
            Format chosen = Format.parse(format);
            Render.formatted(spec.commandLine().getOut(), bytes -> store.formats().write(chosen, tree, bytes));
        }
    }

    /** Shared with {@code profile show}. */
    static void print(ConfigStore store, String name, Long revision, boolean raw, boolean explain, String format,
                      CommandSpec spec) {
        if (explain) {
            if (raw || revision != null) {
                throw new IllegalArgumentException("--explain shows the resolved document at head; it does not go"
                        + " with --raw or --revision");
            }
            Rows.Format rows;
            try {
                rows = format == null ? Rows.Format.table : Rows.Format.valueOf(format.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--format with --explain is table, json or csv, was '" + format + "'");
            }
            ProfileCommand.explain(store, name).print(spec.commandLine().getOut(), rows);
            return;
        }
        if (format != null && !format.equalsIgnoreCase("json")) {
            Format chosen = Format.parse(format);
            ExportOptions options = (revision == null ? ExportOptions.head() : ExportOptions.head().atRevision(revision))
                    .withRaw(raw);
            Render.formatted(spec.commandLine().getOut(),
                    bytes -> store.formats().exportDocument(name, chosen, bytes, options));
            return;
        }
        spec.commandLine().getOut().println(Render.json(document(store, name, revision, raw).tree()));
    }

    /** The document, resolved or {@code raw}, at head or at {@code revision} (the console's too). */
    static Document document(ConfigStore store, String name, Long revision, boolean raw) {
        Optional<Document> found;
        if (raw) {
            found = revision == null ? store.profiles().raw(name) : store.profiles().raw(name, revision);
        } else {
            found = revision == null ? store.document(name) : store.document(name, revision);
        }
        return found.orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + name
                + "' does not exist" + (revision == null ? "" : " at revision " + revision)));
    }
}
