package dev.configstore.history;

/** How a key changed between two revisions. */
public enum ChangeKind {
    /** The key did not exist before and exists after. */
    ADDED,
    /** The key existed before and does not after. */
    REMOVED,
    /** The key exists before and after with different values. */
    CHANGED
}
