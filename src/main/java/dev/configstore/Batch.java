package dev.configstore;

/**
 * Collects changes to one or more documents and commits them as one revision: all of them
 * or none. Obtain one from {@link ConfigStore#batch()}.
 *
 * <p>Not thread-safe: build and commit a batch on one thread. A batch can be committed once.
 */
public interface Batch {

    /**
     * Sets a key of a document to a value; see {@link ConfigStore#put(String, String, Object)}.
     *
     * @param document the document
     * @param key the key in dotted form
     * @param value the value: a {@code JsonNode}, a string, number, boolean, map, list, record
     *     or any object Jackson can convert to a tree
     * @return this batch
     */
    Batch set(String document, String key, Object value);

    /**
     * Sets a key to a secret value: encrypted before it reaches the database, masked on every
     * read until revealed; see {@link dev.configstore.secret.Secrets}.
     *
     * @param document the document
     * @param key the key in dotted form
     * @param value the value, as for {@link #set}
     * @return this batch
     * @throws ConfigStoreException {@code INVALID_INPUT} if the store has no keyring
     */
    Batch setSecret(String document, String key, Object value);

    /**
     * Removes a key and everything below it; the commit fails if it does not exist.
     *
     * @param document the document
     * @param key the key in dotted form
     * @return this batch
     */
    Batch unset(String document, String key);

    /**
     * Replaces a whole document.
     *
     * @param document the document
     * @param tree the new content: a JSON object, or an object Jackson converts to one
     * @return this batch
     */
    Batch replace(String document, Object tree);

    /**
     * Deletes a document.
     *
     * @param document the document
     * @return this batch
     */
    Batch delete(String document);

    /**
     * Adds a prepared change.
     *
     * @param change the change
     * @return this batch
     */
    Batch add(Change change);

    /**
     * Makes the commit fail with a {@link VersionConflictException} if any document the batch
     * touches changed after {@code revision}. Pass the store revision (or the document's
     * {@code lastChanged}) at which you read what you are about to change.
     *
     * @param revision the revision the changes are based on
     * @return this batch
     */
    Batch expectRevision(long revision);

    /**
     * Sets the message recorded with the revision.
     *
     * @param message a short note on why, at most 2000 characters
     * @return this batch
     */
    Batch message(String message);

    /**
     * Commits the changes as one revision. A batch whose changes leave every document as it
     * was produces no revision and returns {@code changed() == false}.
     *
     * @return the result
     * @throws VersionConflictException if an expected revision did not match
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if an unset key or a
     *     deleted document does not exist, {@link ErrorCode#INVALID_INPUT} if a name, key or
     *     value is invalid, {@link ErrorCode#STORE_UNAVAILABLE} if the database failed
     */
    WriteResult commit();
}
