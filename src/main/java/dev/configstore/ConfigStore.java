package dev.configstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.backup.RestorePoints;
import dev.configstore.format.Formats;
import dev.configstore.lock.Leases;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.History;
import dev.configstore.profile.Profiles;
import dev.configstore.watch.LiveValue;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import java.util.List;
import java.util.Optional;

/**
 * A versioned, audited, transactional configuration store.
 *
 * <p>A store holds named documents (JSON trees); {@value #MAIN_DOCUMENT} is the main one.
 * Every committed write is one store-wide revision; every past revision can be read back.
 * Reads at head are served from memory and follow commits made by other processes within
 * the builder's refresh interval (immediately for writes made through this instance).
 *
 * <p>Open one with {@link #builder()}. Implementations are thread-safe; close the store when
 * done to release its connections and file lock.
 */
public interface ConfigStore extends AutoCloseable {

    /** The name of the main document. */
    String MAIN_DOCUMENT = "current";

    /**
     * Returns a builder that opens a store.
     *
     * @return a new builder
     */
    static ConfigStoreBuilder builder() {
        return ConfigStoreBuilder.create();
    }

    /**
     * Returns the head revision as this store instance last saw it: 0 for a new store.
     *
     * @return the head revision
     */
    long revision();

    /**
     * Catches up with commits made by other processes now, instead of at the next refresh.
     *
     * @return the head revision after catching up
     * @throws ConfigStoreException with {@link ErrorCode#STORE_UNAVAILABLE} if the database
     *     cannot be reached
     */
    long refresh();

    /**
     * Returns the value at a key of the main document, from memory.
     *
     * @param key the key in dotted form, see {@link ConfigKey#parse(String)}
     * @return the value (scalars, arrays and objects), or empty if absent
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the key is malformed
     */
    Optional<JsonNode> find(String key);

    /**
     * Returns the value at a key of a document, from memory, resolved through the profiles the
     * document extends.
     *
     * @param document the document name
     * @param key the key in dotted form
     * @return the value, or empty if the document or the key is absent
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the name or key is
     *     malformed
     */
    Optional<JsonNode> find(String document, String key);

    /**
     * Returns the value at a key of the main document converted to a type: a typed read
     * ({@code Integer.class}, {@code String.class}, ...) or the binding of a subtree to a
     * record or POJO through Jackson.
     *
     * @param key the key in dotted form
     * @param type the type to convert to
     * @param <T> the type
     * @return the converted value, or empty if absent
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the value cannot be
     *     converted, naming the key and the type
     */
    <T> Optional<T> find(String key, Class<T> type);

    /**
     * Returns the value at a key of a document converted to a type.
     *
     * @param document the document name
     * @param key the key in dotted form
     * @param type the type to convert to
     * @param <T> the type
     * @return the converted value, or empty if absent
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the value cannot be
     *     converted
     */
    <T> Optional<T> find(String document, String key, Class<T> type);

    /**
     * Returns the value at a key of a document as it was at a past revision.
     *
     * @param document the document name
     * @param key the key in dotted form
     * @param revision the revision, from 0 to the head
     * @return the value then, or empty if absent then
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if the revision does not
     *     exist
     */
    Optional<JsonNode> findAt(String document, String key, long revision);

    /**
     * Returns a document at head, from memory, resolved through the profiles it extends (see
     * {@link Profiles}); {@link Profiles#raw(String)} gives its own content alone.
     *
     * @param name the document name
     * @return the document, or empty if there is no such document
     */
    Optional<Document> document(String name);

    /**
     * Returns a document exactly as it was at a past revision, resolved through the parents it
     * had then.
     *
     * @param name the document name
     * @param revision the revision, from 0 to the head
     * @return the document then, or empty if it did not exist then
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if the revision does not
     *     exist
     */
    Optional<Document> document(String name, long revision);

    /**
     * Lists the documents that exist at head, sorted by name.
     *
     * @return the documents
     */
    List<DocumentInfo> list();

    /**
     * Sets a key of the main document and commits it as one revision.
     *
     * @param key the key in dotted form
     * @param value the value (see {@link Batch#set(String, String, Object)})
     * @return the result
     * @throws ConfigStoreException see {@link Batch#commit()}
     */
    WriteResult put(String key, Object value);

    /**
     * Sets a key of a document and commits it as one revision, creating the document if needed.
     *
     * @param document the document name
     * @param key the key in dotted form
     * @param value the value (see {@link Batch#set(String, String, Object)})
     * @return the result
     * @throws ConfigStoreException see {@link Batch#commit()}
     */
    WriteResult put(String document, String key, Object value);

    /**
     * Removes a key (and everything below it) from the main document, as {@link Batch#unset}
     * does in a batch.
     *
     * @param key the key in dotted form
     * @return the result
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if the key is absent
     */
    WriteResult unset(String key);

    /**
     * Removes a key (and everything below it) from a document, as {@link Batch#unset} does in a
     * batch.
     *
     * @param document the document name
     * @param key the key in dotted form
     * @return the result
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if the key is absent
     */
    WriteResult unset(String document, String key);

    /**
     * Deletes a document, after an automatic restore point of it; its history stays readable.
     *
     * @param document the document name
     * @return the result
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if there is no such document
     */
    WriteResult delete(String document);

    /**
     * Starts a batch of changes that commit as one revision.
     *
     * @return a new batch
     */
    Batch batch();

    /**
     * Starts a watch: the listener gets one event per committed revision that changes the
     * request's key (or anything below it) in its document or profile, resolved through the
     * profiles it extends, including changes made by other processes.
     *
     * <p>Guarantees: events arrive in revision order, each matching revision exactly once; none is
     * skipped when many commit at once or the listener is slow (the watch reads the database's
     * history, it does not queue events in memory); a watch started after revision R delivers
     * every matching change after R, so an application that keeps the last revision it handled
     * resumes with nothing lost. Listeners run on the store's watch threads, never on the
     * writer's; a slow listener delays only its own watch. A listener that throws is logged and
     * reported to {@link dev.configstore.health.StoreMetrics#listenerFailed}; its watch goes on.
     * Closing the store closes its watches.
     *
     * @param request what to follow and from which revision
     * @param listener called with each event
     * @return the running watch; close it to stop
     * @throws HistoryCompactedException if the start revision is below the history floor
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the start revision is
     *     after the head or the name is malformed, {@link ErrorCode#NOT_FOUND} if the document or
     *     profile does not exist (the main document always may be watched)
     */
    Watch watch(WatchRequest request, WatchListener listener);

    /**
     * Binds a key of the main document to a type: see {@link #bind(String, String, Class)}.
     *
     * @param key the key in dotted form
     * @param type the type, a record or POJO Jackson can build, or a typed scalar
     * @param <T> the type
     * @return the live value
     */
    <T> LiveValue<T> bind(String key, Class<T> type);

    /**
     * Binds a key of a document or profile (resolved) to a type. The live value follows every
     * revision through a watch; each revision's value is converted and published whole. A
     * revision whose value does not convert (a wrong type, a missing required field, the key
     * removed) keeps the last good value and is reported to the live value's listeners and the
     * metrics hook; the next good revision is taken. Prefer immutable types (records): the
     * value returned by {@link dev.configstore.watch.LiveValue#get()} is shared.
     *
     * @param document the document or profile
     * @param key the key in dotted form
     * @param type the type
     * @param <T> the type
     * @return the live value, holding the value at the head
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if the document or the key is
     *     absent, {@link ErrorCode#INVALID_INPUT} if the value at head cannot be converted (naming
     *     the key and the type)
     */
    <T> LiveValue<T> bind(String document, String key, Class<T> type);

    /**
     * Returns the history view: revisions, diffs, per-key history, operations, read-only SQL.
     *
     * @return the history view
     */
    History history();

    /**
     * Returns the profiles view: create, list, explain, set the parent, rename, delete, apply.
     *
     * @return the profiles view
     */
    Profiles profiles();

    /**
     * Returns the restore points view: create, list, restore, delete, clean up.
     *
     * @return the restore points view
     */
    RestorePoints backups();

    /**
     * Returns the leases: named locks with an owner and an expiry, across processes.
     *
     * @return the leases view
     */
    Leases locks();

    /**
     * Returns import and export: documents in six text formats, whole stores as archives.
     *
     * @return the formats view
     */
    Formats formats();

    /**
     * Returns the health check and the store's figures.
     *
     * @return the health view
     */
    dev.configstore.health.StoreHealth health();

    /**
     * Returns the documents' JSON Schemas: set, show, remove, validate.
     *
     * @return the schemas view
     */
    dev.configstore.schema.Schemas schemas();

    /**
     * Returns the secrets: reveal, secret key patterns, rotation, the check of every ciphertext.
     *
     * @return the secrets view
     */
    dev.configstore.secret.Secrets secrets();

    /**
     * Releases the connections, the background refresh and, for an H2 file, the file lock.
     * Further calls fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    void close();
}
