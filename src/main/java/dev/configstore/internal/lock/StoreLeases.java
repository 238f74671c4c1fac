package dev.configstore.internal.lock;

import static dev.configstore.internal.jooq.Tables.CS_LEASE;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.jooq.tables.records.CsLeaseRecord;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.Operation;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.lock.Lease;
import dev.configstore.lock.LeaseHeldException;
import dev.configstore.lock.LeaseInfo;
import dev.configstore.lock.Leases;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** Leases as rows of cs_lease, taken under a row lock. Thread-safe. */
public final class StoreLeases implements Leases {

    private static final Duration MAX_TTL = Duration.ofDays(7);
    private static final String HOST = host();

    private final RevisionWriter writer;
    private final StoreDatabase database;

    public StoreLeases(RevisionWriter writer) {
        this.writer = writer;
        this.database = writer.database();
    }

    @Override
    public Lease acquire(String name, Duration ttl) {
        return acquire(name, ttl, null);
    }

    @Override
    public Lease acquire(String name, Duration ttl, Duration wait) {
        String checked = DocumentNames.check(name, "lease name");
        checkPositive("ttl", ttl);
        if (wait != null && !wait.isZero()) { // zero: try once, as without a wait
            checkPositive("wait", wait);
        }
        long deadline = System.nanoTime() + (wait == null ? 0 : wait.toNanos());
        Operation logged = writer.operation("lease-acquire", checked);
        long pause = 20;
        while (true) {
            try {
                // polls are not logged one by one: only the outcome is, so waiting does not flood the log
                LeaseInfo held = database.write(context -> {
                    LeaseInfo info = tryAcquire(context, checked, ttl);
                    logged.logSuccess(context);
                    return info;
                });
                logged.succeeded();
                return new HeldLease(held);
            } catch (LeaseHeldException held) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    logged.failed(held, database);
                    throw held;
                }
                sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
                pause = Math.min(500, pause * 2);
            }
        }
    }

    private LeaseInfo tryAcquire(DSLContext context, String name, Duration ttl) {
        // the databases keep microseconds: the lease returned says exactly what the row holds
        Instant now = writer.settings().clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        CsLeaseRecord current = context.selectFrom(CS_LEASE).where(CS_LEASE.NAME.eq(name)).forUpdate().fetchOne();
        String id = UUID.randomUUID().toString();
        if (current == null) {
            int inserted;
            try {
                // ON CONFLICT DO NOTHING (jOOQ renders it per database): a concurrent insert of the same
                // name does not abort this transaction, which on PostgreSQL would fail every later statement
                inserted = context.insertInto(CS_LEASE)
                        .set(CS_LEASE.NAME, name).set(CS_LEASE.LEASE_ID, id).set(CS_LEASE.ACTOR, writer.settings().actor())
                        .set(CS_LEASE.HOST, HOST).set(CS_LEASE.PID, ProcessHandle.current().pid())
                        .set(CS_LEASE.ACQUIRED_AT, StoreRows.utc(now)).set(CS_LEASE.EXPIRES_AT, StoreRows.utc(now.plus(ttl)))
                        .onDuplicateKeyIgnore()
                        .execute();
            } catch (org.jooq.exception.IntegrityConstraintViolationException raced) {
                throw new LeaseHeldException(new LeaseInfo(name, "(just taken)", "another acquirer", "?", 0, now, now,
                        false));
            }
            if (inserted == 0) {
                CsLeaseRecord winner = context.selectFrom(CS_LEASE).where(CS_LEASE.NAME.eq(name)).fetchOne();
                throw new LeaseHeldException(winner == null ? new LeaseInfo(name, "(just taken)", "another acquirer",
                        "?", 0, now, now, false) : info(winner, now));
            }
        } else {
            LeaseInfo holder = info(current, now);
            if (!holder.stale()) {
                throw new LeaseHeldException(holder);
            }
            context.update(CS_LEASE)
                    .set(CS_LEASE.LEASE_ID, id).set(CS_LEASE.ACTOR, writer.settings().actor()).set(CS_LEASE.HOST, HOST)
                    .set(CS_LEASE.PID, ProcessHandle.current().pid())
                    .set(CS_LEASE.ACQUIRED_AT, StoreRows.utc(now)).set(CS_LEASE.EXPIRES_AT, StoreRows.utc(now.plus(ttl)))
                    .where(CS_LEASE.NAME.eq(name))
                    .execute();
            StoreRows.insertOperation(context, "lease-takeover", name, writer.settings().actor(), now, 0, "OK",
                    "took over the stale lease of " + holder.holder() + ", expired at " + holder.expiresAt());
        }
        return new LeaseInfo(name, id, writer.settings().actor(), HOST, ProcessHandle.current().pid(), now, now.plus(ttl),
                false);
    }

    @Override
    public LeaseInfo renew(String leaseId, Duration ttl) {
        Objects.requireNonNull(leaseId, "leaseId");
        checkPositive("ttl", ttl);
        return writer.loggedWrite("lease-renew", null, context -> {
            Instant now = writer.settings().clock().instant();
            CsLeaseRecord current = context.selectFrom(CS_LEASE).where(CS_LEASE.LEASE_ID.eq(leaseId)).forUpdate()
                    .fetchOne();
            if (current == null) {
                throw notHeld(leaseId);
            }
            current.setExpiresAt(StoreRows.utc(now.plus(ttl)));
            current.store();
            return info(current, now);
        });
    }

    @Override
    public void release(String leaseId) {
        Objects.requireNonNull(leaseId, "leaseId");
        writer.loggedWrite("lease-release", null, context -> {
            if (context.deleteFrom(CS_LEASE).where(CS_LEASE.LEASE_ID.eq(leaseId)).execute() == 0) {
                throw notHeld(leaseId);
            }
            return null;
        });
    }

    @Override
    public Optional<LeaseInfo> status(String name) {
        String checked = DocumentNames.check(name, "lease name");
        return database.read(context -> context.selectFrom(CS_LEASE).where(CS_LEASE.NAME.eq(checked)).fetchOptional()
                .map(row -> info(row, writer.settings().clock().instant())));
    }

    private static ConfigStoreException notHeld(String leaseId) {
        return new ConfigStoreException(ErrorCode.NOT_FOUND, "no lease has the id '" + leaseId.replaceAll("\\p{Cntrl}", "?")
                + "': it is unknown, was released, or expired and was taken over by someone else");
    }

    public static LeaseInfo info(CsLeaseRecord row, Instant now) {
        Instant expires = row.getExpiresAt().toInstant();
        return new LeaseInfo(row.getName(), row.getLeaseId(), row.getActor(), row.getHost(), row.getPid(),
                row.getAcquiredAt().toInstant(), expires, !expires.isAfter(now));
    }

    private static void checkPositive(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, what + " must be positive, was " + duration);
        }
        if (duration.compareTo(MAX_TTL) > 0) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, what + " must be at most 7 days, was " + duration);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreException(ErrorCode.LEASE_HELD, "interrupted while waiting for a lease");
        }
    }

    private static String host() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            return name.length() > 255 ? name.substring(0, 255) : name;
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** A lease this instance holds. */
    private final class HeldLease implements Lease {
        private final LeaseInfo acquired;
        private Instant expiresAt;
        private boolean closed;

        HeldLease(LeaseInfo acquired) {
            this.acquired = acquired;
            this.expiresAt = acquired.expiresAt();
        }

        @Override
        public String name() {
            return acquired.name();
        }

        @Override
        public String id() {
            return acquired.id();
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public void renew(Duration ttl) {
            expiresAt = StoreLeases.this.renew(acquired.id(), ttl).expiresAt();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                release(acquired.id());
            } catch (ConfigStoreException gone) {
                if (gone.code() != ErrorCode.NOT_FOUND) {
                    throw gone;
                }
            }
        }
    }
}
