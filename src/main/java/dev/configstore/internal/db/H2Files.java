package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of an H2 store directory: the directory itself (owner-only), the credentials
 * file {@value #CREDENTIALS} (owner-only, generated once), the marker {@value #MARKER} and the
 * database files H2 creates world-readable, which are tightened after every open.
 *
 * <p>The marker is what lets an open tell "empty because new" from "empty because damaged"
 * without trusting the database file: it says that the store was created (so a missing or
 * unreadable database file is damage, never a reason to create a new one) and the head
 * revision the store had reached when it was last closed (so a file that went back in time,
 * truncated to an older chunk or replaced by an older copy, is refused).
 */
final class H2Files {

    static final String CREDENTIALS = "credentials.properties";
    static final String MARKER = "configstore.properties";
    static final String DATABASE_NAME = "store";
    static final String DATABASE_FILE = DATABASE_NAME + ".mv.db";
    static final String LOCK_FILE = DATABASE_NAME + ".lock.db";

    /**
     * What the marker says: the store's creation finished, the head at its last close, and the
     * size and modification time the database file had when this store closed it (-1 when
     * another process still had it open): a file that still has both was not touched since.
     */
    record Marker(boolean created, long revision, long fileSize, long fileModified, String fileFingerprint) {
        Marker(boolean created, long revision) {
            this(created, revision, -1, -1, "");
        }

        /**
         * Whether the database file is exactly as the store left it when it last closed it: the
         * same size, modification time and {@linkplain H2Files#fingerprint fingerprint}, so an older copy
         * put in its place within the same clock tick (same size and time) is not taken for it.
         */
        boolean unchangedSinceClose(Path database) {
            try {
                return fileSize >= 0 && Files.size(database) == fileSize
                        && Files.getLastModifiedTime(database).toMillis() == fileModified
                        && !fileFingerprint.isEmpty() && fileFingerprint.equals(fingerprint(database));
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * A digest of the file's first and last 8 KiB: where H2 keeps its store header (rewritten
     * with the newest chunk and version at every close) and, usually, the newest chunk. Reading
     * 16 KiB keeps the at-rest shortcut cheap on a store of any size.
     */
    static String fingerprint(Path file) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            long size = channel.size();
            int span = 8192;
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(span);
            for (long position : new long[] {0, Math.max(0, size - span)}) {
                buffer.clear();
                while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                    // reads until the span or the end of the file
                }
                buffer.flip();
                digest.update(buffer);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** How an open must treat the directory, decided from which files are there. */
    enum Plan {
        /** Nothing is there: create a new store. */
        CREATE,
        /** A creation was interrupted before it finished: nothing was ever acknowledged, go on creating. */
        FINISH_CREATING,
        /** A store that was created: open it, and refuse what does not look like it. */
        OPEN
    }

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    record Credentials(String user, String password, String readerUser, String readerPassword) {
    }

    private H2Files() {
    }

    /** Creates the directory owner-only, or checks and tightens an existing one. */
    static Path prepareDirectory(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (absolute.toString().contains(";")) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "store directory " + absolute
                    + " contains ';', which H2 URLs cannot hold; choose another directory");
        }
        try {
            if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
                throw unavailable(absolute, "it exists and is not a directory");
            }
            if (!Files.exists(absolute)) {
                Files.createDirectories(absolute.getParent());
                try {
                    Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first; fine
                }
            }
            if (isPosix(absolute)) {
                Files.setPosixFilePermissions(absolute, OWNER_DIRECTORY);
            }
            if (!Files.isWritable(absolute)) {
                throw unavailable(absolute, "it is not writable");
            }
            Path probe = Files.createTempFile(absolute, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw unavailable(absolute, "cannot create or write it (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        return absolute;
    }

    /**
     * Reads the credentials, generating them when {@code create} and none exist (safe against a
     * concurrent creator). An existing store's credentials are never generated again: a new
     * password could not open the database that holds the old one.
     */
    static Credentials credentials(Path directory, boolean create) {
        Path file = directory.resolve(CREDENTIALS);
        try {
            if (create && !Files.exists(file)) {
                Properties generated = new Properties();
                generated.setProperty("user", "configstore");
                generated.setProperty("password", secret());
                generated.setProperty("reader.user", "configstore_reader");
                generated.setProperty("reader.password", secret());
                generated.setProperty("url", "jdbc:h2:file:" + directory.resolve(DATABASE_NAME) + ";AUTO_SERVER=TRUE");
                Path temp = Files.createTempFile(directory, ".credentials", ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_FILE));
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    generated.store(out, "configstore: database credentials of this store. Keep owner-only."
                            + " Open with any SQL client, e.g. H2 Shell, using url, user and password.");
                }
                try {
                    // a hard link fails if the file appeared meanwhile: the first creator wins
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException raced) {
                    // keep the other process's credentials
                } finally {
                    Files.delete(temp);
                }
            }
            tighten(file);
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            String user = properties.getProperty("user");
            String password = properties.getProperty("password");
            if (user == null || password == null || password.isBlank()) {
                throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "credentials file " + file
                        + " has no user or password; restore it from a backup of the store directory");
            }
            return new Credentials(user, password, properties.getProperty("reader.user", "configstore_reader"),
                    properties.getProperty("reader.password", password));
        } catch (IOException e) {
            throw unavailable(file, "cannot read or create the credentials file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Decides from the files present how to open the directory, and refuses (without touching
     * anything) a store that is missing a part it cannot work without.
     */
    static Plan plan(Path directory) {
        Path database = directory.resolve(DATABASE_FILE);
        Path credentials = directory.resolve(CREDENTIALS);
        Marker marker = readMarker(directory);
        boolean hasDatabase = Files.exists(database, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        boolean hasCredentials = Files.exists(credentials);
        if (hasDatabase && !Files.isRegularFile(database)) {
            throw damaged("store file " + database + " is not a regular file; nothing was changed. Move it away"
                    + " and restore the file from a copy of the store directory or an archive");
        }
        if (marker == null && !hasDatabase && !hasCredentials) {
            return Plan.CREATE;
        }
        if (marker != null && !marker.created()) {
            return Plan.FINISH_CREATING;
        }
        if (!hasCredentials) {
            throw damaged("store " + directory + " has a database but its credentials file " + CREDENTIALS
                    + " is missing, so the database cannot be opened (a new password would never match the one inside"
                    + " it); nothing was changed. Restore " + CREDENTIALS + " from a copy of the store directory; if"
                    + " it is lost, import an archive or an export of the store into a new directory");
        }
        if (!hasDatabase) {
            throw damaged("store file " + database + " is missing although the directory holds a store ("
                    + (marker != null ? MARKER : CREDENTIALS) + " is there); nothing was changed. Restore "
                    + DATABASE_FILE + " from a copy, or import an archive into a new directory; to start an empty"
                    + " store here on purpose, delete " + CREDENTIALS + " and " + MARKER + " first");
        }
        return Plan.OPEN;
    }

    /** The marker, or {@code null} if there is none (a new directory, or a store made before markers). */
    static Marker readMarker(Path directory) {
        Path file = directory.resolve(MARKER);
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw damaged("store marker " + file + " cannot be read (" + e.getMessage() + "); nothing was"
                    + " changed. Restore it from a copy of the store directory");
        }
        String state = properties.getProperty("state", "");
        String revision = properties.getProperty("revision", "0");
        if (!state.equals("created") && !state.equals("creating")) {
            throw damaged("store marker " + file + " has no valid state ('" + state + "'); nothing was"
                    + " changed. Restore it from a copy of the store directory");
        }
        try {
            long head = Long.parseLong(revision.trim());
            if (head < 0) {
                throw new NumberFormatException(revision);
            }
            return new Marker(state.equals("created"), head, parseLong(properties.getProperty("file.size", "-1")),
                    parseLong(properties.getProperty("file.modified", "-1")),
                    properties.getProperty("file.fingerprint", "").trim());
        } catch (NumberFormatException e) {
            throw damaged("store marker " + file + " has an invalid revision '" + revision + "'; nothing was"
                    + " changed. Restore it from a copy of the store directory, or delete its revision line");
        }
    }

    /**
     * Writes the marker atomically and durably: a temporary file, synced, renamed over the old
     * one, and the directory synced, so a crash leaves the old marker or the new one.
     */
    static void writeMarker(Path directory, Marker marker) {
        StringBuilder text = new StringBuilder()
                .append("# configstore: this directory holds a store. Keep this file with ").append(DATABASE_FILE)
                .append(".\n# state: whether the store's creation finished. revision: the head revision when the")
                .append(" store was last closed;\n# an open that finds an older head in ").append(DATABASE_FILE)
                .append(" refuses it as damaged or replaced.\n")
                .append("state=").append(marker.created() ? "created" : "creating").append('\n')
                .append("revision=").append(marker.revision()).append('\n')
                .append("file.size=").append(marker.fileSize()).append('\n')
                .append("file.modified=").append(marker.fileModified()).append('\n')
                .append("file.fingerprint=").append(marker.fileFingerprint()).append('\n');
        try {
            Path temp = Files.createTempFile(directory, ".marker", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE));
            try {
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                    channel.force(true);
                }
                Files.move(temp, directory.resolve(MARKER), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            syncDirectory(directory);
        } catch (IOException e) {
            throw unavailable(directory, "cannot write " + MARKER + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Raises the marker's revision to {@code head} if it is lower. Two processes closing at
     * once may each write their own: the marker then holds the lower one, which only makes the
     * check weaker, never wrong.
     */
    static void recordClosedAt(Path directory, long head) {
        Marker marker = readMarker(directory);
        long revision = marker != null && marker.created() ? Math.max(marker.revision(), head) : head;
        Path database = directory.resolve(DATABASE_FILE);
        long size = -1;
        long modified = -1;
        String fingerprint = "";
        try {
            if (!Files.exists(directory.resolve(LOCK_FILE))) {
                // H2 deletes the lock file once the database is closed: the file is at rest
                size = Files.size(database);
                modified = Files.getLastModifiedTime(database).toMillis();
                fingerprint = fingerprint(database);
            }
        } catch (IOException e) {
            size = -1;
        }
        writeMarker(directory, new Marker(true, revision, size, modified, fingerprint));
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void syncDirectory(Path directory) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(directory,
                java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself is still atomic
        }
    }

    static ConfigStoreException damaged(String message) {
        return new ConfigStoreException(ErrorCode.STORE_DAMAGED, message);
    }

    static ConfigStoreException damaged(String message, Throwable cause) {
        return new ConfigStoreException(ErrorCode.STORE_DAMAGED, message, cause);
    }

    /** Makes every file of the store owner-only. */
    static void tightenAll(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(Files::isRegularFile).forEach(H2Files::tightenQuietly);
        } catch (IOException e) {
            throw unavailable(directory, "cannot list the store directory (" + e.getMessage() + ")", e);
        }
    }

    private static void tightenQuietly(Path file) {
        try {
            tighten(file);
        } catch (IOException e) {
            // the lock file may vanish between list and chmod; the directory mode still protects it
        }
    }

    private static void tighten(Path file) throws IOException {
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ConfigStoreException unavailable(Path path, String why) {
        return unavailable(path, why, null);
    }

    private static ConfigStoreException unavailable(Path path, String why, Throwable cause) {
        return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "store directory " + path + ": " + why, cause);
    }
}
