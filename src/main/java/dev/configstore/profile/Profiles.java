package dev.configstore.profile;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.WriteResult;
import java.util.List;
import java.util.Optional;

/**
 * Profiles: every document other than {@value ConfigStore#MAIN_DOCUMENT}. A profile may extend
 * one parent, to any depth; reading it ({@link ConfigStore#document(String)},
 * {@link ConfigStore#find(String, String)}) resolves the chain by deep merge: objects merge key
 * by key and the child wins; arrays and scalars are replaced whole. Cycles and missing parents
 * are refused when written. Every change is a revision. Thread-safe.
 */
public interface Profiles {

    /**
     * Creates an empty profile with its metadata.
     *
     * @param definition name, parent, description and tags
     * @return the result
     * @throws ConfigStoreException with {@code INVALID_INPUT} if the name is malformed or
     *     taken, {@code NOT_FOUND} if the parent does not exist
     */
    WriteResult create(ProfileDefinition definition);

    /**
     * Lists the profiles at head, sorted by name.
     *
     * @return the profiles
     */
    List<Profile> list();

    /**
     * Finds one document's metadata at head: a profile, or the main document (which
     * {@link #list()} leaves out but which has a parent, a description and tags like any other).
     *
     * @param name the profile or {@value dev.configstore.ConfigStore#MAIN_DOCUMENT}
     * @return the metadata, or empty if there is no such document
     */
    Optional<Profile> find(String name);

    /**
     * Returns a document's own content at head, without what it inherits.
     *
     * @param name the document
     * @return the document, or empty
     */
    Optional<Document> raw(String name);

    /**
     * Returns a document's own content at a past revision, without what it inherits.
     *
     * @param name the document
     * @param revision the revision
     * @return the document then, or empty if it did not exist then
     * @throws ConfigStoreException with {@code NOT_FOUND} if the revision does not exist
     */
    Optional<Document> raw(String name, long revision);

    /**
     * Resolves a document at head and tells, for every resolved key, which document of the
     * chain supplied it and at which revision.
     *
     * @param name the document
     * @return the resolved keys, sorted by key
     * @throws ConfigStoreException with {@code NOT_FOUND} if the document does not exist
     */
    List<ResolvedKey> explain(String name);

    /**
     * Makes a document extend another one.
     *
     * @param name the document
     * @param parent the new parent
     * @return the result
     * @throws ConfigStoreException with {@code INVALID_INPUT} for a cycle, {@code NOT_FOUND}
     *     if either does not exist
     */
    WriteResult setParent(String name, String parent);

    /**
     * Makes a document extend nothing.
     *
     * @param name the document
     * @return the result
     * @throws ConfigStoreException with {@code NOT_FOUND} if it does not exist
     */
    WriteResult clearParent(String name);

    /**
     * Sets a document's description and tags.
     *
     * @param name the document
     * @param description the description, possibly empty
     * @param tags the tags
     * @return the result
     * @throws ConfigStoreException with {@code NOT_FOUND} if it does not exist
     */
    WriteResult describe(String name, String description, List<String> tags);

    /**
     * Renames a profile in one revision: its content and metadata move to the new name and the
     * profiles that extended it extend the new name. The old name's history stays readable
     * under the old name.
     *
     * @param from the profile
     * @param to the new name, which must be free
     * @return the result
     * @throws ConfigStoreException with {@code NOT_FOUND} if {@code from} does not exist,
     *     {@code INVALID_INPUT} if {@code to} is malformed or taken
     */
    WriteResult rename(String from, String to);

    /**
     * Deletes a profile, after an automatic restore point of it.
     *
     * @param name the profile
     * @return the result
     * @throws ConfigStoreException with {@code NOT_FOUND} if it does not exist,
     *     {@code INVALID_INPUT} for the main document or a profile others extend
     */
    WriteResult delete(String name);

    /**
     * Applies a resolved profile onto the main document: merged (the profile wins, objects
     * merge key by key) or replacing it. Either way an automatic restore point of the main
     * document is made first, since both can overwrite its values.
     *
     * @param name the profile
     * @param mode merge onto the main document, or replace it
     * @return the result
     * @throws ConfigStoreException with {@code NOT_FOUND} if the profile does not exist
     */
    WriteResult apply(String name, ApplyMode mode);
}
