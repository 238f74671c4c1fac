package dev.configstore.internal.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.Change;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.VersionConflictException;
import dev.configstore.history.ChangeKind;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.document.DocumentDelta;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.DocumentWrite;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.document.Leaf;
import dev.configstore.internal.document.LeafWrite;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.secret.Secrets;
import dev.configstore.internal.write.HeadCache.DocumentState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a list of changes into per-document deltas against the head in memory. Applies the
 * changes in order on an overlay, so later changes in a batch see earlier ones; then keeps only
 * the leaves whose value really differs. The work is proportional to the changes, not to the
 * documents (except for replace and delete, whose change is the whole document).
 */
final class WritePlan {

    private final Map<String, Overlay> overlays = new LinkedHashMap<>();
    private final HeadCache cache;
    private final int maxValueLength;
    /** Whether the changes are content the store already holds: then no input limit applies. */
    private final boolean trusted;
    private final Sealer sealer;

    /** Encrypts a value written at a key its document's secret patterns cover. */
    interface Sealer {
        JsonNode seal(String document, String path, JsonNode value);
    }

    private WritePlan(HeadCache cache, int maxValueLength, boolean trusted, Sealer sealer) {
        this.cache = cache;
        this.maxValueLength = maxValueLength;
        this.trusted = trusted;
        this.sealer = sealer;
    }

    /**
     * Plans the changes, then sets the metadata of documents ({@code metaEdits}, applied after
     * the changes). Throws a conflict if any touched document changed after
     * {@code expectedRevision} (when it is not negative). Refuses a parent that does not exist, an inheritance cycle and deleting a
     * document that another one extends. With {@code trusted} (content the store already holds)
     * the value length and depth limits are not applied again.
     */
    static List<DocumentWrite> plan(HeadCache cache, List<Change> changes, Map<String, DocumentMeta> metaEdits,
                                    long expectedRevision, int maxValueLength, boolean trusted, Sealer sealer) {
        WritePlan plan = new WritePlan(cache, maxValueLength, trusted, sealer);
        for (Change change : changes) {
            plan.apply(change);
        }
        metaEdits.forEach((document, meta) -> {
            Overlay overlay = plan.overlay(document);
            if (!overlay.exists) {
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + document + "' does not exist");
            }
            overlay.meta = meta;
        });
        plan.checkInheritance();
        if (expectedRevision > cache.revision()) {
            throw new ConfigStoreException(ErrorCode.CONFLICT, "expected revision " + expectedRevision + " is beyond"
                    + " the head revision " + cache.revision() + ", so it cannot be a revision that was read; read"
                    + " the store again and retry with the revision you read");
        }
        if (expectedRevision >= 0) {
            for (Overlay overlay : plan.overlays.values()) {
                if (overlay.base != null && overlay.base.lastChanged > expectedRevision) {
                    throw new VersionConflictException(overlay.name, expectedRevision, overlay.base.lastChanged);
                }
            }
        }
        List<DocumentWrite> writes = new ArrayList<>();
        for (Overlay overlay : plan.overlays.values()) {
            DocumentWrite write = overlay.finish();
            if (write != null) {
                writes.add(write);
            }
        }
        return writes;
    }

    private Overlay overlay(String document) {
        return overlays.computeIfAbsent(DocumentNames.check(document), name -> new Overlay(name, cache.state(name)));
    }

    /** Whether a document exists after this plan, and what it extends then. */
    private DocumentMeta metaAfter(String document) {
        Overlay overlay = overlays.get(document);
        if (overlay != null) {
            return overlay.exists ? overlay.meta : null;
        }
        DocumentState state = cache.state(document);
        return state != null && state.exists ? state.meta : null;
    }

    private void checkInheritance() {
        for (Overlay overlay : overlays.values()) {
            if (overlay.exists && overlay.meta.parent() != null) {
                List<String> path = new ArrayList<>(List.of(overlay.name));
                String parent = overlay.meta.parent();
                while (parent != null) {
                    if (path.contains(parent)) {
                        path.add(parent);
                        throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "'" + overlay.name + "' cannot extend '"
                                + overlay.meta.parent() + "': that makes an inheritance cycle " + String.join(" -> ", path));
                    }
                    DocumentMeta meta = metaAfter(parent);
                    if (meta == null) {
                        throw new ConfigStoreException(ErrorCode.NOT_FOUND, "'" + path.get(path.size() - 1)
                                + "' would extend '" + parent + "', which does not exist");
                    }
                    path.add(parent);
                    parent = meta.parent();
                }
            }
        }
        for (Overlay overlay : overlays.values()) {
            if (overlay.existedBefore && !overlay.exists) {
                List<String> children = new ArrayList<>();
                for (String document : cache.metas().keySet()) {
                    DocumentMeta meta = metaAfter(document);
                    if (meta != null && overlay.name.equals(meta.parent())) {
                        children.add(document);
                    }
                }
                if (!children.isEmpty()) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "cannot delete '" + overlay.name + "': "
                            + String.join(", ", children.stream().map(c -> "'" + c + "'").toList())
                            + (children.size() == 1 ? " extends" : " extend") + " it; give "
                            + (children.size() == 1 ? "it" : "them") + " another parent first");
                }
            }
        }
    }

    private void apply(Change change) {
        Overlay overlay = overlay(change.document());
        boolean partial = change instanceof Change.Set || change instanceof Change.Unset;
        if (partial && !trusted && overlay.base != null && overlay.base.actualChecksum != null) {
            // a key written on top would cover the changed rows with a fresh checksum; only a whole
            // replacement (a restore, an import with replace) or a delete may follow
            throw DocumentDamage.refused(overlay.base);
        }
        if (change instanceof Change.Set set) {
            JsonNode value = set.value();
            String path = set.key().toString();
            Map<String, JsonNode> leaves = new LinkedHashMap<>();
            Json.flatten(path, value, leaves, !trusted);
            checkLengths(set.document(), leaves);
            overlay.exists = true;
            overlay.removeSubtree(path);
            for (String ancestor : KeyPaths.ancestors(path)) {
                overlay.removeLeaf(ancestor); // a scalar or an empty object in the way becomes an object
            }
            leaves.forEach((leafPath, leafValue) -> overlay.put(leafPath, sealIfSecret(overlay, leafPath, leafValue)));
        } else if (change instanceof Change.Unset unset) {
            String path = unset.key().toString();
            if (!overlay.exists) {
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + overlay.name + "' does not exist");
            }
            if (!overlay.removeSubtree(path)) {
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "key '" + path + "' is not in document '"
                        + overlay.name + "'");
            }
            String parent = KeyPaths.parent(path);
            if (!parent.isEmpty() && !overlay.hasAnythingAt(parent)) {
                overlay.put(parent, Json.mapper().createObjectNode()); // the parent object stays, now empty
            }
        } else if (change instanceof Change.Replace replace) {
            Map<String, JsonNode> leaves = new LinkedHashMap<>();
            Json.flatten("", replace.tree(), leaves, !trusted);
            checkLengths(replace.document(), leaves);
            overlay.clear();
            overlay.exists = true;
            leaves.forEach((leafPath, leafValue) -> overlay.put(leafPath, sealIfSecret(overlay, leafPath, leafValue)));
        } else if (change instanceof Change.Delete) {
            if (!overlay.exists) {
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + overlay.name + "' does not exist");
            }
            overlay.clear();
            overlay.exists = false;
            overlay.meta = DocumentMeta.NONE;
        }
    }

    /** A plain value at a secret pattern's key, encrypted; the mask written back on a secret, that secret. */
    private JsonNode sealIfSecret(Overlay overlay, String path, JsonNode value) {
        Leaf before = value.isTextual() && overlay.existedBefore ? overlay.base.byPath.get(path) : null;
        if (before != null && SecretBox.isSecret(before.value()) && value.asText().equals(Secrets.MASK)) {
            return before.value();
        }
        if (overlay.meta.secretPatterns().isEmpty() || SecretBox.isSecret(value) || !overlay.meta.isSecretPath(path, value)) {
            return value;
        }
        return sealer.seal(overlay.name, path, value);
    }

    /**
     * The value limit holds per stored value (each leaf), on every path: a document grown by
     * many small writes can always be replaced, imported or restored whole. Content the store
     * already holds (a restore, a rename, an apply) is not checked again.
     */
    private void checkLengths(String document, Map<String, JsonNode> leaves) {
        if (trusted) {
            return;
        }
        for (Map.Entry<String, JsonNode> leaf : leaves.entrySet()) {
            JsonNode value = leaf.getValue();
            if (!value.isContainerNode() && !value.isTextual()) {
                continue; // a number, boolean or null is far below any limit
            }
            int length = Json.canonical(value).length();
            if (length > maxValueLength) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "value for key '" + leaf.getKey()
                        + "' of document '" + document + "' is " + length + " characters of JSON; the limit is "
                        + maxValueLength);
            }
        }
    }

    /** A document's head plus the edits of this batch; {@code null} in edits means removed. */
    private static final class Overlay {
        final String name;
        final DocumentState base;
        final boolean existedBefore;
        boolean exists;
        DocumentMeta meta;
        final TreeMap<String, JsonNode> edits = new TreeMap<>();

        Overlay(String name, DocumentState base) {
            this.name = name;
            this.base = base;
            this.existedBefore = base != null && base.exists;
            this.exists = existedBefore;
            this.meta = existedBefore ? base.meta : DocumentMeta.NONE;
        }

        JsonNode get(String path) {
            if (edits.containsKey(path)) {
                return edits.get(path);
            }
            Leaf leaf = existedBefore ? base.byPath.get(path) : null;
            return leaf == null ? null : leaf.value();
        }

        void put(String path, JsonNode value) {
            edits.put(path, value);
        }

        boolean removeLeaf(String path) {
            if (get(path) == null) {
                return false;
            }
            edits.put(path, null);
            return true;
        }

        /** Removes the leaf at path and every leaf below it; returns whether anything was there. */
        boolean removeSubtree(String path) {
            boolean removed = removeLeaf(path);
            for (String below : descendants(path)) {
                removed |= removeLeaf(below);
            }
            return removed;
        }

        boolean hasAnythingAt(String path) {
            if (get(path) != null) {
                return true;
            }
            for (String below : descendants(path)) {
                if (get(below) != null) {
                    return true;
                }
            }
            return false;
        }

        private Set<String> descendants(String path) {
            String from = KeyPaths.descendantsFrom(path);
            String to = KeyPaths.descendantsTo(path);
            Set<String> paths = new LinkedHashSet<>();
            if (existedBefore) {
                paths.addAll(base.leaves.subMap(from, true, to, false).keySet());
            }
            paths.addAll(edits.subMap(from, true, to, false).keySet());
            return paths;
        }

        void clear() {
            if (existedBefore) {
                for (String path : base.leaves.keySet()) {
                    edits.put(path, null);
                }
            }
            for (Map.Entry<String, JsonNode> edit : edits.entrySet()) {
                edit.setValue(null);
            }
        }

        DocumentWrite finish() {
            List<LeafWrite> writes = new ArrayList<>();
            // a document whose rows no longer match its stored checksum (changed outside the store)
            // continues from the sum its rows really have, so a restore leaves it consistent again
            String from = existedBefore && base.actualChecksum != null ? base.actualChecksum
                    : existedBefore ? base.checksum : null;
            BigInteger sum = from != null ? Json.parseChecksum(from) : BigInteger.ZERO;
            int keyCount = existedBefore ? base.byPath.size() : 0;
            NavigableMap<String, JsonNode> all = edits;
            for (Map.Entry<String, JsonNode> edit : all.entrySet()) {
                String path = edit.getKey();
                Leaf old = existedBefore ? base.byPath.get(path) : null;
                JsonNode value = edit.getValue();
                if (old == null && value == null) {
                    continue;
                }
                String json = value == null ? null : Json.canonical(value);
                if (old != null && json != null && old.json().equals(json)) {
                    continue; // the same JSON, whatever Java number type it came as
                }
                if (old != null) {
                    sum = Json.subtract(sum, Json.leafDigest(path, old.json()));
                    keyCount--;
                }
                if (value != null) {
                    sum = Json.add(sum, Json.leafDigest(path, json));
                    keyCount++;
                }
                writes.add(new LeafWrite(path, old, value, json));
            }
            DocumentMeta metaBefore = existedBefore ? base.meta : DocumentMeta.NONE;
            DocumentMeta metaAfter = exists ? meta : DocumentMeta.NONE;
            if (writes.isEmpty() && exists == existedBefore && metaAfter.equals(metaBefore)) {
                return null;
            }
            return new DocumentWrite(name, exists, exists ? keyCount : 0, exists ? Json.formatChecksum(sum)
                    : Json.EMPTY_CHECKSUM, metaAfter, writes);
        }
    }

    /** A planned write as key changes, sorted by document and key. */
    static List<KeyChange> changes(List<DocumentWrite> writes) {
        List<KeyChange> changes = new ArrayList<>();
        for (DocumentWrite write : writes) {
            for (LeafWrite leaf : write.leaves()) {
                java.util.Optional<JsonNode> before = java.util.Optional.ofNullable(leaf.oldLeaf()).map(Leaf::value)
                        .map(SecretBox::mask);
                java.util.Optional<JsonNode> after = java.util.Optional.ofNullable(leaf.newValue()).map(SecretBox::mask);
                ChangeKind kind = before.isEmpty() ? ChangeKind.ADDED : after.isEmpty() ? ChangeKind.REMOVED
                        : ChangeKind.CHANGED;
                changes.add(new KeyChange(write.document(), dev.configstore.ConfigKey.parse(leaf.path()), kind, before,
                        after));
            }
        }
        changes.sort(java.util.Comparator.comparing(KeyChange::document).thenComparing(c -> c.key().toString()));
        return changes;
    }

    /** The in-memory delta a planned write makes once committed at {@code revision}. */
    static List<DocumentDelta> deltas(List<DocumentWrite> writes, long revision) {
        List<DocumentDelta> deltas = new ArrayList<>();
        for (DocumentWrite write : writes) {
            List<String> removed = new ArrayList<>();
            Map<String, Leaf> added = new LinkedHashMap<>();
            for (LeafWrite leaf : write.leaves()) {
                if (leaf.oldLeaf() != null) {
                    removed.add(leaf.path());
                }
                if (leaf.newValue() != null) {
                    // the value as any reader will parse it from the row, so every process sees the same node types
                    added.put(leaf.path(), new Leaf(Json.parse(leaf.newJson(), "written value"), leaf.newJson(),
                            revision));
                }
            }
            deltas.add(new DocumentDelta(write.document(), write.exists(), revision, write.checksum(), write.meta(),
                    removed, added));
        }
        return deltas;
    }
}
