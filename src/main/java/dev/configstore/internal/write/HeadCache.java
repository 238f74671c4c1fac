package dev.configstore.internal.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.Document;
import dev.configstore.DocumentInfo;
import dev.configstore.internal.document.DocumentDelta;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.document.Leaf;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.profile.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head revision of every document, in memory. Readers never block each other and take no
 * lock in the common case: an optimistic stamp tells them whether a revision was applied
 * while they read, and only then do they read again under the read lock, so a reader never
 * sees half of a multi-key revision. Revisions are applied one whole delta at a time by the
 * store, which serializes appliers itself.
 */
public final class HeadCache {

    private static final Logger LOG = LoggerFactory.getLogger(HeadCache.class);

    /** A document at head. Deleted documents stay, with {@code exists == false}, for conflict checks. */
    public static final class DocumentState {
        final String name;
        /** Sorted, for subtrees and whole documents. */
        final ConcurrentSkipListMap<String, Leaf> leaves = new ConcurrentSkipListMap<>();
        /** The same leaves by path, for reads of one key: a hash lookup instead of a walk of the skip list. */
        final ConcurrentHashMap<String, Leaf> byPath = new ConcurrentHashMap<>();
        volatile boolean exists;
        volatile long lastChanged;
        volatile String checksum = Json.EMPTY_CHECKSUM;
        volatile DocumentMeta meta = DocumentMeta.NONE;
        /**
         * The checksum the document's leaves really have when it differs from the stored one
         * (rows changed outside the store), else {@code null}. Such a document is not served.
         */
        volatile String actualChecksum;

        DocumentState(String name) {
            this.name = name;
        }
    }

    private final StampedLock lock = new StampedLock();
    private final ConcurrentHashMap<String, DocumentState> documents = new ConcurrentHashMap<>();
    private volatile long revision;
    /** Whether any leaf ever held a secret: reads mask values only then. */
    private volatile boolean anySecrets;
    /** Whether any document failed its checksum: reads check for damage only then. */
    private volatile boolean anyDamaged;

    public long revision() {
        return revision;
    }

    /** The state of a document for the write planner; callers hold the store's apply monitor. */
    DocumentState state(String document) {
        return documents.get(document);
    }

    /** The value at a key of a document, resolved through the documents it extends. */
    public Optional<JsonNode> find(String document, String path) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                Optional<JsonNode> value = findUnlocked(document, path);
                if (lock.validate(stamp)) {
                    return masked(value);
                }
            } catch (RuntimeException e) {
                if (lock.validate(stamp)) {
                    throw e;
                }
                // a revision was applied while reading the chain: read again under the lock
            }
        }
        stamp = lock.readLock();
        try {
            return masked(findUnlocked(document, path));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Optional<JsonNode> masked(Optional<JsonNode> value) {
        return anySecrets ? value.map(SecretBox::mask) : value;
    }

    private ObjectNode masked(ObjectNode tree) {
        return anySecrets ? (ObjectNode) SecretBox.mask(tree) : tree;
    }

    private Optional<JsonNode> findUnlocked(String document, String path) {
        DocumentState state = documents.get(document);
        if (state == null || !state.exists) {
            return Optional.empty();
        }
        if (state.meta.parent() != null) {
            return Inheritance.valueAt(Inheritance.resolve(Inheritance.chain(document, this::source), path), path);
        }
        Leaf leaf = state.byPath.get(path);
        if (leaf != null) {
            JsonNode value = leaf.value();
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
            relative.add(Map.entry(entry.getKey().substring(prefix), entry.getValue().value()));
        }
        return Optional.of(Json.build(relative));
    }

    /** A document resolved through the documents it extends. */
    public Optional<Document> document(String name) {
        long stamp = lock.readLock();
        try {
            List<Inheritance.Source> chain = Inheritance.chain(name, this::source);
            if (chain.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode tree = masked(Json.build(Inheritance.resolvedValues(chain)));
            return Optional.of(new Document(name, revision, Inheritance.lastChanged(chain), tree));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** A document's own content at head, without what it inherits. */
    public Optional<Document> rawDocument(String name) {
        long stamp = lock.readLock();
        try {
            DocumentState state = documents.get(name);
            if (state == null || !state.exists) {
                return Optional.empty();
            }
            List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>(state.leaves.size());
            for (Map.Entry<String, Leaf> entry : state.leaves.entrySet()) {
                leaves.add(Map.entry(entry.getKey(), entry.getValue().value()));
            }
            return Optional.of(new Document(name, revision, state.lastChanged, masked(Json.build(leaves))));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Every existing document other than the main one, with its metadata, sorted by name. */
    public List<Profile> profiles() {
        long stamp = lock.readLock();
        try {
            List<Profile> profiles = new ArrayList<>();
            for (DocumentState state : documents.values()) {
                if (state.exists && !state.name.equals(ConfigStore.MAIN_DOCUMENT)) {
                    profiles.add(profileOf(state));
                }
            }
            profiles.sort(Comparator.comparing(Profile::name));
            return profiles;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Any existing document, the main one too, described as a profile (parent, description, tags). */
    public Optional<Profile> profile(String name) {
        long stamp = lock.readLock();
        try {
            DocumentState state = documents.get(name);
            return state == null || !state.exists ? Optional.empty() : Optional.of(profileOf(state));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private static Profile profileOf(DocumentState state) {
        DocumentMeta meta = state.meta;
        return new Profile(state.name, Optional.ofNullable(meta.parent()), meta.description(), meta.tags(),
                state.byPath.size(), state.lastChanged);
    }

    /**
     * The chain of a document at head, copied under the read lock: the document first, then
     * what it extends. Empty if the document does not exist.
     */
    public List<Inheritance.Source> chain(String name) {
        long stamp = lock.readLock();
        try {
            List<Inheritance.Source> chain = new ArrayList<>();
            for (Inheritance.Source source : Inheritance.chain(name, this::source)) {
                chain.add(new Inheritance.Source(source.name(), source.lastChanged(), source.meta(),
                        new TreeMap<>(source.leaves())));
            }
            return chain;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * A live view of one existing document; callers hold the lock, validate a stamp, or hold the
     * writers' turn (nothing moves the cache then).
     */
    public Inheritance.Source source(String name) {
        DocumentState state = documents.get(name);
        if (state == null || !state.exists) {
            return null;
        }
        return new Inheritance.Source(name, state.lastChanged, state.meta, state.leaves);
    }

    /** The metadata of an existing document. */
    public Optional<DocumentMeta> meta(String name) {
        DocumentState state = documents.get(name);
        return state == null || !state.exists ? Optional.empty() : Optional.of(state.meta);
    }

    /** Every existing document's name and metadata; callers hold the store's apply monitor. */
    public Map<String, DocumentMeta> metas() {
        Map<String, DocumentMeta> metas = new TreeMap<>();
        documents.forEach((name, state) -> {
            if (state.exists) {
                metas.put(name, state.meta);
            }
        });
        return metas;
    }

    /** How many leaves a document holds, 0 if it does not exist. */
    public long keyCount(String document) {
        DocumentState state = documents.get(document);
        return state == null || !state.exists ? 0 : state.byPath.size();
    }

    /** How many leaves the existing documents hold together. */
    public long keyCount() {
        long keys = 0;
        for (DocumentState state : documents.values()) {
            if (state.exists) {
                keys += state.byPath.size();
            }
        }
        return keys;
    }

    public List<DocumentInfo> list() {
        long stamp = lock.readLock();
        try {
            List<DocumentInfo> infos = new ArrayList<>();
            for (DocumentState state : documents.values()) {
                if (state.exists) {
                    infos.add(new DocumentInfo(state.name, state.lastChanged, state.byPath.size(), state.checksum));
                }
            }
            infos.sort(Comparator.comparing(DocumentInfo::name));
            return infos;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Goes back to the database's head, below revisions this process had seen: they were lost
     * (the process holding an H2 file died before they reached it). Said in the log, because
     * acknowledged writes may be among them. Callers serialize appliers.
     */
    void restartAfterLoss(long databaseHead, List<DocumentDelta> state) {
        LOG.warn("the database holds revision {} but this process had seen revision {}: the revisions after {}"
                + " were lost (the process holding the store file stopped before they reached it); going on"
                + " from revision {}", databaseHead, revision(), databaseHead, databaseHead);
        reset(databaseHead, state);
    }

    /**
     * Replaces everything with a whole state at {@code newRevision}, and checks every document's
     * leaves against its stored checksum. Callers serialize appliers.
     */
    void reset(long newRevision, List<DocumentDelta> state) {
        long stamp = lock.writeLock();
        try {
            documents.clear();
            applyLocked(newRevision, state);
            boolean damaged = false;
            for (DocumentState document : documents.values()) {
                damaged |= recheck(document);
            }
            anyDamaged = damaged;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Recomputes a document's checksum from its leaves; returns whether it differs from the stored one. */
    private static boolean recheck(DocumentState document) {
        if (!document.exists) {
            document.actualChecksum = null;
            return false;
        }
        java.math.BigInteger sum = java.math.BigInteger.ZERO;
        for (Map.Entry<String, Leaf> leaf : document.leaves.entrySet()) {
            sum = Json.add(sum, Json.leafDigest(leaf.getKey(), leaf.getValue().json()));
        }
        String actual = Json.formatChecksum(sum);
        document.actualChecksum = actual.equals(document.checksum) ? null : actual;
        return document.actualChecksum != null;
    }

    /**
     * The first document in the chain of {@code name} (itself, then its parents) whose rows do
     * not match its checksum, or {@code null}.
     */
    public DocumentState damageIn(String name) {
        if (!anyDamaged) {
            return null;
        }
        String current = name;
        for (int hops = 0; current != null && hops <= documents.size(); hops++) {
            DocumentState state = documents.get(current);
            if (state == null) {
                return null;
            }
            if (state.actualChecksum != null) {
                return state;
            }
            current = state.meta.parent();
        }
        return null;
    }

    /** Applies deltas that bring the cache to {@code newRevision}. Callers serialize appliers. */
    void apply(long newRevision, List<DocumentDelta> deltas) {
        long stamp = lock.writeLock();
        try {
            applyLocked(newRevision, deltas);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void applyLocked(long newRevision, List<DocumentDelta> deltas) {
        for (DocumentDelta delta : deltas) {
            DocumentState state = documents.computeIfAbsent(delta.document(), DocumentState::new);
            for (String removed : delta.removed()) {
                state.leaves.remove(removed);
                state.byPath.remove(removed);
            }
            state.leaves.putAll(delta.added());
            state.byPath.putAll(delta.added());
            if (!anySecrets && delta.added().values().stream().anyMatch(leaf -> SecretBox.isSecret(leaf.value()))) {
                anySecrets = true;
            }
            state.exists = delta.exists();
            state.lastChanged = delta.revision();
            state.checksum = delta.checksum();
            state.meta = delta.meta();
            if (state.actualChecksum != null && !recheck(state)) {
                anyDamaged = documents.values().stream().anyMatch(other -> other.actualChecksum != null);
            }
        }
        revision = newRevision;
    }
}
