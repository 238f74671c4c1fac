package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ExportOptions;
import dev.configstore.format.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
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

    @Option(names = "--with-history", description = "for a .zip or .tar.gz archive: every revision, not only the"
            + " head and the pinned ones")
    boolean withHistory;

    @Override
    public Integer call() throws IOException {
        Optional<ArchiveKind> archive = format == null ? ArchiveKind.fromFileName(file) : Optional.empty();
        Format chosen = format != null ? Format.parse(format) : Format.fromFileName(file).orElse(Format.JSON);
        if (archive.isEmpty() && withHistory) {
            throw new IllegalArgumentException("--with-history goes with a .zip or .tar.gz archive");
        }
        if (revision != null && revision < 0) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " does not exist; revisions"
                    + " start at 0 (leave --revision out for the head)");
        }
        if (revision != null && archive.isPresent()) {
            throw new IllegalArgumentException("--revision goes with a document export; an archive holds the whole"
                    + " store");
        }
        ExportOptions options = revision == null ? ExportOptions.head().withRaw(raw)
                : ExportOptions.head().atRevision(revision).withRaw(raw);
        try (ConfigStore store = openStore()) {
            if (archive.isPresent()) {
                try (Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "writing " + file, "bytes",
                        0)) {
                    writeAtomically(file, out -> store.formats().exportArchive(archive.get(), progress.writing(out),
                            withHistory ? ArchiveContent.FULL_HISTORY : ArchiveContent.HEAD));
                }
                spec.commandLine().getErr().println("exported the store" + (withHistory ? " with its history" : "")
                        + " to " + file);
                return Main.OK;
            }
            if (file.equals("-")) {
                OutputStream out = System.out;
                store.formats().exportDocument(profile, chosen, out, options);
                out.flush();
                return Main.OK;
            }
            writeAtomically(file, out -> store.formats().exportDocument(profile, chosen, out, options));
            spec.commandLine().getErr().println("exported '" + profile + "' as " + chosen.name().toLowerCase(
                    java.util.Locale.ROOT) + " to " + file);
        }
        return Main.OK;
    }

    interface Writing {
        void to(OutputStream out) throws IOException;
    }

    /**
     * Writes next to the target, forces the bytes to the disk, moves the file in place and forces
     * the directory: a failed export leaves no half file, and once the command has returned the
     * export survives a power loss, as the store's own writes do.
     */
    static void writeAtomically(String file, Writing writing) throws IOException {
        Path target = Path.of(file).toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), ".export-", ".tmp");
        try {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel),
                         1 << 16)) {
                writing.to(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes a rename in a directory durable; where the platform cannot open a directory, nothing. */
    private static void forceDirectory(Path directory) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(directory,
                java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (java.nio.file.AccessDeniedException | UnsupportedOperationException e) {
            // Windows cannot open a directory this way; its rename is already journaled by NTFS
        }
    }
}
