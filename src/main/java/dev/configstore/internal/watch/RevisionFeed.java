package dev.configstore.internal.watch;

import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.rows.ChangeRows;
import dev.configstore.internal.rows.ChangeRows.RevisionChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The revisions the watches read, shared: the newest ones read stay in memory (up to a count
 * and a size), so a hundred watches that keep up with the head cost one read per commit.
 * Thread-safe; one read at a time.
 */
final class RevisionFeed {

    /** The most revisions one read returns. */
    static final int BATCH = 500;
    private static final int KEEP_REVISIONS = 2_000;
    private static final long KEEP_CHARS = 16L << 20;

    private final StoreDatabase database;
    private final NavigableMap<Long, RevisionChanges> recent = new TreeMap<>();
    private final NavigableMap<Long, Long> weights = new TreeMap<>();
    private long chars;

    RevisionFeed(StoreDatabase database) {
        this.database = database;
    }

    /**
     * The revisions after {@code position}, oldest first, up to {@code head} (committed) and at
     * most {@link #BATCH}.
     *
     * @throws dev.configstore.HistoryCompactedException if those revisions were compacted
     */
    synchronized List<RevisionChanges> after(long position, long head) {
        long end = Math.min(head, position + BATCH);
        List<RevisionChanges> cached = new ArrayList<>();
        for (long revision = position + 1; revision <= end; revision++) {
            RevisionChanges changes = recent.get(revision);
            if (changes == null) {
                break;
            }
            cached.add(changes);
        }
        if (!cached.isEmpty()) {
            return cached;
        }
        List<RevisionChanges> read = database.readAtLeast(end, context -> ChangeRows.between(context, position, end));
        for (RevisionChanges changes : read) {
            keep(changes);
        }
        return read;
    }

    /** Drops the revisions after {@code head}: the database no longer has them. */
    synchronized void forgetAfter(long head) {
        while (!recent.isEmpty() && recent.lastKey() > head) {
            long newest = recent.lastKey();
            recent.remove(newest);
            chars -= weights.remove(newest);
        }
    }

    /** A revision if it is in memory, else null; never reads. */
    synchronized RevisionChanges cached(long revision) {
        return recent.get(revision);
    }

    /**
     * Reads the revisions after the newest one in memory up to {@code head}, so the watches that
     * keep up find them there: one read per commit for all of them.
     */
    void extendTo(long head) {
        long newest;
        synchronized (this) {
            newest = recent.isEmpty() ? head - 1 : recent.lastKey();
        }
        if (newest < head && head - newest <= BATCH) {
            after(newest, head);
        }
    }

    private void keep(RevisionChanges changes) {
        long weight = 200;
        for (ChangeRows.DocumentChanges document : changes.documents().values()) {
            for (ChangeRows.PathChange path : document.paths()) {
                weight += 100 + path.path().length() + length(path.oldJson()) + length(path.newJson());
            }
        }
        if (recent.put(changes.revision(), changes) == null) {
            weights.put(changes.revision(), weight);
            chars += weight;
        }
        while (recent.size() > KEEP_REVISIONS || (chars > KEEP_CHARS && recent.size() > 1)) {
            long oldest = recent.firstKey();
            recent.remove(oldest);
            chars -= weights.remove(oldest);
        }
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }
}
