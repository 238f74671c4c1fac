package dev.configstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A file system for H2 (scheme {@code faulty:}) that behaves like an unlucky disk, for the
 * fault-injection tests. Every operation on a database file goes through {@link Disk}, which can:
 * <ul>
 *   <li>simulate a power loss at the Nth write or sync: it captures what the disk would hold had
 *   the power failed just then (everything synced, plus what a {@link PowerLoss} model keeps of
 *   the writes made since) while the process goes on unaware;</li>
 *   <li>run out of space: writes fail with "No space left on device" once a byte budget is spent;</li>
 *   <li>fail reads.</li>
 * </ul>
 * One test uses it at a time (the disk is global, as H2's file systems are).
 */
public final class FaultyFilePath extends FilePathWrapper {

    static final String SCHEME = "faulty";
    static final Disk DISK = new Disk();

    static {
        FilePath.register(new FaultyFilePath());
    }

    /** Makes sure the scheme is registered (class initialization does it). */
    static void register() {
        // the static initializer ran
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = getBase().open(mode);
        return name.endsWith(".mv.db") ? new FaultyChannel(channel, Path.of(getBase().toString())) : channel;
    }

    /** What a disk keeps of the writes made since the last sync when the power fails. */
    enum PowerLoss {
        /** None of them: the disk holds exactly what was synced. */
        DROP_UNSYNCED,
        /** The first of them, in the order they were made, each whole. */
        IN_ORDER_PREFIX,
        /** The first of them, in order, the last one possibly cut at a 4 KiB boundary. */
        IN_ORDER_TORN
    }

    /** The simulated disk: the faults to inject and the state of a power-loss capture. */
    static final class Disk {
        private static final int BLOCK = 4096;

        private final Object lock = new Object();
        private long operations;
        private long powerLossAt = -1;
        private Random random = new Random();
        private PowerLoss model = PowerLoss.DROP_UNSYNCED;
        private byte[] captured;
        private long capturedAtOperation = -1;
        private long bytesLeft = Long.MAX_VALUE;
        private boolean failReads;
        /** Writes since the last sync: where, what was there before, and the length before. */
        private final List<Undo> unsynced = new ArrayList<>();

        /** One write (or truncation) since the last sync: where, what was there, what was written. */
        private record Undo(long position, int length, byte[] before, long sizeBefore, byte[] after,
                            boolean truncation) {
        }

        private int openChannels;

        /**
         * Waits until H2 has closed every database file: a store's close returns before H2 has
         * finished writing its last state (the pool closes connections in the background).
         */
        void awaitClosed() throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            synchronized (lock) {
                while (openChannels > 0 && System.nanoTime() < deadline) {
                    lock.wait(50);
                }
                if (openChannels > 0) {
                    throw new IllegalStateException(openChannels + " database files are still open");
                }
            }
        }

        void opened() {
            synchronized (lock) {
                openChannels++;
            }
        }

        void closed() {
            synchronized (lock) {
                openChannels--;
                lock.notifyAll();
            }
        }

        /** Forgets every fault and capture. */
        void reset() {
            synchronized (lock) {
                operations = 0;
                powerLossAt = -1;
                captured = null;
                capturedAtOperation = -1;
                bytesLeft = Long.MAX_VALUE;
                failReads = false;
                unsynced.clear();
            }
        }

        /** The power fails just before write-or-sync number {@code operation} (counted from 0). */
        void powerLossAt(long operation, Random tears, PowerLoss kind) {
            synchronized (lock) {
                powerLossAt = operation;
                random = tears;
                model = kind;
            }
        }

        /** Writes and syncs so far. */
        long operations() {
            synchronized (lock) {
                return operations;
            }
        }

        /** What the disk held when the power failed, or {@code null} if it has not yet. */
        byte[] captured() {
            synchronized (lock) {
                return captured;
            }
        }

        long capturedAtOperation() {
            synchronized (lock) {
                return capturedAtOperation;
            }
        }

        void bytesLeft(long bytes) {
            synchronized (lock) {
                bytesLeft = bytes;
            }
        }

        void failReads(boolean fail) {
            synchronized (lock) {
                failReads = fail;
            }
        }

        int write(FileChannel file, Path path, ByteBuffer source, long position) throws IOException {
            synchronized (lock) {
                countOperation(file);
                int length = source.remaining();
                if (length > bytesLeft) {
                    throw new IOException("No space left on device: " + path);
                }
                bytesLeft -= length;
                long size = file.size();
                byte[] before = new byte[(int) Math.max(0, Math.min(length, size - position))];
                if (before.length > 0) {
                    readFully(file, ByteBuffer.wrap(before), position);
                }
                byte[] after = new byte[length];
                source.duplicate().get(after);
                unsynced.add(new Undo(position, length, before, size, after, false));
                int written = 0;
                while (source.hasRemaining()) {
                    written += file.write(source, position + written);
                }
                return written;
            }
        }

        void sync(FileChannel file) throws IOException {
            synchronized (lock) {
                countOperation(file);
                file.force(true);
                unsynced.clear();
            }
        }

        void truncate(FileChannel file, long size) throws IOException {
            synchronized (lock) {
                countOperation(file);
                long oldSize = file.size();
                if (size < oldSize) {
                    byte[] before = new byte[(int) (oldSize - size)];
                    readFully(file, ByteBuffer.wrap(before), size);
                    unsynced.add(new Undo(size, before.length, before, oldSize, new byte[0], true));
                    file.truncate(size);
                }
            }
        }

        int read(FileChannel file, Path path, ByteBuffer target, long position) throws IOException {
            synchronized (lock) {
                if (failReads) {
                    throw new IOException("Input/output error reading " + path + " at offset " + position);
                }
                return file.read(target, position);
            }
        }

        private void countOperation(FileChannel file) throws IOException {
            if (operations == powerLossAt && captured == null) {
                captured = imageAfterPowerLoss(file);
                capturedAtOperation = operations;
            }
            operations++;
        }

        /** The synced content, with each write since the last sync kept, lost or torn at random. */
        private byte[] imageAfterPowerLoss(FileChannel file) throws IOException {
            long size = file.size();
            byte[] now = new byte[(int) size];
            readFully(file, ByteBuffer.wrap(now), 0);
            byte[] synced = now.clone();
            long syncedSize = size;
            for (int i = unsynced.size() - 1; i >= 0; i--) {
                Undo undo = unsynced.get(i);
                if (undo.sizeBefore() != syncedSize) {
                    byte[] resized = new byte[(int) undo.sizeBefore()];
                    System.arraycopy(synced, 0, resized, 0, (int) Math.min(synced.length, resized.length));
                    synced = resized;
                }
                syncedSize = undo.sizeBefore();
                int restore = (int) Math.min(undo.before().length, synced.length - undo.position());
                if (restore > 0) {
                    System.arraycopy(undo.before(), 0, synced, (int) undo.position(), restore);
                }
            }
            byte[] image = synced.clone();
            long imageLength = synced.length;
            int reached = model == PowerLoss.DROP_UNSYNCED ? 0 : random.nextInt(unsynced.size() + 1);
            for (int i = 0; i < reached; i++) {
                Undo undo = unsynced.get(i);
                if (undo.truncation()) {
                    imageLength = Math.min(imageLength, undo.position());
                    java.util.Arrays.fill(image, (int) Math.min(image.length, imageLength), image.length, (byte) 0);
                    continue;
                }
                long from = undo.position();
                long to = from + undo.length();
                boolean last = i == reached - 1;
                if (last && model == PowerLoss.IN_ORDER_TORN && random.nextBoolean()) {
                    long firstBoundary = (from / BLOCK + 1) * BLOCK;
                    long boundaries = Math.max(0, (to - firstBoundary + BLOCK - 1) / BLOCK);
                    to = boundaries == 0 ? from : Math.min(to, firstBoundary + random.nextLong(boundaries) * BLOCK);
                }
                if (to > from) {
                    imageLength = Math.max(imageLength, to);
                    if (image.length < imageLength) {
                        image = java.util.Arrays.copyOf(image, (int) imageLength);
                    }
                    System.arraycopy(undo.after(), 0, image, (int) from, (int) (to - from));
                }
            }
            if (image.length != imageLength) {
                image = java.util.Arrays.copyOf(image, (int) imageLength);
            }
            return image;
        }

        private static void readFully(FileChannel file, ByteBuffer target, long position) throws IOException {
            long at = position;
            while (target.hasRemaining()) {
                int read = file.read(target, at);
                if (read < 0) {
                    break;
                }
                at += read;
            }
        }

        /** Writes a captured image where a store can be opened from it. */
        static void store(byte[] image, Path file) throws IOException {
            Files.write(file, image);
        }
    }

    /** A database file whose every operation goes through the simulated disk. */
    private static final class FaultyChannel extends FileBase {
        private final FileChannel file;
        private final Path path;
        private long position;

        FaultyChannel(FileChannel file, Path path) {
            this.file = file;
            this.path = path;
            DISK.opened();
        }

        @Override
        public synchronized int read(ByteBuffer target, long at) throws IOException {
            return DISK.read(file, path, target, at);
        }

        @Override
        public synchronized int write(ByteBuffer source, long at) throws IOException {
            return DISK.write(file, path, source, at);
        }

        @Override
        public synchronized int read(ByteBuffer target) throws IOException {
            int read = read(target, position);
            if (read > 0) {
                position += read;
            }
            return read;
        }

        @Override
        public synchronized int write(ByteBuffer source) throws IOException {
            int written = write(source, position);
            position += written;
            return written;
        }

        @Override
        public synchronized long position() {
            return position;
        }

        @Override
        public synchronized FileChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public synchronized FileChannel truncate(long size) throws IOException {
            DISK.truncate(file, size);
            position = Math.min(position, size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            DISK.sync(file);
        }

        @Override
        public FileLock tryLock(long at, long size, boolean shared) throws IOException {
            return file.tryLock(at, size, shared);
        }

        @Override
        public FileLock lock(long at, long size, boolean shared) throws IOException {
            return file.lock(at, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
            DISK.closed();
        }
    }
}
