package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ArchiveResult;
import dev.configstore.format.Format;
import java.util.Optional;
import dev.configstore.format.ImportOptions;
import dev.configstore.format.ImportResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Read FILE ('-' for stdin) into a document: merged (default) or replacing it.")
final class ImportCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    @Option(names = "--format", paramLabel = "F", description = "json, yaml, toml, ini, xml or properties"
            + " (default: from the extension)")
    String format;

    @Option(names = "--profile", paramLabel = "P", description = "the document (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--replace", description = "replace the document (an automatic restore point keeps it)")
    boolean replace;

    @Option(names = "--dry-run", description = "print what would change and write nothing")
    boolean dryRun;

    @Option(names = "--allow-empty", description = "import a file that holds no document (empty, whitespace only, no"
            + " keys) as an empty document; refused without it")
    boolean allowEmpty;

    @Override
    public Integer call() throws IOException {
        Optional<ArchiveKind> archive = format == null ? ArchiveKind.fromFileName(file) : Optional.empty();
        if (archive.isPresent()) {
            return importArchive(archive.get());
        }
        Format chosen = format != null ? Format.parse(format) : Format.fromFileName(file).orElseThrow(() ->
                new IllegalArgumentException("cannot tell the format of '" + file + "' from its extension; give"
                        + " --format"));
        PrintWriter out = spec.commandLine().getOut();
        try (ConfigStore store = openStore(); InputStream source = open(file);
             Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "reading " + file, "bytes",
                     size(file))) {
            ImportResult result = store.formats().importDocument(profile, chosen, progress.reading(source),
                    file.equals("-") ? "stdin" : file, new ImportOptions(replace, dryRun, allowEmpty));
            DiffCommand.print(result.diff(), false, out);
            if (dryRun) {
                out.println("dry run: " + result.diff().changes().size() + " key changes, nothing written");
            } else if (result.write().changed()) {
                out.println("imported into '" + profile + "' at revision " + result.write().revision());
                if (replace) {
                    ProfileCommand.reportAutomaticPoint(store, result.write(), out);
                }
            } else {
                out.println("unchanged at revision " + result.write().revision());
            }
        }
        return Main.OK;
    }

    private int importArchive(ArchiveKind kind) throws IOException {
        if (replace || !profile.equals(ConfigStore.MAIN_DOCUMENT)) {
            throw new IllegalArgumentException("an archive holds the whole store: --replace and --profile do not apply");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ConfigStore store = openStore(); InputStream raw = open(file);
             Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "reading " + file, "bytes",
                     size(file))) {
            InputStream in = progress.reading(raw);
            ArchiveResult result = dryRun ? store.formats().previewArchive(kind, in, file)
                    : store.formats().importArchive(kind, in, file);
            if (result.wholeStore()) {
                out.println((dryRun ? "would restore " : "restored ") + result.documents() + " documents, "
                        + result.revisions() + " revisions and " + result.restorePoints() + " restore points"
                        + (dryRun ? "" : "; head revision " + result.revision()));
            } else {
                DiffCommand.print(result.diff(), true, out);
                out.println((dryRun ? "would merge " : "merged ") + result.documents() + " documents"
                        + (dryRun ? "" : " at revision " + result.revision()));
            }
            result.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
        }
        return Main.OK;
    }

    /** The file's size, or 0 for stdin or when it cannot be told. */
    private static long size(String file) {
        try {
            return file.equals("-") ? 0 : Files.size(Path.of(file));
        } catch (IOException e) {
            return 0;
        }
    }

    static InputStream open(String file) throws IOException {
        if (file.equals("-")) {
            return System.in;
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "file '" + file + "' does not exist");
        }
    }
}
