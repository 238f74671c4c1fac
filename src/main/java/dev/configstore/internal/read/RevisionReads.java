package dev.configstore.internal.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.RevisionWriter;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** Reads at a past revision, from the versioned rows. Thread-safe. */
public final class RevisionReads {

    private final RevisionWriter writer;
    private final StoreDatabase database;

    public RevisionReads(RevisionWriter writer, StoreDatabase database) {
        this.writer = writer;
        this.database = database;
    }

    public Optional<JsonNode> find(String document, String key, long revision) {
        String path = KeyPaths.canonical(key);
        return document(document, revision).flatMap(found -> found.find(ConfigKey.parse(path)));
    }

    public Optional<Document> document(String name, long revision) {
        writer.ensureOpen();
        String document = DocumentNames.check(name);
        return database.readAtLeast(revision, context -> {
            checkRevision(context, revision);
            List<Inheritance.Source> chain = chainAt(context, document, revision);
            checkRevision(context, revision); // a compaction may have removed the rows meanwhile
            if (chain.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode tree = (ObjectNode) SecretBox.mask(Json.build(Inheritance.resolvedValues(chain)));
            return Optional.of(new Document(document, revision, Inheritance.lastChanged(chain), tree));
        });
    }

    /** A document's chain of parents as it was at a revision; empty if it did not exist then. */
    static List<Inheritance.Source> chainAt(DSLContext context, String document, long revision) {
        return Inheritance.chain(document, name -> StoreRows.sourceAt(context, name, revision));
    }

    /**
     * Refuses revisions that do not exist: negative, beyond the committed head, or below the
     * history floor of a compaction and not pinned by a restore point.
     */
    public static void checkRevision(DSLContext context, long revision) {
        if (revision < 0) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " does not exist; revisions"
                    + " start at 0");
        }
        long head = StoreRows.head(context);
        if (revision > head) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " does not exist; the head"
                    + " revision is " + head);
        }
        long floor = StoreRows.historyFloor(context);
        if (revision < floor && !StoreRows.isPinned(context, revision)) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " was compacted: history"
                    + " below revision " + floor + " is gone except the revisions restore points pin");
        }
    }
}
