package dev.configstore;

/**
 * Thrown when a write carried an expected revision and the document had been changed after
 * it. Nothing was written; read the document again and retry if that is still right.
 */
public final class VersionConflictException extends ConfigStoreException {

    private static final long serialVersionUID = 1L;

    /** The document that changed. */
    private final String document;
    /** The revision the caller based its change on. */
    private final long expectedRevision;
    /** The revision that last changed the document. */
    private final long actualRevision;

    /**
     * Creates the exception.
     *
     * @param document the document that changed
     * @param expectedRevision the revision the caller based its change on
     * @param actualRevision the revision that last changed the document
     */
    public VersionConflictException(String document, long expectedRevision, long actualRevision) {
        super(ErrorCode.CONFLICT, "document '" + document + "' was changed at revision " + actualRevision
                + ", after the expected revision " + expectedRevision
                + "; read it again and retry with the new revision");
        this.document = document;
        this.expectedRevision = expectedRevision;
        this.actualRevision = actualRevision;
    }

    /** @return the document that changed */
    public String document() {
        return document;
    }

    /** @return the revision the caller expected */
    public long expectedRevision() {
        return expectedRevision;
    }

    /** @return the revision that last changed the document */
    public long actualRevision() {
        return actualRevision;
    }
}
