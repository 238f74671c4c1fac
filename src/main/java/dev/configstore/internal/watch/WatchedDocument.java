package dev.configstore.internal.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.history.ChangeKind;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.rows.ChangeRows;
import dev.configstore.internal.rows.ChangeRows.DocumentChanges;
import dev.configstore.internal.rows.ChangeRows.RevisionChanges;
import dev.configstore.internal.rows.StoreRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * What one watch follows: a document (or profile) and a key subtree, and the chain of documents
 * it resolves through as of the watch's position. Turns each revision into the key changes of
 * the resolved subtree: straight from the revision's rows when the document extends nothing
 * before and after (the common case, no read), else by resolving the chain before and after the
 * revision from the database. Used by one thread at a time.
 */
final class WatchedDocument {

    private final String document;
    /** The key in its stored form, or null for the whole document. */
    private final String key;
    private List<String> chain;

    WatchedDocument(String document, String key, List<String> chain) {
        this.document = document;
        this.key = key;
        this.chain = List.copyOf(chain);
    }

    String document() {
        return document;
    }

    /**
     * The resolved key changes inside the subtree that one revision made, sorted by key.
     *
     * @param read runs a read of the database, for a revision that touches a chain of profiles
     */
    List<KeyChange> changes(RevisionChanges revision, Function<Function<DSLContext, List<KeyChange>>, List<KeyChange>> read) {
        Map<String, DocumentChanges> touched = revision.documents();
        DocumentChanges own = touched.get(document);
        boolean relevant = own != null || chain.stream().anyMatch(touched::containsKey);
        if (!relevant) {
            return List.of();
        }
        if (chain.size() <= 1) {
            List<String> after = chainAfter(own);
            if (after != null) {
                chain = after;
                return own == null ? List.of() : direct(own);
            }
        }
        List<String>[] after = newChain();
        List<KeyChange> changes = read.apply(context -> resolvedChanges(context, revision.revision(), after));
        chain = after[0]; // set after the read: a retried read starts again from the chain before the revision
        return changes;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newChain() {
        return (List<String>[]) new List<?>[1];
    }

    /**
     * Whether a revision leaves the watched subtree and the chain as they were, decided from the
     * revision alone (false when that would take a read). Changes nothing.
     */
    boolean unaffectedBy(RevisionChanges revision) {
        Map<String, DocumentChanges> touched = revision.documents();
        DocumentChanges own = touched.get(document);
        if (own == null) {
            return chain.stream().noneMatch(touched::containsKey);
        }
        if (chain.size() > 1 || !chain.equals(chainAfter(own))) {
            return false;
        }
        for (ChangeRows.PathChange path : own.paths()) {
            if (inside(path.path())) {
                return false;
            }
        }
        return true;
    }

    /** The chain after a revision that touched only this document's own rows, or null if a parent is involved. */
    private List<String> chainAfter(DocumentChanges own) {
        if (own == null || own.version() == null) {
            return chain;
        }
        if (own.version().deleted()) {
            return List.of();
        }
        return own.version().meta().parent() == null ? List.of(document) : null;
    }

    private List<KeyChange> direct(DocumentChanges own) {
        List<KeyChange> changes = new ArrayList<>();
        for (ChangeRows.PathChange path : own.paths()) {
            if (inside(path.path())) {
                changes.add(change(path.path(), parse(path.oldJson(), path.path()), parse(path.newJson(), path.path())));
            }
        }
        return changes;
    }

    private List<KeyChange> resolvedChanges(DSLContext context, long revision, List<String>[] chainAfter) {
        List<KeyChange> changes;
        try {
            List<String> after = chainAt(context, document, revision);
            TreeMap<String, Inheritance.Supplied> before = resolved(context, chain, revision - 1);
            TreeMap<String, Inheritance.Supplied> now = resolved(context, after, revision);
            chainAfter[0] = after;
            changes = diff(before, now);
        } catch (ConfigStoreException e) {
            ChangeRows.checkFloor(context, revision - 1); // rows compacted under the reads tell as that, not as damage
            throw e;
        }
        // a compaction that committed during the reads may have removed version or entry rows they
        // needed without any read failing (a missing version reads as a missing document)
        ChangeRows.checkFloor(context, revision - 1);
        return changes;
    }

    private List<KeyChange> diff(TreeMap<String, Inheritance.Supplied> before, TreeMap<String, Inheritance.Supplied> now) {
        TreeMap<String, KeyChange> changes = new TreeMap<>();
        before.forEach((path, old) -> {
            Inheritance.Supplied current = now.get(path);
            if (current == null) {
                changes.put(path, change(path, Optional.of(old.leaf().value()), Optional.empty()));
            } else if (!current.leaf().json().equals(old.leaf().json())) {
                changes.put(path, change(path, Optional.of(old.leaf().value()), Optional.of(current.leaf().value())));
            }
        });
        now.forEach((path, current) -> {
            if (!before.containsKey(path)) {
                changes.put(path, change(path, Optional.empty(), Optional.of(current.leaf().value())));
            }
        });
        return new ArrayList<>(changes.values());
    }

    private KeyChange change(String path, Optional<JsonNode> oldValue, Optional<JsonNode> newValue) {
        ChangeKind kind = oldValue.isEmpty() ? ChangeKind.ADDED : newValue.isEmpty() ? ChangeKind.REMOVED : ChangeKind.CHANGED;
        return new KeyChange(document, ConfigKey.parse(path), kind, oldValue.map(SecretBox::mask),
                newValue.map(SecretBox::mask));
    }

    private Optional<JsonNode> parse(String json, String path) {
        return json == null ? Optional.empty()
                : Optional.of(SecretBox.mask(Json.parse(json, "stored value of " + document + ":" + path)));
    }

    /** Whether a stored key is the watched key or below it. */
    boolean inside(String path) {
        return key == null || path.equals(key) || path.startsWith(key + ".");
    }

    /** The resolved leaves of the watched subtree at a revision, by stored key. */
    TreeMap<String, Inheritance.Supplied> resolved(DSLContext context, List<String> names, long revision) {
        List<Inheritance.Source> sources = new ArrayList<>();
        for (String name : names) {
            Inheritance.Source source = StoreRows.sourceAt(context, name, revision);
            if (source == null) {
                break;
            }
            sources.add(source);
        }
        TreeMap<String, Inheritance.Supplied> inside = new TreeMap<>();
        if (!sources.isEmpty()) {
            Inheritance.resolve(sources, key).forEach((path, supplied) -> {
                if (inside(path)) {
                    inside.put(path, supplied);
                }
            });
        }
        return inside;
    }

    /** The documents a document resolves through at a revision, itself first; empty if it did not exist. */
    static List<String> chainAt(DSLContext context, String document, long revision) {
        List<String> chain = new ArrayList<>();
        String next = document;
        while (next != null && !chain.contains(next) && chain.size() <= dev.configstore.ConfigKey.MAX_SEGMENTS) {
            StoreRows.VersionRow version = StoreRows.latestVersions(context, revision, next).get(next);
            if (version == null || version.deleted()) {
                break;
            }
            chain.add(next);
            next = version.meta().parent();
        }
        return chain;
    }
}
