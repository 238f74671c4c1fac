package dev.configstore.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigKey;
import java.util.Objects;

/**
 * One leaf of a resolved profile and where it came from.
 *
 * @param key the key
 * @param value the resolved value (a copy)
 * @param document the document along the chain of parents that supplied it
 * @param revision the revision at which that document got this value
 */
public record ResolvedKey(ConfigKey key, JsonNode value, String document, long revision) {

    /**
     * Validates the fields.
     *
     * @param key the key
     * @param value the resolved value (a copy)
     * @param document the document along the chain of parents that supplied it
     * @param revision the revision at which that document got this value
     */
    public ResolvedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(document, "document");
        value = value.deepCopy();
    }
}
