package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.format.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", description = "Write a document to FILE ('-' for stdout) in the format of its extension.")
final class ExportCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    @Option(names = "--format", paramLabel = "F", description = "json, yaml, toml, ini, xml or properties"
            + " (default: from the extension; json when it is unknown)")
    String format;

    @Option(names = "--profile", paramLabel = "P", description = "the document (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--revision", paramLabel = "N", description = "as of this revision")
    Long revision;

    @Option(names = "--raw", description = "only the document's own keys, not what it inherits")
    boolean raw;

    @Override
    public Integer call() throws IOException {
        Format chosen = format != null ? Format.parse(format) : Format.fromFileName(file).orElse(Format.JSON);
        try (ConfigStore store = openStore()) {
            if (file.equals("-")) {
                OutputStream out = System.out;
                store.formats().exportDocument(profile, revision == null ? -1 : revision, !raw, chosen, out);
                out.flush();
                return Main.OK;
            }
            // write next to the target and move it in place, so a failed export leaves no half file
            Path target = Path.of(file).toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), ".export-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    store.formats().exportDocument(profile, revision == null ? -1 : revision, !raw, chosen, out);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            spec.commandLine().getErr().println("exported '" + profile + "' as " + chosen.name().toLowerCase(
                    java.util.Locale.ROOT) + " to " + file);
        }
        return Main.OK;
    }
}
