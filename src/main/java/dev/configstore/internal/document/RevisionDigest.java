package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeMap;

/**
 * The canonical digest of one revision for the hash chain: its number, time, actor, message and
 * operation, every document version row it wrote (with the metadata and checksum) and every
 * value row it began or ended, as one canonical JSON array. The write path fills it from what it
 * writes; verification fills it from the rows; both must give the same text. Not thread-safe.
 */
public final class RevisionDigest {

    /** The chain hash before the first revision. */
    public static final String GENESIS = "0".repeat(64);

    private final long revision;
    private final String committedAt;
    private final String actor;
    private final String message;
    private final String operation;
    private final TreeMap<String, ArrayNode> versions = new TreeMap<>();
    /** Per document and stored key path: [document, path, whether a row ended here, the new value or null]. */
    private final TreeMap<String, ArrayNode> entries = new TreeMap<>();

    public RevisionDigest(long revision, Instant committedAt, String actor, String message, String operation) {
        this.revision = revision;
        this.committedAt = stored(committedAt).toString();
        this.actor = actor;
        this.message = message;
        this.operation = operation;
    }

    /** The time as the database keeps it: to the microsecond. */
    public static Instant stored(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    public long revision() {
        return revision;
    }

    /** A document version row of this revision. */
    public RevisionDigest version(String document, boolean deleted, int keyCount, String checksum, DocumentMeta meta) {
        ArrayNode row = Json.NODES.arrayNode().add(document).add(deleted).add(keyCount).add(checksum)
                .add(meta.parent()).add(meta.description()).add(meta.tagsJson()).add(meta.schema())
                .add(meta.secretPatternsJson());
        versions.put(document, row);
        return this;
    }

    /** A value row that this revision ended (its key changed or went away). */
    public RevisionDigest ended(String document, String path) {
        entry(document, path).set(2, Json.NODES.booleanNode(true));
        return this;
    }

    /** A value row that this revision began, with its stored JSON. */
    public RevisionDigest began(String document, String path, String json) {
        entry(document, path).set(3, Json.NODES.textNode(json));
        return this;
    }

    private ArrayNode entry(String document, String path) {
        return entries.computeIfAbsent(document + '\u0000' + path, key -> Json.NODES.arrayNode().add(document).add(path)
                .add(false).addNull());
    }

    /** The chain hash of this revision after {@code previous}: SHA-256 of both, as hex. */
    public String chain(String previous) {
        ArrayNode all = Json.NODES.arrayNode().add("configstore-chain-1").add(previous).add(revision).add(committedAt)
                .add(actor).add(message).add(operation);
        ArrayNode versionRows = all.addArray();
        versions.values().forEach(versionRows::add);
        ArrayNode entryRows = all.addArray();
        entries.values().forEach(entryRows::add); // keyed by document, NUL, path: in that order
        return Json.sha256(Json.canonical(all));
    }

    /** Adds what one planned document write puts in the rows. */
    public RevisionDigest write(DocumentWrite write) {
        version(write.document(), !write.exists(), write.keyCount(), write.checksum(), write.meta());
        for (LeafWrite leaf : write.leaves()) {
            if (leaf.oldLeaf() != null) {
                ended(write.document(), leaf.path());
            }
            if (leaf.newValue() != null) {
                began(write.document(), leaf.path(), leaf.newJson());
            }
        }
        return this;
    }

    /** Adds every planned document write. */
    public RevisionDigest writes(List<DocumentWrite> writes) {
        writes.forEach(this::write);
        return this;
    }
}
