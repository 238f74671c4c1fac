package dev.configstore.backup;

/** Which restore points a cleanup removes first when it keeps only some of them. */
public enum RetentionPolicy {
    /** The oldest go first. */
    FIFO,
    /** The newest go first. */
    LIFO,
    /** The lowest priority goes first; among equal priorities the oldest. */
    PRIORITY
}
