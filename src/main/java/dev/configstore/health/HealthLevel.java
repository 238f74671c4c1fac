package dev.configstore.health;

/** How bad a health finding is, in increasing order. */
public enum HealthLevel {
    /** Nothing to do. */
    OK,
    /** Worth a look; the store works. */
    WARN,
    /** The store is not working as it should; act now. */
    CRITICAL
}
