package dev.configstore.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.ConfigStore;
import dev.configstore.Replication;
import dev.configstore.history.RevisionEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads through the read URL (a standby preferred) never show less than the revision they must
 * see, while another writer keeps the standby replaying 4 KB values: 1,000 times, write revision R, then read
 * it back through the store that wrote it and through a store that did not.
 */
@ExtendWith(PostgresPairs.class)
class ReadYourWritesTest {

    @Test
    void aReadThroughAStandbyIsNeverOlderThanTheRevisionItMustSee(PostgresPairs pairs) throws Exception {
        PostgresPair pair = pairs.start(false); // asynchronous: the standby may lag the primary
        Replication replication = Replication.defaults().readUrl(pair.url()).replicaWait(Duration.ofSeconds(1));
        AtomicBoolean loading = new AtomicBoolean(true);
        try (ConfigStore writer = ConfigStore.builder().url(pair.url()).replication(replication).actor("writer").open();
             ConfigStore reader = ConfigStore.builder().url(pair.url()).replication(replication).actor("reader").open();
             ConfigStore load = ConfigStore.builder().url(pair.url()).actor("load").open()) {
            String bulk = "x".repeat(4_000);
            Thread loader = new Thread(() -> {
                for (int i = 0; loading.get(); i++) {
                    load.put("load", "k" + (i % 50), bulk + i); // WAL for the standby to replay
                    // a steady stream, not a flood: on two cores a flood makes every read wait for replay
                    java.util.concurrent.locks.LockSupport.parkNanos(3_000_000);
                }
            });
            loader.start();
            long started = System.nanoTime();
            try {
                for (int i = 1; i <= 1000; i++) {
                    long revision = writer.put("ryw", i).revision();
                    assertThat(writer.findAt(ConfigStore.MAIN_DOCUMENT, "ryw", revision).map(node -> node.asInt()))
                            .as("the writer's read of revision %d", revision).contains(i);
                    List<RevisionEntry> newest = writer.history().revisions(1);
                    assertThat(newest.get(0).revision()).as("the writer's newest revision").isGreaterThanOrEqualTo(revision);
                    assertThat(reader.document(ConfigStore.MAIN_DOCUMENT, revision).orElseThrow().find(dev.configstore.ConfigKey.parse("ryw"))
                            .map(node -> node.asInt())).as("another store's read of revision %d", revision).contains(i);
                }
            } finally {
                loading.set(false);
                loader.join();
            }
            long[] writerReads = counters(writer);
            long[] readerReads = counters(reader);
            System.out.printf("read-your-writes: 1,000 rounds in %d ms; writer's reads %d on the standby, %d on the primary; other store's"
                    + " %d on the standby, %d on the primary%n", (System.nanoTime() - started) / 1_000_000, writerReads[0], writerReads[1], readerReads[0],
                    readerReads[1]);
            assertThat(writerReads[0] + readerReads[0]).as("reads the standby answered").isGreaterThan(0);
        }
    }

    /** Reads answered by the standby and by the primary, from the store's internals. */
    private static long[] counters(ConfigStore store) {
        return ((dev.configstore.internal.DefaultConfigStore) store).replicaCounters();
    }
}
