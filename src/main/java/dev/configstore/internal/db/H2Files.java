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
 * file {@value #CREDENTIALS} (owner-only, generated once) and the database files H2 creates
 * world-readable, which are tightened after every open.
 */
final class H2Files {

    static final String CREDENTIALS = "credentials.properties";
    static final String DATABASE_NAME = "store";

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

    /** Reads the credentials, generating them on first use (safe against a concurrent creator). */
    static Credentials credentials(Path directory) {
        Path file = directory.resolve(CREDENTIALS);
        try {
            if (!Files.exists(file)) {
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
