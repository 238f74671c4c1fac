package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.Change;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.format.Format;
import dev.configstore.format.Formats;
import dev.configstore.format.ImportException;
import dev.configstore.format.ImportOptions;
import dev.configstore.format.ImportResult;
import dev.configstore.history.Diff;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance.Source;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.history.JooqHistory;
import dev.configstore.internal.profile.StoreProfiles;
import dev.configstore.internal.read.HeadReads;
import dev.configstore.internal.read.RevisionReads;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.AutomaticPoint;
import dev.configstore.internal.write.Edits;
import dev.configstore.internal.write.Write;
import dev.configstore.internal.write.RevisionWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jooq.DSLContext;

/** Document import and export over the text codecs. Thread-safe. */
public final class StoreFormats implements Formats {

    private final RevisionWriter writer;
    private final HeadReads head;
    private final RevisionReads past;
    private final StoreProfiles profiles;
    private final JooqHistory history;
    /** Made on first use: the YAML, TOML and XML machinery costs a short CLI command tens of milliseconds. */
    private volatile TextFormats codecs;
    private final long maxImportBytes;
    private final StoreArchives archives;

    public StoreFormats(RevisionWriter writer, HeadReads head, RevisionReads past, StoreProfiles profiles,
                 JooqHistory history) {
        this.writer = writer;
        this.head = head;
        this.past = past;
        this.profiles = profiles;
        this.history = history;
        this.maxImportBytes = writer.settings().maxImportBytes();
        this.archives = new StoreArchives(writer, history, this);
    }

    @Override
    public void exportArchive(dev.configstore.format.ArchiveKind kind, OutputStream out,
                              dev.configstore.format.ArchiveContent content) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(content, "content");
        archives.export(kind, out, content == dev.configstore.format.ArchiveContent.FULL_HISTORY);
    }

    @Override
    public dev.configstore.format.ArchiveResult importArchive(dev.configstore.format.ArchiveKind kind, InputStream in,
                                                              String source) {
        Objects.requireNonNull(kind, "kind");
        return archives.importArchive(kind, in, source, false);
    }

    @Override
    public dev.configstore.format.ArchiveResult previewArchive(dev.configstore.format.ArchiveKind kind, InputStream in,
                                                               String source) {
        Objects.requireNonNull(kind, "kind");
        return archives.importArchive(kind, in, source, true);
    }

    TextFormats codecs() {
        TextFormats made = codecs;
        if (made == null) {
            synchronized (this) {
                made = codecs;
                if (made == null) {
                    made = new TextFormats(maxImportBytes);
                    codecs = made;
                }
            }
        }
        return made;
    }

    @Override
    public ObjectNode read(Format format, InputStream in, String source) {
        Objects.requireNonNull(format, "format");
        ObjectNode tree = codecs().read(format, in, source);
        validated(tree, source);
        return tree;
    }

    /** Checks the tree against the store's key and nesting rules, naming the source. */
    static Source validated(ObjectNode tree, String source) {
        try {
            return Inheritance.fromTree("(import)", tree);
        } catch (ImportException e) {
            throw e;
        } catch (ConfigStoreException e) {
            throw new ImportException(source, 0, 0, e.getMessage());
        }
    }

    @Override
    public void write(Format format, ObjectNode tree, OutputStream out) {
        Objects.requireNonNull(format, "format");
        try {
            out.write(codecs().write(format, tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void exportDocument(String document, Format format, OutputStream out,
                               dev.configstore.format.ExportOptions options) {
        Objects.requireNonNull(options, "options");
        String name = DocumentNames.check(document);
        boolean resolved = !options.raw();
        Optional<Document> found;
        if (options.revision().isEmpty()) {
            found = resolved ? head.document(name) : profiles.raw(name);
        } else {
            long revision = options.revision().getAsLong();
            found = resolved ? past.document(name, revision) : profiles.raw(name, revision);
        }
        Document content = found.orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + name
                + "' does not exist" + (options.revision().isEmpty() ? "" : " at revision "
                + options.revision().getAsLong())));
        write(format, content.tree(), out);
    }

    @Override
    public ImportResult importDocument(String document, Format format, InputStream in, String source,
                                       ImportOptions options) {
        Objects.requireNonNull(options, "options");
        boolean replace = options.replace();
        boolean dryRun = options.dryRun();
        String name = DocumentNames.check(document);
        ObjectNode tree = codecs().read(format, in, source, options.allowEmpty());
        Source imported = validated(tree, source);
        BiFunction<DSLContext, HeadCache, Edits> edits = (context, head) -> {
            if (replace) {
                return new Edits(List.of(new Change.Replace(name, tree)), Map.of());
            }
            List<Source> chain = head.chain(name);
            ObjectNode merged = Inheritance.merge(imported, chain.isEmpty() ? null : chain.get(0));
            return new Edits(List.of(new Change.Replace(name, merged)), Map.of());
        };
        if (dryRun) {
            List<KeyChange> changes = writer.preview(-1, edits);
            long head = writer.head().revision();
            return new ImportResult(new Diff(head, head, changes), new WriteResult(head, false, 0));
        }
        String operation = replace ? "import-replace" : "import";
        WriteResult write = writer.run(new Write(operation, name, operation + " from " + shorten(source), -1,
                replace ? new AutomaticPoint(name) : null), edits);
        Diff diff = write.changed() ? history.diff(name, write.revision() - 1, write.revision())
                : new Diff(write.revision(), write.revision(), List.of());
        return new ImportResult(diff, write);
    }

    private static String shorten(String source) {
        return source.length() > 200 ? "..." + source.substring(source.length() - 197) : source;
    }
}
