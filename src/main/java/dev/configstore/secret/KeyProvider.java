package dev.configstore.secret;

import java.util.Optional;

/**
 * Where a store's keys come from when the application keeps them itself (a vault, a KMS, an
 * environment variable) instead of the store's keyring file. Keys are 32 bytes (AES-256). A
 * provider must keep every key that encrypted a value the store still holds. Implementations
 * must be thread-safe.
 */
public interface KeyProvider {

    /**
     * Returns the id of the key new secrets are encrypted under.
     *
     * @return an id of 1 to 32 letters, digits, '-' or '_'
     */
    String activeKeyId();

    /**
     * Returns a key by its id.
     *
     * @param id the key's id, as recorded with each ciphertext
     * @return the 32 bytes of the key, or empty if the provider does not have it
     */
    Optional<byte[]> key(String id);

    /**
     * Returns the key of the history's HMAC chain: 32 bytes that never change for a store.
     *
     * @return the HMAC key
     */
    byte[] chainKey();
}
