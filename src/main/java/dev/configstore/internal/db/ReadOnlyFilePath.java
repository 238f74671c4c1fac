package dev.configstore.internal.db;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * The file system H2 sees during the read-only check of a store file: every file opens for
 * reading only, and nothing can be created, written, moved or deleted, so the check cannot
 * change a byte whatever H2 tries. It also remembers the channels H2 opened and closes them
 * after the check: H2 leaves a file's channel (and its lock) open when an open fails half-way,
 * which would keep this JVM from opening the file again.
 *
 * <p>Registered once with H2 under the scheme {@value #SCHEME}. Checks run one at a time.
 */
public final class ReadOnlyFilePath extends FilePathWrapper {

    static final String SCHEME = "configstore-readonly";
    private static final Object REGISTRATION = new Object();
    private static volatile boolean registered;
    private static final List<FileChannel> OPENED = new ArrayList<>();
    /**
     * Whether H2 is told that no lock file exists. H2 refuses a read-only open while one does,
     * even a stale one a killed process left; the check decides about the lock itself.
     */
    private static volatile boolean hideLockFiles;

    /** Registers the scheme with H2 if it is not yet. */
    static void register() {
        synchronized (REGISTRATION) {
            if (!registered) {
                FilePath.register(new ReadOnlyFilePath());
                registered = true;
            }
        }
    }

    /** Makes H2 see no lock files (or see them again). */
    static void hideLockFiles(boolean hide) {
        hideLockFiles = hide;
    }

    @Override
    public boolean exists() {
        if (hideLockFiles && name.endsWith(".lock.db")) {
            return false;
        }
        return super.exists();
    }

    /** Closes every channel H2 opened through this file system and left open. */
    static void closeLeftovers() {
        synchronized (OPENED) {
            for (FileChannel channel : OPENED) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing a read-only channel loses nothing
                }
            }
            OPENED.clear();
        }
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (!mode.equals("r")) {
            throw new IOException("the read-only check of " + name + " refused to open it in mode " + mode);
        }
        FileChannel channel = getBase().open("r");
        synchronized (OPENED) {
            OPENED.add(channel);
        }
        return channel;
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        throw new IOException("the read-only check refused to write " + name);
    }

    @Override
    public boolean createFile() {
        return false;
    }

    @Override
    public void createDirectory() {
        throw new IllegalStateException("the read-only check refused to create " + name);
    }

    @Override
    public void delete() {
        throw new IllegalStateException("the read-only check refused to delete " + name);
    }

    @Override
    public void moveTo(FilePath newName, boolean atomicReplace) {
        throw new IllegalStateException("the read-only check refused to move " + name);
    }

    @Override
    public boolean setReadOnly() {
        return false;
    }

    @Override
    public boolean canWrite() {
        return false;
    }

    @Override
    public FilePath createTempFile(String suffix, boolean inTempDir) throws IOException {
        throw new IOException("the read-only check refused to create a temporary file beside " + name);
    }
}
