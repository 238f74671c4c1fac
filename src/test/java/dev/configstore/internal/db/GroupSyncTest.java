package dev.configstore.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit: one sync serves every ticket taken before it started, and only those. */
class GroupSyncTest {

    @Test
    void oneWriterAlone_syncsOncePerCommit() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(connection -> syncs.incrementAndGet());

        group.awaitDurable(null);
        group.awaitDurable(null);

        assertThat(syncs).hasValue(2);
        assertThat(group.syncs()).isEqualTo(2);
        assertThat(group.tickets()).isEqualTo(2);
    }

    @Test
    void ticketsTakenWhileASyncRuns_waitForTheNextSync_whichServesThemAll() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Long> ticketsAtStart = new ArrayList<>();
        GroupSync[] holder = new GroupSync[1];
        GroupSync group = new GroupSync(connection -> {
            synchronized (ticketsAtStart) {
                ticketsAtStart.add(holder[0].tickets());
            }
            if (ticketsAtStart.size() == 1) {
                firstStarted.countDown();
                try {
                    releaseFirst.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
            }
        });
        holder[0] = group;
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> leader = pool.submit(() -> {
                group.awaitDurable(null);
                return null;
            });
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                waiting.add(pool.submit(() -> {
                    group.awaitDurable(null);
                    return null;
                }));
            }
            while (group.tickets() < 9) {
                Thread.sleep(5);
            }
            // the first sync started before these tickets: it cannot make them durable
            Thread.sleep(50);
            assertThat(waiting).noneMatch(Future::isDone);

            releaseFirst.countDown();
            leader.get(10, TimeUnit.SECONDS);
            for (Future<?> writer : waiting) {
                writer.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // two syncs for nine commits: the second started after all eight tickets and served them
        assertThat(group.syncs()).isEqualTo(2);
        assertThat(ticketsAtStart).containsExactly(1L, 9L);
    }

    @Test
    void aFailedSync_makesNothingDurable_andTheNextWriterSyncsAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GroupSync group = new GroupSync(connection -> {
            if (calls.incrementAndGet() == 1) {
                throw new SQLException("disk full");
            }
        });

        assertThatThrownBy(() -> group.awaitDurable(null)).isInstanceOf(SQLException.class).hasMessage("disk full");
        assertThat(group.syncs()).isZero();
        group.awaitDurable(null);

        assertThat(calls).hasValue(2);
        assertThat(group.syncs()).isEqualTo(1);
    }
}
