package dev.configstore.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile at head: a document other than the main one, with its metadata.
 *
 * @param name the profile's name
 * @param parent the profile it extends, if any
 * @param description its description, possibly empty
 * @param tags its tags
 * @param keyCount how many leaf values it holds itself (not inherited)
 * @param lastChanged the revision that last changed it (content or metadata)
 */
public record Profile(String name, Optional<String> parent, String description, List<String> tags, int keyCount,
                      long lastChanged) {

    /**
     * Validates the fields.
     *
     * @param name the profile's name
     * @param parent the profile it extends, if any
     * @param description its description, possibly empty
     * @param tags its tags
     * @param keyCount how many leaf values it holds itself (not inherited)
     * @param lastChanged the revision that last changed it (content or metadata)
     */
    public Profile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
    }
}
