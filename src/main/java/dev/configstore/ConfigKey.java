package dev.configstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A key: a path of one or more segments into a document's JSON tree.
 *
 * <p>Written as text, segments are joined by dots: {@code vision.camera.device_id}. Inside a
 * segment a backslash escapes the next character, so a segment may contain a dot
 * ({@code hosts.db\.example\.com} is the two segments {@code hosts} and {@code db.example.com}),
 * a backslash ({@code \\}) or a bracket ({@code \[}, {@code \]}). An unescaped bracket is
 * refused: brackets are reserved for array indexes. Empty segments, control characters, more
 * than {@value #MAX_SEGMENTS} segments and more than {@value #MAX_LENGTH} characters of text
 * are refused.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param segments the segments, unescaped, at least one
 */
public record ConfigKey(List<String> segments) {

    /** The most segments a key may have. */
    public static final int MAX_SEGMENTS = 64;
    /** The most characters the escaped text of a key may have. */
    public static final int MAX_LENGTH = 1000;

    /**
     * Validates and copies the segments.
     *
     * @param segments the key's segments, outermost first
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if a segment is empty
     *     or holds a control character, or the key is too long
     */
    public ConfigKey {
        Objects.requireNonNull(segments, "segments");
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw invalid("", "a key needs at least one segment");
        }
        if (segments.size() > MAX_SEGMENTS) {
            throw invalid(String.join(".", segments), "a key may have at most " + MAX_SEGMENTS + " segments, this one has "
                    + segments.size());
        }
        for (String segment : segments) {
            checkSegment(segment, segments);
        }
        int length = escapedLength(segments);
        if (length > MAX_LENGTH) {
            throw invalid(String.join(".", segments).substring(0, 40) + "...",
                    "a key may be at most " + MAX_LENGTH + " characters long, this one is " + length);
        }
    }

    /**
     * Parses the dotted text form of a key.
     *
     * @param text the key, e.g. {@code vision.camera.device_id}
     * @return the key
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} naming the key and the
     *     fault if the text is not a valid key
     */
    public static ConfigKey parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw invalid(text, "the key is empty");
        }
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid(text, "control character U+" + String.format("%04X", (int) c) + " at position " + i);
            }
            if (c == '\\') {
                if (i + 1 == text.length()) {
                    throw invalid(text, "a backslash at the end escapes nothing; write \\\\ for a backslash");
                }
                char next = text.charAt(++i);
                if (next != '.' && next != '\\' && next != '[' && next != ']') {
                    throw invalid(text, "'\\" + next + "' at position " + (i - 1)
                            + " is not an escape; only \\. \\\\ \\[ \\] are");
                }
                segment.append(next);
            } else if (c == '.') {
                if (segment.length() == 0) {
                    throw invalid(text, "empty segment at position " + i);
                }
                segments.add(segment.toString());
                segment.setLength(0);
            } else if (c == '[' || c == ']') {
                throw invalid(text, "unescaped '" + c + "' at position " + i
                        + "; brackets are reserved, write \\" + c + " for a literal bracket");
            } else {
                segment.append(c);
            }
        }
        if (segment.length() == 0) {
            throw invalid(text, "empty segment at the end");
        }
        segments.add(segment.toString());
        return new ConfigKey(segments);
    }

    /**
     * Builds a key from unescaped segments.
     *
     * @param first the first segment
     * @param more further segments
     * @return the key
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if a segment is invalid
     */
    public static ConfigKey of(String first, String... more) {
        List<String> segments = new ArrayList<>();
        segments.add(first);
        segments.addAll(List.of(more));
        return new ConfigKey(segments);
    }

    /**
     * Returns the key with one more segment at the end.
     *
     * @param segment the unescaped segment to append
     * @return the child key
     */
    public ConfigKey child(String segment) {
        List<String> child = new ArrayList<>(segments);
        child.add(segment);
        return new ConfigKey(child);
    }

    /**
     * Returns whether this key equals {@code other} or lies below it.
     *
     * @param other the possible ancestor
     * @return {@code true} if {@code other}'s segments are a prefix of this key's
     */
    public boolean startsWith(ConfigKey other) {
        return other.segments.size() <= segments.size()
                && segments.subList(0, other.segments.size()).equals(other.segments);
    }

    /**
     * Returns the escaped dotted text form, the inverse of {@link #parse(String)}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (String segment : segments) {
            if (text.length() > 0) {
                text.append('.');
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '.' || c == '\\' || c == '[' || c == ']') {
                    text.append('\\');
                }
                text.append(c);
            }
        }
        return text.toString();
    }

    private static void checkSegment(String segment, List<String> segments) {
        Objects.requireNonNull(segment, "segment");
        if (segment.isEmpty()) {
            throw invalid(String.join(".", segments), "empty segment");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid(String.join(".", segments).replaceAll("\\p{Cntrl}", "?"),
                        "control character U+" + String.format("%04X", (int) c) + " in segment");
            }
        }
    }

    private static int escapedLength(List<String> segments) {
        int length = segments.size() - 1;
        for (String segment : segments) {
            length += segment.length();
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '.' || c == '\\' || c == '[' || c == ']') {
                    length++;
                }
            }
        }
        return length;
    }

    private static ConfigStoreException invalid(String key, String why) {
        String shown = key.replaceAll("\\p{Cntrl}", "?");
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "invalid key '" + shown + "': " + why);
    }
}
