package dev.configstore.format;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The file formats a document can be exported to and imported from. */
public enum Format {
    /** JSON. Keeps everything the store can hold. */
    JSON("json"),
    /** YAML 1.1 through SnakeYAML; aliases are limited, duplicate keys refused. */
    YAML("yaml", "yml"),
    /** TOML 1.0. Has no null: object members that are null are left out on export. */
    TOML("toml"),
    /** INI: sections named by dotted keys, values are strings. */
    INI("ini"),
    /** XML: elements named by keys under a {@code config} root; values are strings. */
    XML("xml"),
    /** Java properties: dotted keys, values are strings. */
    PROPERTIES("properties");

    private final List<String> extensions;

    Format(String... extensions) {
        this.extensions = List.of(extensions);
    }

    /**
     * Returns the usual file extension, without the dot.
     *
     * @return the extension
     */
    public String extension() {
        return extensions.get(0);
    }

    /**
     * Picks the format from a file name's extension.
     *
     * @param fileName a file name or path
     * @return the format, or empty if the extension is not one of the formats'
     */
    public static Optional<Format> fromFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (Format format : values()) {
            for (String extension : format.extensions) {
                if (lower.endsWith("." + extension)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a format name as the CLI takes it ({@code json}, {@code yaml}, ...).
     *
     * @param name the name, in any case
     * @return the format
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Format parse(String name) {
        for (Format format : values()) {
            if (format.name().equalsIgnoreCase(name) || format.extensions.contains(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; use json, yaml, toml, ini, xml or properties");
    }
}
