package dev.configstore.format;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which state of a document an export writes. Immutable; start from {@link #head()} and change
 * one setting at a time.
 *
 * @param revision the revision to export, or empty for the head
 * @param raw the document's own keys only, instead of resolved through the documents it extends
 */
public record ExportOptions(OptionalLong revision, boolean raw) {

    /**
     * Validates the fields.
     *
     * @param revision the revision to export, or empty for the head
     * @param raw the document's own keys only, instead of resolved through the documents it extends
     */
    public ExportOptions {
        Objects.requireNonNull(revision, "revision");
        if (revision.isPresent() && revision.getAsLong() < 0) {
            throw new IllegalArgumentException("revision must be >= 0, was " + revision.getAsLong());
        }
    }

    /**
     * The document at head, resolved through its parents.
     *
     * @return the default options
     */
    public static ExportOptions head() {
        return new ExportOptions(OptionalLong.empty(), false);
    }

    /**
     * Returns these options at a revision.
     *
     * @param value the revision, at least 0
     * @return the changed options
     */
    public ExportOptions atRevision(long value) {
        return new ExportOptions(OptionalLong.of(value), raw);
    }

    /**
     * Returns these options with the document's own keys only, or resolved.
     *
     * @param value whether to leave out what the document inherits
     * @return the changed options
     */
    public ExportOptions withRaw(boolean value) {
        return new ExportOptions(revision, value);
    }
}
