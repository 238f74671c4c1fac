package dev.configstore;

import java.util.Objects;

/**
 * What the store knows about one document at head, without its content.
 *
 * @param name the document's name
 * @param lastChanged the revision that last changed it
 * @param keyCount how many leaf values it holds
 * @param checksum the document's checksum at {@code lastChanged} (64 hex digits)
 */
public record DocumentInfo(String name, long lastChanged, int keyCount, String checksum) {

    /**
     * Validates the fields.
     *
     * @param name the document's name
     * @param lastChanged the revision that last changed it
     * @param keyCount how many leaf values it holds
     * @param checksum the document's checksum at {@code lastChanged} (64 hex digits)
     */
    public DocumentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(checksum, "checksum");
    }
}
