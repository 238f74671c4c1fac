package dev.configstore.secret;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.WriteResult;
import java.util.List;
import java.util.Optional;

/**
 * A store's secrets. A secret value is encrypted with AES-256-GCM before it reaches the
 * database, with a fresh 96-bit nonce and its document and key bound in as associated data, and
 * reads as {@value #MASK} everywhere (reads, history, diffs, watches, exports) until
 * {@linkplain #reveal revealed}; each reveal is recorded in the operation log with the actor. A
 * value becomes secret when written with {@link dev.configstore.Batch#setSecret} or at a key
 * matching one of its document's {@linkplain #addPattern secret patterns}. Thread-safe.
 */
public interface Secrets {

    /** What a secret value reads as until it is revealed. */
    String MASK = "<secret>";

    /**
     * Returns the plaintext of a key's value at head, resolved through the document's parents,
     * with every secret inside it decrypted, and records the reveal in the operation log.
     *
     * @param document the document
     * @param key the key
     * @return the value, or empty if the key is absent
     * @throws dev.configstore.ConfigStoreException {@code INVALID_INPUT} if the store has no
     *     keyring or the keyring lacks the value's key; {@code STORE_DAMAGED} if a ciphertext does
     *     not authenticate
     */
    Optional<JsonNode> reveal(String document, String key);

    /**
     * Declares a key pattern secret for a document, in a new revision: values written at matching
     * keys are encrypted, and the values there now are encrypted in the same revision. A pattern
     * is a dotted key where {@code *} stands for one key segment and {@code **} for any number.
     *
     * @param document the document
     * @param pattern the pattern
     * @return the revision
     */
    WriteResult addPattern(String document, String pattern);

    /**
     * Returns a document's secret patterns.
     *
     * @param document the document
     * @return the patterns, in the order they were added
     */
    List<String> patterns(String document);

    /**
     * Adds a new random key to the store's keyring file and makes it the active one, so that the
     * next {@link #rotate()} encrypts every secret under it. Older keys stay in the file: values
     * in the history remain readable.
     *
     * @return the new key's id
     * @throws dev.configstore.ConfigStoreException {@code INVALID_INPUT} if the keys come from a
     *     {@link KeyProvider} (add the key there) or the store has no keyring file
     */
    String addKey();

    /**
     * Encrypts every secret value at head again under the keyring's active key, in one revision.
     *
     * @return the revision ({@code changed} false when every value already was under that key)
     */
    WriteResult rotate();

    /**
     * Removes a key from the store's keyring file once nothing the store holds, at any revision,
     * is encrypted under it (after a {@link #rotate()} and a compaction of the history before it).
     *
     * @param keyId the key's id
     * @throws dev.configstore.ConfigStoreException {@code CONFLICT} while a value uses the key,
     *     naming how many and the newest revision; {@code INVALID_INPUT} for the active key or a
     *     key provider's keys; {@code NOT_FOUND} if the keyring has no such key
     */
    void retireKey(String keyId);

    /**
     * Signs the history as it is now: after checking that its hash chain is intact, gives every
     * revision without an HMAC one under the keyring's chain key. Revisions written by a process
     * without the keyring, or a store whose keys came from a key provider later, need this once;
     * a keyring the store makes itself signs the history when it is made.
     *
     * @return how many revisions were signed
     * @throws dev.configstore.ConfigStoreException {@code STORE_DAMAGED} if the hash chain is
     *     broken (nothing is signed), {@code INVALID_INPUT} without a keyring
     */
    long signHistory();

    /**
     * Decrypts every secret value the store holds, at every revision, and reports the ones that
     * do not decrypt (a missing key, a ciphertext moved or changed).
     *
     * @return one line per failing value: document, key, revision and why; empty if all decrypt
     */
    List<String> verify();
}
