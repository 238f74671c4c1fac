package dev.configstore.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreBuilder;
import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.Replication;
import dev.configstore.UnconfirmedWriteException;
import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.lock.Lease;
import dev.configstore.watch.WatchRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store on a real primary/standby pair: what an asynchronous pair loses at a failover, a
 * frozen primary, a synchronous primary that lost its standby, and watches and leases across a
 * failover.
 */
@ExtendWith(PostgresPairs.class)
class ReplicationTest {

    private static ConfigStoreBuilder store(PostgresPair pair, Durability durability, int failoverSeconds) {
        return ConfigStore.builder().url(pair.url()).durability(durability)
                .replication(Replication.defaults().failoverTimeout(Duration.ofSeconds(failoverSeconds)))
                .connectTimeout(Duration.ofSeconds(1)).lockTimeout(Duration.ofSeconds(1)).actor("test");
    }

    @Test
    void anAsynchronousPairLosesAtMostTheWritesTheStandbyHadNotReceived(PostgresPairs pairs) throws Exception {
        PostgresPair pair = pairs.start(false);
        WriteLoad.Ledger ledger = new WriteLoad.Ledger();
        List<String> rounds = new ArrayList<>();
        try (ConfigStore store = store(pair, Durability.SYNC, 20).open()) {
            for (int kill = 1; kill <= 3; kill++) {
                WriteLoad load = WriteLoad.start(store, 4, "k" + kill, ledger, null, null);
                Thread.sleep(400);
                long lagBytes = pair.replayLagBytes();
                int acknowledgedBefore = ledger.acknowledged.size();
                pair.killPrimaryServer(); // every process at once: its WAL senders cannot send what is left
                pair.promoteStandby();
                pair.replaceDeadPrimary();
                Thread.sleep(200);
                load.stop();
                List<String> lost = lostWrites(pair, ledger);
                rounds.add("lag " + lagBytes + " B at the kill, " + lost.size() + " of " + acknowledgedBefore
                        + " acknowledged writes lost");
                lost.forEach(ledger.acknowledged::remove); // counted; the checks below hold for the rest
                FailoverTest.checkNothingLostOrDoubled(pair, ledger, "async kill " + kill);
            }
            assertThat(store.health().verify().isClean()).isTrue();
        }
        System.out.println("failover (asynchronous pair): " + rounds);
        assertThat(ledger.unchanged).isEmpty();
    }

    /** Acknowledged writes that are not on the new primary. */
    private static List<String> lostWrites(PostgresPair pair, WriteLoad.Ledger ledger) throws Exception {
        List<String> lost = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(pair.primary().url());
             var query = connection.prepareStatement("SELECT 1 FROM cs_entry WHERE key_path = ? AND valid_from = ?")) {
            for (var acknowledged : ledger.acknowledged.entrySet()) {
                query.setString(1, acknowledged.getKey());
                query.setLong(2, acknowledged.getValue());
                try (var row = query.executeQuery()) {
                    if (!row.next()) {
                        lost.add(acknowledged.getKey());
                    }
                }
            }
        }
        return lost;
    }

    @Test
    void aWriteToAFrozenPrimaryEndsWithinTheTimeoutAndIsNotAppliedTwice(PostgresPairs pairs) throws Exception {
        PostgresPair pair = pairs.start(true);
        try (ConfigStore store = store(pair, Durability.REPLICATED, 3).open()) {
            long before = store.put("before", 1).revision();
            pair.freezePrimary();
            long started = System.nanoTime();
            CompletableFuture<Object> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.put("stalled", 1);
                } catch (ConfigStoreException e) {
                    return e;
                }
            });
            Object outcome;
            try {
                outcome = write.get(40, TimeUnit.SECONDS);
            } finally {
                pair.thawPrimary();
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            System.out.println("frozen primary: the write ended after " + seconds + " s with " + outcome);
            // socket timeout (failover timeout + 2 s) + the failover timeout + a login timeout + backoff
            assertThat(seconds).isLessThan(15);
            if (outcome instanceof ConfigStoreException failure) {
                assertThat(failure.getMessage()).contains("cannot reach the database");
            }
            Thread.sleep(1000); // what the frozen server had buffered runs now; the client is gone
            long after = store.put("after", 1).revision();
            try (Connection connection = DriverManager.getConnection(pair.primary().url());
                 var rows = connection.createStatement().executeQuery(
                         "SELECT COUNT(*) FROM cs_entry WHERE key_path = 'stalled'")) {
                rows.next();
                assertThat(rows.getInt(1)).as("rows of the stalled write").isEqualTo(outcome instanceof ConfigStoreException ? 0 : 1);
            }
            assertThat(after).isEqualTo(before + (outcome instanceof ConfigStoreException ? 1 : 2));
            assertThat(store.health().verify().isClean()).isTrue();
        }
    }

    @Test
    void aPrimaryWithoutItsSynchronousStandbyMakesWritesEndWithAClearError(PostgresPairs pairs) throws Exception {
        PostgresPair pair = pairs.start(true);
        try (ConfigStore replicated = store(pair, Durability.REPLICATED, 2).open();
             ConfigStore plain = store(pair, Durability.SYNC, 2).open()) {
            replicated.put("first", 1);
            assertThat(finding(replicated).level()).isEqualTo(HealthLevel.OK);
            assertThat(finding(replicated).message()).contains("1 standby(s)").contains(" sync, replay lag");

            pair.stopStandby();
            // the check for a standby ran less than a second ago: this commit waits for one, then is cancelled
            long started = System.nanoTime();
            UnconfirmedWriteException unconfirmed = (UnconfirmedWriteException) catchWrite(() -> replicated.put("second", 2));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(1900L, 8000L);
            assertThat(unconfirmed.getMessage()).contains("revision " + unconfirmed.revision())
                    .contains("no synchronous standby confirmed it");
            assertThat(replicated.find("second")).as("committed on the primary").isPresent();

            Thread.sleep(1100); // the next write checks for a standby before it writes, and waits for one
            long head = replicated.revision();
            started = System.nanoTime();
            ConfigStoreException refused = catchWrite(() -> replicated.put("third", 3));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(1900L, 8000L);
            assertThat(refused.getMessage()).contains("no synchronous standby is connected to the primary")
                    .contains("synchronous_standby_names = '*'").contains("nothing was written");
            assertThat(replicated.refresh()).isEqualTo(head);
            assertThat(finding(replicated).level()).isEqualTo(HealthLevel.CRITICAL);

            // a store that did not ask for replication gets its write after the timeout: the server has it
            assertThat(plain.put("plain", 1).changed()).isTrue();
            assertThat(finding(plain).level()).isEqualTo(HealthLevel.WARN);

            pair.startStandby();
            assertThat(replicated.put("third", 3).changed()).isTrue();
            assertThat(finding(replicated).level()).isEqualTo(HealthLevel.OK);
        }
    }

    @Test
    void aWriteWhoseCommitWasCutOffAndThatFindsNoPrimaryIsReportedAsUnknownNotAsFailed(PostgresPairs pairs)
            throws Exception {
        PostgresPair pair = pairs.start(true);
        try (ConfigStore store = store(pair, Durability.REPLICATED, 2).open()) {
            store.put("first", 1);
            pair.stopStandby(); // the next commit waits for a standby that is gone...
            CompletableFuture<ConfigStoreException> write = CompletableFuture.supplyAsync(
                    () -> catchWrite(() -> store.put("cut-off", 1)));
            Thread.sleep(700);
            pair.killPrimary(); // ...and its connection breaks while it waits: did it commit?
            ConfigStoreException failure = write.get(30, TimeUnit.SECONDS);
            assertThat(failure.getMessage()).contains("cannot reach the database").contains("The outcome is unknown")
                    .contains("read the history before writing it again");
        }
    }

    private static ConfigStoreException catchWrite(Runnable write) {
        try {
            write.run();
        } catch (ConfigStoreException e) {
            return e;
        }
        throw new AssertionError("the write succeeded");
    }

    private static HealthFinding finding(ConfigStore store) {
        return store.health().check().findings().stream().filter(f -> f.check().equals("replication")).findFirst()
                .orElseThrow();
    }

    @Test
    void watchesDeliverEveryRevisionOnceAndLeasesHaveOneHolderAcrossFailovers(PostgresPairs pairs) throws Exception {
        PostgresPair pair = pairs.start(true);
        List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        try (ConfigStore writer = store(pair, Durability.REPLICATED, 20).open();
             ConfigStore watcher = store(pair, Durability.REPLICATED, 20).open();
             ConfigStore other = store(pair, Durability.REPLICATED, 20).open()) {
            long start = writer.put("counter", 0).revision();
            var watch = watcher.watch(WatchRequest.everything().after(start), event -> delivered.add(event.revision()));
            Lease lease = writer.locks().acquire("job", Duration.ofMinutes(5));
            WriteLoad.Ledger ledger = new WriteLoad.Ledger();
            for (int kill = 1; kill <= 2; kill++) {
                WriteLoad load = WriteLoad.start(writer, 2, "k" + kill, ledger, null, null);
                Thread.sleep(500);
                pair.killPrimary();
                pair.promoteStandby();
                pair.replaceDeadPrimary();
                Thread.sleep(300);
                load.stop();
                boolean renewed;
                try {
                    lease.renew(Duration.ofMinutes(5));
                    renewed = true;
                } catch (ConfigStoreException lost) {
                    renewed = false;
                }
                boolean taken;
                try (Lease second = other.locks().acquire("job", Duration.ofMinutes(5))) {
                    taken = true;
                } catch (ConfigStoreException held) {
                    taken = false;
                }
                assertThat(renewed && taken).as("two holders of one lease after kill %d", kill).isFalse();
                assertThat(renewed || taken).as("the lease is held by somebody after kill %d", kill).isTrue();
            }
            long head = writer.refresh();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.size() < head - start && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            watch.close();
            List<Long> expected = new ArrayList<>();
            for (long revision = start + 1; revision <= head; revision++) {
                expected.add(revision);
            }
            assertThat(delivered).as("revisions the watch delivered").containsExactlyElementsOf(expected);
            FailoverTest.checkNothingLostOrDoubled(pair, ledger, "watch and lease");
        }
    }
}
