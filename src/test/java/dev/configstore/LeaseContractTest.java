package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.lock.Lease;
import dev.configstore.lock.LeaseHeldException;
import dev.configstore.lock.LeaseInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Leases, written once and run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class LeaseContractTest {

    @RegisterExtension
    final StoreExtension extension;

    LeaseContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    StoreExtension extension() {
        return extension;
    }

    ConfigStore store() {
        return extension().store();
    }

    /** A second store on the same database whose clock is {@code ahead} later than the first's. */
    ConfigStore later(Duration ahead) {
        return extension().backend().sameStore().actor("later")
                .clock(Clock.fixed(StoreExtension.NOW.plus(ahead), ZoneOffset.UTC)).open();
    }

    @Test
    void acquire_status_renew_release() {
        Lease lease = store().locks().acquire("calibration", Duration.ofSeconds(30));

        LeaseInfo status = store().locks().status("calibration").orElseThrow();
        assertThat(status.id()).isEqualTo(lease.id());
        assertThat(status.actor()).isEqualTo("tester");
        assertThat(status.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(status.acquiredAt()).isEqualTo(StoreExtension.NOW);
        assertThat(status.expiresAt()).isEqualTo(StoreExtension.NOW.plusSeconds(30));
        assertThat(status.stale()).isFalse();

        lease.renew(Duration.ofMinutes(5));
        assertThat(lease.expiresAt()).isEqualTo(StoreExtension.NOW.plusSeconds(300));
        assertThat(store().locks().status("calibration").orElseThrow().expiresAt()).isEqualTo(lease.expiresAt());

        lease.close();
        assertThat(store().locks().status("calibration")).isEmpty();
        lease.close(); // idempotent
    }

    @Test
    void aHeldLease_isRefusedNamingTheHolder_untilItExpires_thenTakenOverAndLogged() {
        Lease first = store().locks().acquire("calibration", Duration.ofSeconds(30));

        assertThatThrownBy(() -> store().locks().acquire("calibration", Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(LeaseHeldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LEASE_HELD);
                    assertThat(e.holder().id()).isEqualTo(first.id());
                })
                .hasMessageContaining("lease 'calibration' is held by tester (")
                .hasMessageContaining("until 2026-11-22T10:00:30Z");

        try (ConfigStore later = later(Duration.ofMinutes(1))) {
            assertThat(later.locks().status("calibration").orElseThrow().stale()).isTrue();
            try (Lease second = later.locks().acquire("calibration", Duration.ofSeconds(30))) {
                assertThat(second.id()).isNotEqualTo(first.id());
                assertThat(later.history().query("SELECT error FROM operations WHERE operation = 'lease-takeover'", 5)
                        .rows()).singleElement().satisfies(row -> assertThat(row.get(0))
                        .startsWith("took over the stale lease of tester (").contains("expired at 2026-11-22T10:00:30Z"));
                // the first holder's id no longer releases anything
                assertThatThrownBy(() -> store().locks().release(first.id()))
                        .isInstanceOfSatisfying(ConfigStoreException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            }
        }
    }

    @Test
    void acquireWithAWait_getsTheLeaseOnceItIsReleased() throws Exception {
        Lease first = store().locks().acquire("calibration", Duration.ofSeconds(30));
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        releaser.start();

        try (Lease second = store().locks().acquire("calibration", Duration.ofSeconds(30), Duration.ofSeconds(10))) {
            assertThat(second.id()).isNotEqualTo(first.id());
        }
        releaser.join();
        // one logged outcome per acquire, not one per poll
        assertThat(store().history().query("SELECT COUNT(*) FROM operations WHERE operation = 'lease-acquire'", 1)
                .rows()).containsExactly(java.util.List.of("2"));
    }

    @Test
    void threadsRacingForAFreeLease_takeItInTurn() throws Exception {
        java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try (Lease lease = store().locks().acquire("race", Duration.ofSeconds(30), Duration.ofSeconds(30))) {
                            if (holders.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            holders.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps.get()).isZero();
        assertThat(store().locks().status("race")).isEmpty();
    }

    @Test
    void badInput_isRefused() {
        assertThatThrownBy(() -> store().locks().acquire("x", Duration.ZERO)).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> store().locks().acquire("x", Duration.ofSeconds(-1)))
                .hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> store().locks().acquire("x", Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .hasMessageContaining("wait must be positive");
        store().locks().acquire("once", Duration.ofSeconds(10), Duration.ZERO).close(); // zero: one try
        assertThatThrownBy(() -> store().locks().acquire("bad\u0001name", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("invalid lease name 'bad?name': it contains a control character");
        assertThatThrownBy(() -> store().locks().release("no-such-id"))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no lease has the id 'no-such-id'");
        assertThatThrownBy(() -> store().locks().renew("no-such-id", Duration.ofSeconds(1)))
                .hasMessageContaining("no lease has the id");
        assertThat(store().locks().status("x")).isEmpty();
    }
}
