package dev.configstore.internal.document;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.secret.KeyProvider;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The keys of a store's secrets and of its HMAC chain, kept outside the database: a keyring
 * file (owner-only, created on first need) or a {@link KeyProvider} the application gives. A
 * keyring file holds {@code active=ID}, {@code key.ID=BASE64} per key and {@code chain=BASE64}.
 * Thread-safe.
 */
public final class Keyring {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private volatile KeyProvider provider;
    /** When the keyring file was last read: another process may add or remove keys. */
    private volatile java.nio.file.attribute.FileTime loaded;
    /** Run before a keyring file is made: refuses when the store's data shows it had another one. */
    private volatile Runnable creationCheck = () -> { };
    /** Set when this keyring's file was made by this process and the history is not signed yet. */
    private final java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();

    private Keyring(Path file, KeyProvider provider) {
        this.file = file;
        this.provider = provider;
    }

    /** No keys, and nowhere to make any: secrets read masked and cannot be written. */
    public static Keyring none() {
        return new Keyring(null, null);
    }

    /** The keys an application provides. */
    public static Keyring of(KeyProvider provider) {
        return new Keyring(null, provider);
    }

    /** A keyring file: loaded now if it exists (refused unless owner-only), else created on first need. */
    public static Keyring file(Path file) {
        Keyring keyring = new Keyring(file, Files.exists(file) ? load(file) : null);
        keyring.loaded = modified(file);
        return keyring;
    }

    /** Sets what must hold before a keyring file is made (the writer: no HMAC in the store yet). */
    public void checkBeforeCreating(Runnable check) {
        this.creationCheck = java.util.Objects.requireNonNull(check, "check");
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    public boolean present() {
        return provider != null;
    }

    /** The keys, creating the keyring file first if there is one to create. */
    public KeyProvider keys() {
        KeyProvider keys = provider;
        if (keys != null && file != null && !java.util.Objects.equals(modified(file), loaded)) {
            synchronized (this) { // another process rotated or retired a key: read the file again
                loaded = modified(file);
                provider = load(file);
                keys = provider;
            }
        }
        if (keys != null) {
            return keys;
        }
        if (file == null) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the store has no keyring, so it cannot"
                    + " encrypt a secret: open it with a keyring file or a key provider");
        }
        synchronized (this) {
            if (provider == null) {
                creationCheck.run();
                provider = create(file);
                loaded = modified(file);
                created.set(true);
            }
            return provider;
        }
    }

    /** Adds a new random key to the keyring file and makes it the active one; returns its id. */
    public synchronized String addKey() {
        if (file == null) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the store's keys come from the application's"
                    + " key provider: add a key there and make it active, then rotate");
        }
        Properties properties = properties(keys());
        String id = newId();
        properties.setProperty("key." + id, Base64.getEncoder().encodeToString(random(32)));
        properties.setProperty("active", id);
        write(file, properties, true);
        provider = parse(properties, file.toString());
        loaded = modified(file);
        return id;
    }

    /** Removes a key from the keyring file; the caller made sure nothing uses it. */
    public synchronized void removeKey(String id) {
        if (file == null) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the store's keys come from the application's"
                    + " key provider: remove the key there");
        }
        Properties properties = properties(keys());
        if (id.equals(properties.getProperty("active"))) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + id + "' is the active key: rotate to"
                    + " a new key first");
        }
        if (properties.remove("key." + id) == null) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "the keyring has no key '" + id + "'");
        }
        write(file, properties, true);
        provider = parse(properties, file.toString());
        loaded = modified(file);
    }

    /**
     * Whether the keyring file was just made, once: the write that made it then signs the
     * history written before (the keyring cannot have vouched for anything earlier).
     */
    public boolean takeCreated() {
        return created.getAndSet(false);
    }

    /** The HMAC of a chain hash under the chain key, or null without keys. */
    public java.util.function.UnaryOperator<String> mac() {
        return present() ? hash -> SecretBox.mac(keys(), hash) : null;
    }

    /** Encrypts a value for a document's key under the active key (creating the keyring file if needed). */
    public com.fasterxml.jackson.databind.JsonNode seal(String document, String path,
                                                        com.fasterxml.jackson.databind.JsonNode value) {
        return SecretBox.seal(keys(), document, path, value);
    }

    public Optional<Path> path() {
        return Optional.ofNullable(file);
    }

    /** Reads a keyring in the file's text format (from an environment variable, say). */
    public static KeyProvider parse(String text, String source) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(source, "it is not a keyring: " + e.getMessage());
        }
        return parse(properties, source);
    }

    private static KeyProvider load(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(mode)) {
                throw invalid(file.toString(), "its mode is " + PosixFilePermissions.toString(mode) + "; a keyring"
                        + " must be readable by its owner only: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX modes on this file system: the directory's access rules apply
        } catch (IOException e) {
            throw invalid(file.toString(), "it cannot be read: " + e.getMessage());
        }
        try {
            return parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
        } catch (IOException e) {
            throw invalid(file.toString(), "it cannot be read: " + e.getMessage());
        }
    }

    private static KeyProvider create(Path file) {
        if (Files.exists(file)) { // another process made it meanwhile: use its keys
            return load(file);
        }
        Properties properties = new Properties();
        String id = newId();
        properties.setProperty("active", id);
        properties.setProperty("key." + id, Base64.getEncoder().encodeToString(random(32)));
        properties.setProperty("chain", Base64.getEncoder().encodeToString(random(32)));
        write(file, properties, false);
        return parse(properties, file.toString());
    }

    /**
     * Writes the keyring owner-only and durably: a file of its own name, synced, then moved into
     * place in one step (over the old one when {@code replace}; never over another process's new
     * keyring otherwise), then the directory synced.
     */
    private static void write(Path file, Properties properties, boolean replace) {
        Path temp = file.resolveSibling(file.getFileName() + "." + java.util.HexFormat.of().formatHex(random(6)) + ".new");
        try {
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE); Writer out = java.nio.channels.Channels.newWriter(channel,
                    StandardCharsets.ISO_8859_1)) {
                properties.store(out, "configstore keyring: the keys of the store's secrets and of its history's"
                        + " HMAC chain. Keep it apart from the store and its backups; without it, secrets cannot be read");
                out.flush();
                channel.force(true);
            }
            if (replace) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.createLink(file, temp); // fails if the name exists: the first keyring made wins
                Files.delete(temp);
            }
            try (java.nio.channels.FileChannel directory = java.nio.channels.FileChannel.open(file.toAbsolutePath()
                    .getParent())) {
                directory.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a directory; the file itself is synced
            }
        } catch (FileAlreadyExistsException e) {
            throw invalid(file.toString(), "it was made by another process meanwhile; open the store again");
        } catch (IOException e) {
            throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "keyring " + file + " cannot be written: "
                    + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a stray temporary file holds no key that is in use
            }
        }
    }

    private static KeyProvider parse(Properties properties, String source) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("key.")) {
                keys.put(checkId(name.substring(4), source), decode(properties.getProperty(name), name, source));
            }
        }
        String active = properties.getProperty("active");
        if (active == null || !keys.containsKey(active)) {
            throw invalid(source, "'active' must name one of its keys (key.ID=...)");
        }
        String chainText = properties.getProperty("chain");
        if (chainText == null) {
            throw invalid(source, "it has no 'chain' key");
        }
        byte[] chain = decode(chainText, "chain", source);
        return new KeyProvider() {
            @Override
            public String activeKeyId() {
                return active;
            }

            @Override
            public Optional<byte[]> key(String id) {
                return Optional.ofNullable(keys.get(id)).map(byte[]::clone);
            }

            @Override
            public byte[] chainKey() {
                return chain.clone();
            }
        };
    }

    /** The keyring file's entries, creating it first if needed. */
    private Properties properties(KeyProvider keys) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        } catch (IOException e) {
            throw invalid(file.toString(), "it cannot be read: " + e.getMessage());
        }
        return properties;
    }

    static String checkId(String id, String source) {
        if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw invalid(source, "key id '" + Json.shorten(id) + "' is not 1 to 32 letters, digits, '-' or '_'");
        }
        return id;
    }

    private static byte[] decode(String text, String name, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw invalid(source, name + " is not base64");
        }
        if (key.length != 32) {
            throw invalid(source, name + " is " + key.length + " bytes; a key is 32 bytes (AES-256)");
        }
        return key;
    }

    /** A random key id: two keyrings made apart never name different keys alike. */
    private static String newId() {
        return "k" + java.util.HexFormat.of().formatHex(random(4));
    }

    static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return random;
    }

    private static ConfigStoreException invalid(String source, String message) {
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "keyring " + source + ": " + message);
    }
}
