package dev.configstore.internal.backup;

import dev.configstore.Change;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoint;
import dev.configstore.backup.RestorePoints;
import dev.configstore.backup.RetentionPolicy;
import dev.configstore.history.Diff;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.history.JooqHistory;
import dev.configstore.internal.rows.RestorePointRows;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.AutomaticPoint;
import dev.configstore.internal.write.Edits;
import dev.configstore.internal.write.Write;
import dev.configstore.internal.write.RevisionWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** Restore points over the store's rows. Thread-safe. */
public final class StoreRestorePoints implements RestorePoints {

    private static final int MAX_NOTE = 2000;

    private final RevisionWriter writer;
    private final StoreDatabase database;
    private final JooqHistory history;

    public StoreRestorePoints(RevisionWriter writer, JooqHistory history) {
        this.writer = writer;
        this.database = writer.database();
        this.history = history;
    }

    @Override
    public RestorePoint create(String name, int priority, String note) {
        return create(null, name, priority, note);
    }

    @Override
    public RestorePoint create(String document, String name, int priority, String note) {
        String checked = checkName(name);
        String scope = document == null ? null : DocumentNames.check(document);
        String text = DocumentMeta.checkText("note", note, MAX_NOTE);
        return writer.loggedWrite("backup-create", scope, context -> {
            StoreRows.lockMaintenance(context); // a compaction running now would not see this pin
            long head = StoreRows.head(context);
            if (scope != null && StoreRows.sourceAt(context, scope, head) == null) {
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + scope + "' does not exist");
            }
            RestorePointRows.insert(context, checked, scope, head, text, priority, false,
                    writer.settings().clock().instant(), writer.settings().actor());
            return RestorePointRows.require(context, checked);
        });
    }

    private static String checkName(String name) {
        String checked = DocumentNames.check(name, "restore point name");
        if (checked.startsWith(RestorePointRows.AUTOMATIC_PREFIX)) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "invalid restore point name '" + name
                    + "': names starting with '" + RestorePointRows.AUTOMATIC_PREFIX + "' are kept for the ones"
                    + " the store makes itself");
        }
        return checked;
    }

    @Override
    public List<RestorePoint> list() {
        return database.read(RestorePointRows::list);
    }

    @Override
    public Optional<RestorePoint> find(String name) {
        Objects.requireNonNull(name, "name");
        return database.read(context -> RestorePointRows.find(context, name));
    }

    @Override
    public WriteResult restore(String name) {
        return restoreExpecting(name, -1);
    }

    @Override
    public WriteResult restore(String name, long expectedRevision) {
        if (expectedRevision < 0) {
            throw new IllegalArgumentException("expected revision must be 0 or more, was " + expectedRevision);
        }
        return restoreExpecting(name, expectedRevision);
    }

    /** The restore; the write plan refuses it if a document it changes changed after {@code expected} (when not negative). */
    private WriteResult restoreExpecting(String name, long expected) {
        Objects.requireNonNull(name, "name");
        RestorePoint point = database.read(context -> RestorePointRows.require(context, name));
        String scope = point.document().orElse(null);
        return writer.run(new Write("restore", scope, "restore " + name, expected, new AutomaticPoint(scope)),
                (context, cache) -> {
                    // read again inside the transaction: the restore point may have gone meanwhile
                    RestorePoint pinned = RestorePointRows.require(context, name);
                    long revision = pinned.revision();
                    TreeSet<String> documents = new TreeSet<>();
                    if (scope != null) {
                        documents.add(scope);
                    } else {
                        documents.addAll(cache.metas().keySet());
                        documents.addAll(StoreRows.latestVersions(context, revision, null).keySet());
                    }
                    List<Change> changes = new ArrayList<>();
                    Map<String, DocumentMeta> metas = new HashMap<>();
                    for (String document : documents) {
                        Inheritance.Source then = StoreRows.sourceAt(context, document, revision);
                        if (then == null) {
                            if (cache.meta(document).isPresent()) {
                                changes.add(new Change.Delete(document));
                            }
                        } else {
                            List<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> leaves = new ArrayList<>();
                            then.leaves().forEach((path, leaf) -> leaves.add(Map.entry(path, leaf.value())));
                            changes.add(new Change.Replace(document, Json.build(leaves)));
                            metas.put(document, then.meta());
                        }
                    }
                    return new Edits(changes, metas, true);
                });
    }

    @Override
    public Diff preview(String name) {
        Objects.requireNonNull(name, "name");
        RestorePoint point = database.read(context -> RestorePointRows.require(context, name));
        long head = writer.refresh();
        return point.document().map(document -> history.diff(document, head, point.revision()))
                .orElseGet(() -> history.diff(head, point.revision()));
    }

    @Override
    public void delete(String name) {
        Objects.requireNonNull(name, "name");
        writer.loggedWrite("backup-delete", null, context -> {
            RestorePointRows.require(context, name);
            return RestorePointRows.delete(context, List.of(name));
        });
    }

    @Override
    public List<RestorePoint> previewCleanup(int keep, RetentionPolicy policy) {
        checkCleanup(keep, policy);
        return database.read(context -> doomed(context, keep, policy));
    }

    private static void checkCleanup(int keep, RetentionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 or more, was " + keep);
        }
    }

    @Override
    public List<RestorePoint> cleanup(int keep, RetentionPolicy policy) {
        checkCleanup(keep, policy);
        return writer.loggedWrite("backup-cleanup", null, context -> {
            List<RestorePoint> doomed = doomed(context, keep, policy);
            if (!doomed.isEmpty()) {
                RestorePointRows.delete(context, doomed.stream().map(RestorePoint::name).toList());
            }
            return doomed;
        });
    }

    /** The restore points made on demand that a cleanup removes, in the order they go. */
    private static List<RestorePoint> doomed(org.jooq.DSLContext context, int keep, RetentionPolicy policy) {
        List<RestorePoint> manual = new ArrayList<>(RestorePointRows.list(context).stream()
                .filter(point -> !point.automatic()).toList()); // oldest first
        switch (policy) {
            case FIFO -> {
                // already oldest first
            }
            case LIFO -> java.util.Collections.reverse(manual);
            case PRIORITY -> manual.sort(Comparator.comparingInt(RestorePoint::priority)); // stable: oldest first
        }
        int remove = Math.max(0, manual.size() - keep);
        return List.copyOf(manual.subList(0, remove));
    }
}
