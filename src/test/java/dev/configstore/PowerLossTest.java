package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Power losses at random moments, on a simulated disk ({@link FaultyFilePath}) that keeps what
 * was synced and drops every write made since. Each trial opens the store the previous power
 * loss left, checks it, writes a few revisions, and loses power at a random write or sync; the
 * next trial starts from what the disk held then.
 *
 * <p>SYNC: every revision acknowledged before the power failed is there, the store opens and
 * its head is exactly what was written. PROCESS: the store opens and holds a prefix of the
 * history (a revision that was written, exactly as written). Both: verify is clean.
 *
 * <p>This suite found two faults, fixed since: a commit that H2's background writer was still
 * writing when the store synced (acknowledged, then lost), and H2's quick crash recovery
 * stopping at an older chunk than the newest synced one. {@link PowerLossRunner} measures the
 * harsher models (part of the unsynced writes kept, the last one torn), which H2 does not
 * survive every time; the README gives the figures.
 */
@Tag("slow")
class PowerLossTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "PROCESS"}) // the replicated ones need PostgreSQL
    void powerLossAtARandomWriteOrSync_losesNoAcknowledgedRevision(Durability durability) throws Exception {
        int trials = durability == Durability.SYNC ? 1000 : 300;
        Outcome outcome = run(temp, durability, FaultyFilePath.PowerLoss.DROP_UNSYNCED, trials, System.nanoTime(), true);
        System.out.println("power loss " + durability + ": " + outcome);
        assertThat(outcome.powerLosses()).isGreaterThan(trials / 2);
    }

    /** What a run of trials saw. */
    record Outcome(int trials, int powerLosses, long revisionsKept, int unsyncedLost, String failure, long seed) {
        @Override
        public String toString() {
            return trials + " trials, " + powerLosses + " power losses, " + revisionsKept + " revisions kept, "
                    + unsyncedLost + " revisions written after the last sync lost"
                    + (failure == null ? "" : ", FAILED: " + failure) + " (seed " + seed + ")";
        }
    }

    /**
     * Runs the trials; with {@code assertEach} the first broken guarantee fails the test, else
     * the run stops there and reports it.
     */
    static Outcome run(Path temp, Durability durability, FaultyFilePath.PowerLoss model, int trials, long seed,
                       boolean assertEach) throws Exception {
        FaultyFilePath.register();
        Random random = new Random(seed);
        NavigableMap<Long, Map<String, Integer>> written = new TreeMap<>();
        written.put(0L, Map.of());
        long required = 0;
        int lostTail = 0;
        int powerLosses = 0;
        byte[] disk = null;
        String previous = "(none)";
        for (int trial = 1; trial <= trials + 1; trial++) {
            String context = "seed " + seed + ", trial " + trial + " (the previous trial " + previous + ")";
            Path file = temp.resolve("t" + trial + ".mv.db");
            if (disk != null) {
                Files.write(file, disk);
            }
            FaultyFilePath.DISK.reset();
            boolean last = trial == trials + 1;
            if (!last) {
                FaultyFilePath.DISK.powerLossAt(random.nextInt(80), new Random(random.nextLong()), model);
            }
            TreeMap<Long, Long> acknowledgedAtOperation = new TreeMap<>();
            try (ConfigStore store = open(file, durability)) {
                long head = store.revision();
                String broken = null;
                if (durability == Durability.SYNC && head < required) {
                    broken = "head " + head + " after the power loss, but revision " + required + " was acknowledged";
                } else if (!written.containsKey(head)) {
                    broken = "head " + head + " was never written";
                } else if (!tree(store).equals(written.get(head))) {
                    broken = "revision " + head + " holds " + tree(store) + ", written was " + written.get(head);
                } else if ((last || trial % 100 == 0) && !store.health().verify().isClean()) {
                    broken = "verify found mismatches";
                }
                if (broken != null) {
                    if (assertEach) {
                        assertThat(broken).as(context).isNull();
                    }
                    return new Outcome(trial, powerLosses, head, lostTail, context + ": " + broken, seed);
                }
                lostTail += written.tailMap(head, false).size();
                written.tailMap(head, false).clear(); // what the disk lost is gone for good
                if (last) {
                    break;
                }
                Map<String, Integer> state = new TreeMap<>(written.get(head));
                int writes = 1 + random.nextInt(10);
                for (int i = 0; i < writes; i++) {
                    Batch batch = store.batch();
                    for (int change = 0; change <= random.nextInt(3); change++) {
                        String key = "k" + random.nextInt(8);
                        if (state.containsKey(key) && random.nextInt(4) == 0) {
                            batch.unset("current", key);
                            state.remove(key);
                        } else {
                            int value = random.nextInt(1000);
                            batch.set("current", key, value);
                            state.put(key, value);
                        }
                    }
                    WriteResult result = batch.commit();
                    if (result.changed()) {
                        written.put(result.revision(), new TreeMap<>(state));
                        acknowledgedAtOperation.put(result.revision(), FaultyFilePath.DISK.operations());
                    }
                }
            } catch (ConfigStoreException e) {
                if (assertEach) {
                    throw new AssertionError(context + ": " + e.getMessage(), e);
                }
                return new Outcome(trial, powerLosses, written.lastKey(), lostTail, context + ": " + e.getMessage(),
                        seed);
            }
            // a store's close returns before H2 has written its last state: wait for the file
            FaultyFilePath.DISK.awaitClosed();
            byte[] captured = FaultyFilePath.DISK.captured();
            long lostAt = FaultyFilePath.DISK.capturedAtOperation();
            previous = (captured == null ? "closed cleanly" : "lost power before disk operation " + lostAt) + " of "
                    + FaultyFilePath.DISK.operations() + "; acknowledged revision after operations: "
                    + acknowledgedAtOperation;
            if (captured == null) {
                disk = Files.readAllBytes(file);
                required = written.lastKey();
            } else {
                powerLosses++;
                disk = captured;
                // acknowledged before the power failed: the sync behind it ran before that operation
                for (Map.Entry<Long, Long> acknowledged : acknowledgedAtOperation.entrySet()) {
                    if (acknowledged.getValue() <= lostAt) {
                        required = Math.max(required, acknowledged.getKey());
                    }
                }
            }
            Files.deleteIfExists(file);
        }
        return new Outcome(trials, powerLosses, written.lastKey(), lostTail, null, seed);
    }

    private static ConfigStore open(Path file, Durability durability) {
        String name = file.toString().substring(0, file.toString().length() - ".mv.db".length());
        return ConfigStore.builder().url("jdbc:h2:" + FaultyFilePath.SCHEME + ":" + name)
                .credentials("owner", "secret").durability(durability).refreshInterval(Duration.ZERO)
                .automaticRestorePoints(0).poolSize(2).open();
    }

    private static Map<String, Integer> tree(ConfigStore store) {
        Map<String, Integer> values = new TreeMap<>();
        store.document("current").ifPresent(document -> {
            JsonNode tree = document.tree();
            tree.fieldNames().forEachRemaining(name -> values.put(name, tree.get(name).asInt()));
        });
        return values;
    }
}
