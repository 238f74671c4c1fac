package dev.configstore.internal.document;

import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a key: its escaped dotted text ({@link ConfigKey#toString()}). Because
 * every escape is mandatory, a valid key has exactly one text form, so a caller's text can be
 * used as the lookup key after a cheap validating scan, without parsing. In that form the
 * descendants of {@code p} are exactly the texts that start with {@code p + "."}, which makes
 * a subtree a range of a sorted map: [{@code p + "."}, {@code p + "/"}).
 */
public final class KeyPaths {

    private KeyPaths() {
    }

    /**
     * Returns {@code text} itself if it is a valid key in canonical form; otherwise throws the
     * same error {@link ConfigKey#parse(String)} gives.
     */
    public static String canonical(String text) {
        int length = text.length();
        if (length == 0 || length > ConfigKey.MAX_LENGTH) {
            return ConfigKey.parse(text).toString();
        }
        boolean segmentEmpty = true;
        int segments = 1;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (segmentEmpty) {
                    return ConfigKey.parse(text).toString();
                }
                segments++;
                segmentEmpty = true;
            } else if (c == '\\' || c == '[' || c == ']' || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                // rare characters: let the full parser validate and report
                return ConfigKey.parse(text).toString();
            } else {
                segmentEmpty = false;
            }
        }
        if (segmentEmpty || segments > ConfigKey.MAX_SEGMENTS) {
            return ConfigKey.parse(text).toString();
        }
        return text;
    }

    /** Appends one unescaped segment to a stored path ({@code ""} is the root). */
    static String child(String parent, String segment) {
        StringBuilder path = new StringBuilder(parent.length() + segment.length() + 4);
        if (!parent.isEmpty()) {
            path.append(parent).append('.');
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '.' || c == '\\' || c == '[' || c == ']') {
                path.append('\\');
            }
            path.append(c);
        }
        return path.toString();
    }

    /** Splits a stored path into unescaped segments. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                segment.append(path.charAt(++i));
            } else if (c == '.') {
                segments.add(segment.toString());
                segment.setLength(0);
            } else {
                segment.append(c);
            }
        }
        segments.add(segment.toString());
        return segments;
    }

    /** The stored paths of the strict ancestors of a path, nearest last. */
    public static List<String> ancestors(String path) {
        List<String> ancestors = new ArrayList<>();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '.') {
                ancestors.add(path.substring(0, i));
            }
        }
        return ancestors;
    }

    /** The stored path of the parent, or {@code ""} for a top-level key. */
    public static String parent(String path) {
        List<String> ancestors = ancestors(path);
        return ancestors.isEmpty() ? "" : ancestors.get(ancestors.size() - 1);
    }

    /** Lower bound (inclusive) of the descendants of {@code path} in a sorted map. */
    public static String descendantsFrom(String path) {
        return path + ".";
    }

    /** Upper bound (exclusive) of the descendants of {@code path}: '/' follows '.' in UTF-16. */
    public static String descendantsTo(String path) {
        return path + "/";
    }

    static ConfigStoreException invalid(String message) {
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, message);
    }
}
