package dev.configstore.internal.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import org.h2.mvstore.MVStore;
import org.h2.store.fs.FilePath;

/**
 * Finds the newest state of an H2 file that was not closed cleanly, where H2's own quick
 * recovery would not.
 *
 * <p>After a crash, H2 starts from the chunk its file header names and follows the predicted
 * positions of the chunks written after it. The power-loss tests found files where that chain
 * ended early: the newest chunks, synced and acknowledged, sat in reused space that the header
 * and the predictions did not lead to, and H2 opened the store at an older revision without a
 * word. A full scan of the file ({@code recoveryMode}) finds them. So when the file's header
 * lacks H2's clean-shutdown mark, the file is opened both ways, read-only; only when the full
 * scan finds a newer state is the file opened once more with the full scan and closed cleanly,
 * which writes a header that names that state. A file closed cleanly costs one read of its
 * first block.
 */
final class H2CrashRecovery {

    private static final int HEADER_BYTES = 4096;

    private H2CrashRecovery() {
    }

    /**
     * Recovers {@code name}{@code .mv.db} (an H2 file name, with its file system prefix) if it
     * needs it. Only call it when no process has the file open.
     *
     * @return whether the file was rewritten to name a newer state
     */
    static boolean recoverIfUnclean(String name) {
        return recoverIfUnclean(name, false);
    }

    private static boolean recoverIfUnclean(String name, boolean beforeOpen) {
        ReadOnlyFilePath.register();
        synchronized (ReadOnlyFilePath.class) {
            try {
                return recover(name, beforeOpen);
            } finally {
                ReadOnlyFilePath.closeLeftovers(); // H2 leaves a file open (and locked) when an open fails
            }
        }
    }

    /**
     * Runs the recovery for an H2 URL that names a file no
     * process has open (no lock file); in-memory and server URLs are left alone.
     */
    static void recoverUrlFile(String url) {
        String name = fileName(url);
        if (name == null || FilePath.get(name + ".lock.db").exists()) {
            return; // not a file, or open in some process: it recovered the file when it opened it
        }
        recoverIfUnclean(name);
    }

    /**
     * Runs the recovery as H2 is about to open a store file in this process: at a first open,
     * and when a process that joined through the auto-server takes the file over after its
     * host died. Called from {@link H2OpenRecovery}, before H2 takes the file's lock, so a host
     * may still hold the file: the recovery only rewrites the file when it gets the exclusive
     * lock H2 holds on an open file, so a live host is never touched.
     */
    static void recoverBeforeOpen(String url) {
        String name = fileName(url);
        if (name != null) {
            recoverIfUnclean(name, true);
        }
    }

    /** The file name (with its file system prefix) of an H2 URL, or null for memory, server or read-only URLs. */
    static String fileName(String url) {
        String name = url.substring("jdbc:h2:".length());
        int options = name.indexOf(';');
        name = options < 0 ? name : name.substring(0, options);
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.startsWith("zip:")
                || url.toUpperCase(java.util.Locale.ROOT).contains("ACCESS_MODE_DATA=R")) {
            return null;
        }
        return lower.startsWith("file:") ? name.substring("file:".length()) : name;
    }

    /**
     * The recovery itself. With {@code beforeOpen}, a file whose full scan found a newer state
     * that this process cannot rewrite (another process that takes the file over at the same
     * moment holds it) fails the open rather than let H2 open it without that state; the pool
     * tries again, and by then the other process has repaired the file or serves it.
     */
    private static boolean recover(String name, boolean beforeOpen) {
        String file = name + ".mv.db";
        long[] versions = versions(file);
        if (versions == null || versions[1] <= versions[0]) {
            return false;
        }
        try {
            new MVStore.Builder().fileName(file).recoveryMode().open()
                    .close(); // a clean close writes a header naming the newest chunk
            return true;
        } catch (RuntimeException e) {
            if (beforeOpen) {
                throw new IllegalStateException("the H2 file " + file + " was not closed cleanly: H2 would open it"
                        + " at version " + versions[0] + " but it holds version " + versions[1] + ", and another"
                        + " process holds it while it is repaired; the open is tried again", e);
            }
            return false; // the open check that follows reports a file that cannot be written
        }
    }

    /**
     * The versions a quick open and a full scan find in a file not closed cleanly, read-only;
     * null for a missing or cleanly closed file, or one H2 cannot read either way (the open
     * check that follows reports it as damaged) or that another process holds.
     */
    private static long[] versions(String file) {
        String readOnly = ReadOnlyFilePath.SCHEME + ":" + file;
        try {
            if (!FilePath.get(file).exists() || closedCleanly(file)) {
                return null;
            }
            long quick;
            MVStore plain = new MVStore.Builder().fileName(readOnly).readOnly().open();
            try {
                quick = plain.getCurrentVersion();
            } finally {
                plain.close();
            }
            MVStore scan = new MVStore.Builder().fileName(readOnly).readOnly().recoveryMode().open();
            try {
                return new long[] {quick, scan.getCurrentVersion()};
            } finally {
                scan.close();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the file header carries H2's clean-shutdown mark ({@code clean:1}). */
    private static boolean closedCleanly(String file) throws IOException {
        try (FileChannel channel = FilePath.get(file).open("r")) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // read the first block
            }
            String text = new String(header.array(), 0, header.position(), StandardCharsets.ISO_8859_1);
            return text.startsWith("H:") && text.contains("clean:1");
        }
    }
}
