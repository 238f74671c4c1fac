package dev.configstore.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStoreException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Import and export of documents and whole stores. Input is validated completely before
 * anything is written; one document import is one revision. Thread-safe.
 *
 * <p>Limits on input: {@link dev.configstore.ConfigStoreBuilder#maxImportBytes(long)} bytes per
 * file or archive member, UTF-8 only, nesting at most 64 levels, YAML aliases bounded by what they
 * expand to, and no XML entity declarations. Archives are bounded in entries, total size and compression ratio; see the
 * README.
 */
public interface Formats {

    /**
     * Parses a file into a document tree without touching the store.
     *
     * @param format the format
     * @param in the bytes (not closed)
     * @param source the name to use in errors (a file name, {@code stdin}, ...)
     * @return the tree
     * @throws ImportException if the input is malformed, too large or hostile
     */
    ObjectNode read(Format format, InputStream in, String source);

    /**
     * Writes a document tree in a format.
     *
     * @param format the format
     * @param tree the tree
     * @param out where to write (not closed)
     * @throws ConfigStoreException with {@code INVALID_INPUT} if the format cannot express the
     *     tree (an XML element name, a null inside a TOML array)
     */
    void write(Format format, ObjectNode tree, OutputStream out);

    /**
     * Exports a document at head or at a revision, resolved through its parents or raw.
     *
     * @param document the document
     * @param format the format
     * @param out where to write (not closed)
     * @param options the revision (default: head) and whether to leave out what it inherits
     * @throws ConfigStoreException with {@code NOT_FOUND} if the document or revision does not exist
     */
    void exportDocument(String document, Format format, OutputStream out, ExportOptions options);

    /**
     * Imports a file into a document as the options say: merged (objects merge key by key, the
     * file wins) or replacing the document after an automatic restore point, for real or as a
     * dry run. Input that holds no document is refused unless the options allow it.
     *
     * @param document the document, created if missing
     * @param format the format
     * @param in the bytes (not closed)
     * @param source the name to use in errors
     * @param options replace or merge, dry run, empty input
     * @return the changes and the revision
     * @throws ImportException if the input is empty, malformed, too large or hostile
     */
    ImportResult importDocument(String document, Format format, InputStream in, String source, ImportOptions options);

    /**
     * Writes the whole store as an archive: every document with its metadata, the restore
     * points, the rows behind them (every revision, or the head and the pinned revisions) and a
     * manifest with the SHA-256 of every member.
     *
     * @param kind ZIP or TAR.GZ
     * @param out where to write (not closed)
     * @param content every revision, or the head and the pinned ones
     */
    void exportArchive(ArchiveKind kind, OutputStream out, ArchiveContent content);

    /**
     * Reads an archive: the manifest is checked against every member before anything is
     * written. Into an empty store the archive is restored whole, with its revision numbers,
     * history and restore points (this is how a store moves between H2 and PostgreSQL); into a
     * store with revisions its documents are merged (the archive wins) in one revision.
     *
     * @param kind ZIP or TAR.GZ
     * @param in the bytes (not closed)
     * @param source the name to use in errors
     * @return what was done
     * @throws ImportException if the archive is damaged, hostile or over the limits
     */
    ArchiveResult importArchive(ArchiveKind kind, InputStream in, String source);

    /**
     * Checks an archive as {@link #importArchive} would, restoring it whole inside a transaction
     * that is rolled back, or planning the merge, and reports what an import would do. Writes
     * nothing.
     *
     * @param kind ZIP or TAR.GZ
     * @param in the bytes (not closed)
     * @param source the name to use in errors
     * @return what an import would do
     * @throws ImportException if the archive is damaged, hostile or over the limits
     */
    ArchiveResult previewArchive(ArchiveKind kind, InputStream in, String source);
}
