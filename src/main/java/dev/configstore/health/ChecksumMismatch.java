package dev.configstore.health;

import java.util.Objects;

/**
 * A document revision whose stored checksum does not match the one recomputed from its rows.
 *
 * @param document the document
 * @param revision the revision
 * @param expected the checksum stored when the revision was written
 * @param actual the checksum recomputed now
 * @param detail what else was found wrong (key count, unreadable value), or an empty string
 */
public record ChecksumMismatch(String document, long revision, String expected, String actual, String detail) {

    /**
     * Validates the fields.
     *
     * @param document the document
     * @param revision the revision
     * @param expected the checksum stored when the revision was written
     * @param actual the checksum recomputed now
     * @param detail what else was found wrong (key count, unreadable value), or an empty string
     */
    public ChecksumMismatch {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(detail, "detail");
    }
}
