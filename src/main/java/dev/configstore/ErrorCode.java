package dev.configstore;

/**
 * Why an operation failed; every {@link ConfigStoreException} carries one.
 */
public enum ErrorCode {
    /** A document, key, revision or other named thing does not exist. */
    NOT_FOUND,
    /** An expected revision did not match: somebody else changed the document first. */
    CONFLICT,
    /** A lease is held by another owner. */
    LEASE_HELD,
    /** The input could not be parsed or failed validation; nothing was written. */
    INVALID_INPUT,
    /** The store could not be opened, reached or written (I/O, permissions, lock, network). */
    STORE_UNAVAILABLE,
    /**
     * The store's files exist but cannot be read as the store they held: truncated, damaged,
     * replaced by an older copy, or missing a part (the database file or its credentials). The
     * files are left exactly as they were; restore them from an archive or a copy.
     */
    STORE_DAMAGED,
    /** The store was written by a newer version of configstore and is refused. */
    SCHEMA_TOO_NEW,
    /** A bug or an unexpected state inside configstore. */
    INTERNAL
}
