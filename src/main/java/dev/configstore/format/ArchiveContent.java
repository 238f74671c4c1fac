package dev.configstore.format;

/** How much of the store's history an archive carries. */
public enum ArchiveContent {
    /** The head and the revisions restore points pin, as a compaction to the head would leave. */
    HEAD,
    /** Every revision, the operation log and the compactions. */
    FULL_HISTORY
}
