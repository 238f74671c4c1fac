package dev.configstore.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.ConfigStore;
import dev.configstore.Durability;
import dev.configstore.Replication;
import dev.configstore.health.StoreMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failover under load on real servers: four writer threads and a command-line writer commit
 * continuously while the test kills the primary's postmaster (SIGKILL) at a random moment,
 * promotes the standby and gives it a new standby where the dead primary was. After each kill:
 * every acknowledged write is there exactly once, at the revision its caller was told; every
 * write reported failed is absent; nothing is there that no caller was told about; revisions
 * have no gaps; verify and the chain are clean. {@code -Dconfigstore.failover.kills=100} runs
 * more kill points (the {@code failover} profile).
 */
@ExtendWith(PostgresPairs.class)
class FailoverTest {

    private static final int KILLS = Integer.getInteger("configstore.failover.kills", 20);

    @Test
    void aSynchronousPairLosesNoAcknowledgedWriteAndAppliesNoneTwice(PostgresPairs pairs) throws Exception {
        PostgresPair pair = pairs.start(true);
        long seed = Long.getLong("configstore.failover.seed", System.nanoTime());
        Random random = new Random(seed);
        WriteLoad.Ledger ledger = new WriteLoad.Ledger();
        AtomicLong retried = new AtomicLong();
        AtomicLong foundCommitted = new AtomicLong();
        StoreMetrics metrics = new StoreMetrics() {
            @Override
            public void writeRetried(String operation, boolean earlierCommitted) {
                (earlierCommitted ? foundCommitted : retried).incrementAndGet();
            }
        };
        List<Long> killedAfter = new ArrayList<>();
        try (ConfigStore store = ConfigStore.builder().url(pair.url()).durability(Durability.REPLICATED)
                .replication(Replication.defaults().failoverTimeout(Duration.ofSeconds(20)))
                .connectTimeout(Duration.ofSeconds(2)).lockTimeout(Duration.ofSeconds(2)).metrics(metrics)
                .actor("writer").open()) {
            for (int kill = 1; kill <= KILLS; kill++) {
                WriteLoad load = WriteLoad.start(store, 4, "k" + kill, ledger, pair.url(), "REPLICATED");
                long wait = 100 + random.nextInt(700);
                Thread.sleep(wait);
                killedAfter.add(wait);
                pair.killPrimary();
                pair.promoteStandby();
                pair.replaceDeadPrimary();
                Thread.sleep(200);
                load.stop();
                checkNothingLostOrDoubled(pair, ledger, "kill " + kill + " (seed " + seed + ")");
            }
            assertThat(store.health().verify().isClean()).isTrue();
            assertThat(store.health().verifyChain().isIntact()).isTrue();
        }
        System.out.printf("failover (synchronous pair, seed %d): %d kills at %s ms; %d writes acknowledged, %d failed,"
                        + " %d retried after a failed attempt, %d found already committed%n", seed, KILLS, killedAfter,
                ledger.acknowledged.size(), ledger.failed.size(), retried.get(), foundCommitted.get());
        ledger.failed.forEach((key, message) -> System.out.println("failed: " + key + ": " + message));
        assertThat(ledger.unchanged).as("writes reported as changing nothing: applied twice").isEmpty();
        assertThat(ledger.acknowledged.size()).isGreaterThan(KILLS * 4);
    }

    /** The store's rows on the current primary against what every caller was told. */
    static void checkNothingLostOrDoubled(PostgresPair pair, WriteLoad.Ledger ledger, String when) throws Exception {
        Map<String, List<Long>> versions = new HashMap<>();
        List<Long> revisions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(pair.primary().url());
             var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT key_path, valid_from FROM cs_entry WHERE key_path LIKE 'k%'")) {
                while (rows.next()) {
                    versions.computeIfAbsent(rows.getString(1), key -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
            try (var rows = statement.executeQuery("SELECT value_json FROM cs_entry WHERE key_path = 'cas.counter'"
                    + " ORDER BY valid_from DESC LIMIT 1")) {
                long counter = rows.next() ? Long.parseLong(rows.getString(1)) : 0;
                assertThat(counter).as("compare-and-set increments acknowledged, %s", when)
                        .isEqualTo(ledger.increments.get());
            }
            try (var rows = statement.executeQuery("SELECT revision FROM cs_revision ORDER BY revision")) {
                while (rows.next()) {
                    revisions.add(rows.getLong(1));
                }
            }
        }
        for (int i = 1; i < revisions.size(); i++) {
            assertThat(revisions.get(i)).as("revision after %d, %s", revisions.get(i - 1), when)
                    .isEqualTo(revisions.get(i - 1) + 1);
        }
        ledger.acknowledged.forEach((key, revision) -> assertThat(versions.get(key))
                .as("acknowledged write %s at revision %d, %s", key, revision, when).containsExactly(revision));
        ledger.failed.forEach((key, message) -> assertThat(versions).as("write %s reported failed (%s), %s", key,
                message, when).doesNotContainKey(key));
        versions.keySet().stream().filter(key -> !key.startsWith("cas.")).forEach(key -> assertThat(ledger.acknowledged)
                .as("key %s is in the store but no caller was told it was written, %s", key, when).containsKey(key));
    }
}
