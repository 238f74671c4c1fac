package dev.configstore.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Profiles#create(ProfileDefinition)} makes: a name, an optional parent, a
 * description and tags. Immutable; each {@code with} method returns a new definition.
 *
 * @param name the profile's name
 * @param parent the profile it extends, if any
 * @param description its description, possibly empty
 * @param tags its tags
 */
public record ProfileDefinition(String name, Optional<String> parent, String description, List<String> tags) {

    /**
     * Validates the fields.
     *
     * @param name the profile's name
     * @param parent the profile it extends, if any
     * @param description its description, possibly empty
     * @param tags its tags
     */
    public ProfileDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
    }

    /**
     * Starts a definition with only a name.
     *
     * @param name the profile's name
     * @return the definition
     */
    public static ProfileDefinition named(String name) {
        return new ProfileDefinition(name, Optional.empty(), "", List.of());
    }

    /**
     * Returns this definition extending a parent.
     *
     * @param parentName the parent profile
     * @return a new definition
     */
    public ProfileDefinition extending(String parentName) {
        return new ProfileDefinition(name, Optional.of(parentName), description, tags);
    }

    /**
     * Returns this definition with a description.
     *
     * @param text the description
     * @return a new definition
     */
    public ProfileDefinition describedAs(String text) {
        return new ProfileDefinition(name, parent, text, tags);
    }

    /**
     * Returns this definition with tags.
     *
     * @param newTags the tags
     * @return a new definition
     */
    public ProfileDefinition taggedWith(List<String> newTags) {
        return new ProfileDefinition(name, parent, description, newTags);
    }
}
