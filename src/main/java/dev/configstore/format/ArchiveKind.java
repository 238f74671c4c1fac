package dev.configstore.format;

import java.util.Locale;
import java.util.Optional;

/** The two archive formats of a whole store. */
public enum ArchiveKind {
    /** A ZIP file. */
    ZIP,
    /** A gzip-compressed TAR file. */
    TAR_GZ;

    /**
     * Picks the kind from a file name: {@code .zip}, {@code .tar.gz} or {@code .tgz}.
     *
     * @param fileName a file name or path
     * @return the kind, or empty for any other name
     */
    public static Optional<ArchiveKind> fromFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) {
            return Optional.of(ZIP);
        }
        if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
            return Optional.of(TAR_GZ);
        }
        return Optional.empty();
    }
}
