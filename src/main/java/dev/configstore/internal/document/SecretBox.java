package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.secret.KeyProvider;
import dev.configstore.secret.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secret values at rest. A secret leaf is stored as the one-member object
 * {@code {"\u0000secret": "v1:KEY-ID:NONCE:CIPHERTEXT"}}: no value a user writes can have that
 * shape (a member name with a control character is refused), so it is always a secret. The
 * ciphertext is AES-256-GCM of the value's canonical JSON, with a fresh 96-bit nonce and
 * {@code document NUL key-path} as associated data, so a ciphertext moved to another key or
 * document does not decrypt. Thread-safe.
 */
public final class SecretBox {

    /** The member name of a stored secret. */
    public static final String FIELD = "\u0000secret";
    private static final Pattern ENVELOPE = Pattern.compile("v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]{16}):([A-Za-z0-9+/=]{24,})");
    private static final int TAG_BITS = 128;

    private SecretBox() {
    }

    /** Whether a stored or planned value is a secret. */
    public static boolean isSecret(JsonNode value) {
        return value != null && value.isObject() && value.size() == 1 && value.has(FIELD);
    }

    /** Whether a value is a secret or holds one somewhere inside. */
    public static boolean holdsSecret(JsonNode value) {
        if (isSecret(value)) {
            return true;
        }
        if (value != null && value.isContainerNode()) {
            for (JsonNode child : value) {
                if (holdsSecret(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Refuses a secret whose text is not the store's format (a hand-made or damaged one). */
    public static void checkShape(String path, JsonNode value) {
        if (!value.get(FIELD).isTextual() || !ENVELOPE.matcher(value.get(FIELD).asText()).matches()) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the secret at '" + Json.shorten(path)
                    + "' is not one this store wrote (v1:KEY-ID:NONCE:CIPHERTEXT)");
        }
    }

    /** The id of the key a secret is encrypted under. */
    public static String keyId(JsonNode secret) {
        return secret.get(FIELD).asText().split(":")[1];
    }

    /** Encrypts a value for a document and stored key path under the active key. */
    public static ObjectNode seal(KeyProvider keys, String document, String path, JsonNode value) {
        String id = keys.activeKeyId();
        byte[] key = keys.key(id).orElseThrow(() -> new ConfigStoreException(ErrorCode.INVALID_INPUT,
                "the key provider's active key '" + id + "' is not among its keys"));
        byte[] nonce = Keyring.random(12);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated(document, path));
            byte[] sealed = cipher.doFinal(Json.canonical(value).getBytes(StandardCharsets.UTF_8));
            ObjectNode secret = Json.NODES.objectNode();
            secret.put(FIELD, "v1:" + id + ":" + Base64.getEncoder().encodeToString(nonce) + ":"
                    + Base64.getEncoder().encodeToString(sealed));
            return secret;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /** Decrypts a secret stored at a document and key path. */
    public static JsonNode open(KeyProvider keys, String document, String path, JsonNode secret) {
        String[] parts = secret.get(FIELD).asText().split(":");
        String where = document + ":" + path;
        byte[] key = keys == null ? null : keys.key(parts[1]).orElse(null);
        if (key == null) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the secret at " + where + " is encrypted under"
                    + " key '" + parts[1] + "', which " + (keys == null ? "cannot be read: the store has no keyring"
                    : "the keyring does not have") + "; open the store with the keyring that has it");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(parts[2])));
            cipher.updateAAD(associated(document, path));
            return Json.parse(new String(cipher.doFinal(Base64.getDecoder().decode(parts[3])), StandardCharsets.UTF_8),
                    "secret");
        } catch (AEADBadTagException e) {
            throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "the secret at " + where + " does not"
                    + " authenticate under key '" + parts[1] + "': it was moved from another key or document, or changed");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "the secret at " + where + " cannot be"
                    + " decrypted: " + e.getMessage());
        }
    }

    /** A copy with every secret inside replaced by {@link Secrets#MASK}; the same node if it holds none. */
    public static JsonNode mask(JsonNode value) {
        if (!holdsSecret(value)) {
            return value;
        }
        if (isSecret(value)) {
            return TextNode.valueOf(Secrets.MASK);
        }
        JsonNode copy = value.deepCopy();
        replace(copy);
        return copy;
    }

    private static void replace(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isSecret(field.getValue())) {
                    field.setValue(TextNode.valueOf(Secrets.MASK));
                } else {
                    replace(field.getValue());
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (isSecret(node.get(i))) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, TextNode.valueOf(Secrets.MASK));
                } else {
                    replace(node.get(i));
                }
            }
        }
    }

    /**
     * Whether a stored key path is covered by a secret pattern: the pattern matches the path or
     * one of its ancestors ({@code *} stands for one segment, {@code **} for any number).
     */
    public static boolean matches(String pattern, String path) {
        String[] wanted = pattern.split("\\.", -1);
        java.util.List<String> segments = KeyPaths.segments(path);
        for (int length = 1; length <= segments.size(); length++) {
            if (glob(wanted, 0, segments.subList(0, length), 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a pattern could match a key below a stored path (the path's segments are a prefix
     * of a match): an array value holding objects at such a path has its keys inside the value.
     */
    public static boolean matchesBelow(String pattern, String path) {
        return prefix(pattern.split("\\.", -1), 0, KeyPaths.segments(path), 0);
    }

    private static boolean prefix(String[] pattern, int i, java.util.List<String> segments, int j) {
        if (j == segments.size()) {
            return i < pattern.length;
        }
        if (i == pattern.length) {
            return false;
        }
        if (pattern[i].equals("**")) {
            return prefix(pattern, i + 1, segments, j) || prefix(pattern, i, segments, j + 1);
        }
        return (pattern[i].equals("*") || pattern[i].equals(segments.get(j))) && prefix(pattern, i + 1, segments, j + 1);
    }

    private static boolean glob(String[] pattern, int i, java.util.List<String> segments, int j) {
        if (i == pattern.length) {
            return j == segments.size();
        }
        if (pattern[i].equals("**")) {
            for (int k = j; k <= segments.size(); k++) {
                if (glob(pattern, i + 1, segments, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < segments.size() && (pattern[i].equals("*") || pattern[i].equals(segments.get(j)))
                && glob(pattern, i + 1, segments, j + 1);
    }

    /** Checks a secret pattern a user gives. */
    public static String checkPattern(String pattern) {
        if (pattern == null || pattern.isBlank() || pattern.length() > 200
                || pattern.chars().anyMatch(Character::isISOControl) || java.util.Arrays.asList(pattern.split("\\.", -1))
                .contains("")) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "secret pattern '" + Json.shorten(String.valueOf(
                    pattern)) + "' is not a dotted key with '*' for one segment or '**' for any number");
        }
        return pattern;
    }

    /** The HMAC-SHA256 of a chain hash under the keyring's chain key, as hex. */
    public static String mac(KeyProvider keys, String hash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.chainKey(), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(hash.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static byte[] associated(String document, String path) {
        return ("configstore-secret-1\u0000" + document + "\u0000" + path).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A secret written for one document moved to another (a rename, a profile applied): decrypted
     * with the first's binding and encrypted again for the second. Any other value as it is.
     */
    public static JsonNode rebind(Keyring keyring, String from, String to, String path, JsonNode value) {
        if (!isSecret(value) || from.equals(to)) {
            return value;
        }
        KeyProvider keys = keyring.keys();
        return seal(keys, to, path, open(keys, from, path, value));
    }

    /** The value with the secrets inside decrypted, for a reveal. */
    public static JsonNode reveal(KeyProvider keys, String document, String path, JsonNode value) {
        if (isSecret(value)) {
            return open(keys, document, path, value);
        }
        return value;
    }
}
