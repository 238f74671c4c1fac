package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A document's metadata as one version row stores it: the parent it extends (or null), a
 * description, tags and the SHA-256 of the JSON Schema in force (or null). Versioned with the
 * document's content.
 */
public record DocumentMeta(String parent, String description, List<String> tags, String schema,
                           List<String> secretPatterns) {

    public static final DocumentMeta NONE = new DocumentMeta(null, "", List.of(), null, List.of());
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_TAGS = 32;
    static final int MAX_TAG_LENGTH = 64;

    public DocumentMeta {
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
        secretPatterns = List.copyOf(secretPatterns);
    }

    public DocumentMeta(String parent, String description, List<String> tags) {
        this(parent, description, tags, null, List.of());
    }

    public DocumentMeta withParent(String newParent) {
        return new DocumentMeta(newParent, description, tags, schema, secretPatterns);
    }

    /** The same metadata with the schema of that hash in force ({@code null}: none). */
    public DocumentMeta withSchema(String schemaHash) {
        return new DocumentMeta(parent, description, tags, schemaHash, secretPatterns);
    }

    /** The same metadata with these secret patterns. */
    public DocumentMeta withSecretPatterns(List<String> patterns) {
        return new DocumentMeta(parent, description, tags, schema, patterns);
    }

    /**
     * Whether a value at a stored key path of this document is covered by one of its secret
     * patterns: the path matches, or the value is an array holding objects whose keys a pattern
     * could name (an array is stored whole, so all of it is then encrypted).
     */
    public boolean isSecretPath(String path, JsonNode value) {
        boolean holdsObjects = value.isArray() && containsObject(value);
        for (String pattern : secretPatterns) {
            if (SecretBox.matches(pattern, path) || holdsObjects && SecretBox.matchesBelow(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsObject(JsonNode node) {
        for (JsonNode child : node) {
            if (child.isObject() || child.isArray() && containsObject(child)) {
                return true;
            }
        }
        return false;
    }

    /** The secret patterns column: a JSON array, or null when there are none. */
    public String secretPatternsJson() {
        return arrayOrNull(secretPatterns);
    }

    /** Validates user-given metadata; the parent name is checked by the caller. */
    public static DocumentMeta of(String parent, String description, List<String> tags) {
        String text = checkText("description", description, MAX_DESCRIPTION);
        List<String> clean = new ArrayList<>();
        for (String tag : tags == null ? List.<String>of() : tags) {
            Objects.requireNonNull(tag, "tag");
            if (tag.isBlank() || tag.length() > MAX_TAG_LENGTH || tag.chars().anyMatch(Character::isISOControl)
                    || tag.contains(",")) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "invalid tag '"
                        + tag.replaceAll("\\p{Cntrl}", "?") + "': a tag is 1.." + MAX_TAG_LENGTH
                        + " characters without commas or control characters");
            }
            if (!clean.contains(tag)) {
                clean.add(tag);
            }
        }
        if (clean.size() > MAX_TAGS) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, clean.size() + " tags; the limit is " + MAX_TAGS);
        }
        DocumentMeta meta = new DocumentMeta(parent, text, clean);
        String stored = meta.tagsJson();
        if (stored != null && stored.length() > MAX_DESCRIPTION) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the tags take " + stored.length()
                    + " characters as JSON; the limit is " + MAX_DESCRIPTION);
        }
        return meta;
    }

    /**
     * Checks free text a user gives (a description, a note): at most {@code max} characters, no
     * control characters but newline and tab. Null counts as empty.
     */
    public static String checkText(String what, String text, int max) {
        String checked = text == null ? "" : text;
        if (checked.length() > max) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, what + " is " + checked.length()
                    + " characters; the limit is " + max);
        }
        if (checked.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, what + " contains a control character");
        }
        return checked;
    }

    /** The tags column: a JSON array, or null when there are none. */
    public String tagsJson() {
        return arrayOrNull(tags);
    }

    /** Strings as the JSON array text a column keeps, or null for none. */
    private static String arrayOrNull(List<String> strings) {
        if (strings.isEmpty()) {
            return null;
        }
        ArrayNode array = Json.mapper().createArrayNode();
        strings.forEach(array::add);
        return array.toString();
    }

    /** Reads the metadata columns of a version row. */
    public static DocumentMeta fromColumns(String parent, String description, String tagsJson, String schema,
                                           String secretPatternsJson) {
        List<String> tags = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        try {
            if (tagsJson != null && !tagsJson.isEmpty()) {
                for (JsonNode tag : Json.parse(tagsJson, "stored tags")) {
                    tags.add(tag.asText());
                }
            }
            if (secretPatternsJson != null && !secretPatternsJson.isEmpty()) {
                for (JsonNode pattern : Json.parse(secretPatternsJson, "stored secret patterns")) {
                    patterns.add(SecretBox.checkPattern(pattern.asText()));
                }
            }
            if (schema != null && !schema.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("the schema hash '" + Json.shorten(schema) + "' is not a SHA-256");
            }
            return new DocumentMeta(parent, description == null ? "" : description, tags, schema, patterns);
        } catch (RuntimeException unreadable) {
            // the store wrote these columns itself: what it cannot read back was damaged since
            throw new dev.configstore.ConfigStoreException(dev.configstore.ErrorCode.STORE_DAMAGED, "a document's"
                    + " stored metadata cannot be read (" + unreadable.getMessage() + "); the store is damaged: run"
                    + " verify, and restore it from an archive or a copy of its directory", unreadable);
        }
    }
}
