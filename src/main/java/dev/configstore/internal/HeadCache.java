package dev.configstore.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.Document;
import dev.configstore.DocumentInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;

/**
 * The head revision of every document, in memory. Readers never block each other and take no
 * lock in the common case: an optimistic stamp tells them whether a revision was applied
 * while they read, and only then do they read again under the read lock, so a reader never
 * sees half of a multi-key revision. Revisions are applied one whole delta at a time by the
 * store, which serializes appliers itself.
 */
final class HeadCache {

    /** One leaf at head: its value, canonical text and the revision it was written at. */
    record Leaf(JsonNode value, String json, long since) {
    }

    /** A document at head. Deleted documents stay, with {@code exists == false}, for conflict checks. */
    static final class DocumentState {
        final String name;
        final ConcurrentSkipListMap<String, Leaf> leaves = new ConcurrentSkipListMap<>();
        volatile boolean exists;
        volatile long lastChanged;
        volatile String checksum = Json.EMPTY_CHECKSUM;

        DocumentState(String name) {
            this.name = name;
        }
    }

    /** What one revision (or a run of them) did to one document. */
    record DocumentDelta(String document, boolean exists, long revision, String checksum, List<String> removed,
                         Map<String, Leaf> added) {
    }

    private final StampedLock lock = new StampedLock();
    private final ConcurrentHashMap<String, DocumentState> documents = new ConcurrentHashMap<>();
    private volatile long revision;

    long revision() {
        return revision;
    }

    /** The state of a document for the write planner; callers hold the store's apply monitor. */
    DocumentState state(String document) {
        return documents.get(document);
    }

    Optional<JsonNode> find(String document, String path) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            Optional<JsonNode> value = findUnlocked(document, path);
            if (lock.validate(stamp)) {
                return value;
            }
        }
        stamp = lock.readLock();
        try {
            return findUnlocked(document, path);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Optional<JsonNode> findUnlocked(String document, String path) {
        DocumentState state = documents.get(document);
        if (state == null || !state.exists) {
            return Optional.empty();
        }
        Leaf leaf = state.leaves.get(path);
        if (leaf != null) {
            JsonNode value = leaf.value;
            return Optional.of(value.isContainerNode() ? value.deepCopy() : value);
        }
        NavigableMap<String, Leaf> below = state.leaves.subMap(KeyPaths.descendantsFrom(path), true,
                KeyPaths.descendantsTo(path), false);
        if (below.isEmpty()) {
            return Optional.empty();
        }
        int prefix = path.length() + 1;
        List<Map.Entry<String, JsonNode>> relative = new ArrayList<>();
        for (Map.Entry<String, Leaf> entry : below.entrySet()) {
            relative.add(Map.entry(entry.getKey().substring(prefix), entry.getValue().value));
        }
        return Optional.of(Json.build(relative));
    }

    Optional<Document> document(String name) {
        long stamp = lock.readLock();
        try {
            DocumentState state = documents.get(name);
            if (state == null || !state.exists) {
                return Optional.empty();
            }
            List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>(state.leaves.size());
            for (Map.Entry<String, Leaf> entry : state.leaves.entrySet()) {
                leaves.add(Map.entry(entry.getKey(), entry.getValue().value));
            }
            ObjectNode tree = Json.build(leaves);
            return Optional.of(new Document(name, revision, state.lastChanged, tree));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    List<DocumentInfo> list() {
        long stamp = lock.readLock();
        try {
            List<DocumentInfo> infos = new ArrayList<>();
            for (DocumentState state : documents.values()) {
                if (state.exists) {
                    infos.add(new DocumentInfo(state.name, state.lastChanged, state.leaves.size(), state.checksum));
                }
            }
            infos.sort(Comparator.comparing(DocumentInfo::name));
            return infos;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Applies deltas that bring the cache to {@code newRevision}. Callers serialize appliers. */
    void apply(long newRevision, List<DocumentDelta> deltas) {
        long stamp = lock.writeLock();
        try {
            for (DocumentDelta delta : deltas) {
                DocumentState state = documents.computeIfAbsent(delta.document(), DocumentState::new);
                for (String removed : delta.removed()) {
                    state.leaves.remove(removed);
                }
                state.leaves.putAll(delta.added());
                state.exists = delta.exists();
                state.lastChanged = delta.revision();
                state.checksum = delta.checksum();
            }
            revision = newRevision;
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}
