package dev.configstore.internal.health;

import static dev.configstore.internal.jooq.Tables.CS_LEASE;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import dev.configstore.ConfigStore;
import dev.configstore.DocumentInfo;
import dev.configstore.health.ChecksumMismatch;
import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthReport;
import dev.configstore.health.HealthThresholds;
import dev.configstore.health.OperationStats;
import dev.configstore.health.StoreHealth;
import dev.configstore.health.StoreStats;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.RevisionEntry;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.jooq.tables.records.CsRevisionRecord;
import dev.configstore.internal.lock.StoreLeases;
import dev.configstore.internal.read.HeadReads;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.lock.LeaseInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The health check and the figures. Thread-safe. */
public final class StoreHealthCheck implements StoreHealth {

    /** The operation log rows the figures look at, newest first. */
    private static final int STATS_ROWS = 100_000;

    private final RevisionWriter writer;
    private final HeadReads head;
    private final StoreDatabase database;
    private final java.util.Set<HealthSchedule> monitors = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public StoreHealthCheck(RevisionWriter writer, HeadReads head) {
        this.writer = writer;
        this.head = head;
        this.database = writer.database();
    }

    @Override
    public dev.configstore.health.HealthMonitor monitor(java.time.Duration interval,
                                                        dev.configstore.health.HealthListener listener) {
        java.util.Objects.requireNonNull(interval, "interval");
        java.util.Objects.requireNonNull(listener, "listener");
        if (interval.toMillis() < 100 || interval.compareTo(java.time.Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("a health monitor's interval must be 100ms..1d, was " + interval);
        }
        writer.ensureOpen();
        HealthSchedule monitor = new HealthSchedule(this::check, listener, writer.settings().metrics(), monitors::remove);
        monitors.add(monitor);
        monitor.start(interval);
        return monitor;
    }

    /** Stops every monitor: the store is closing. */
    public void close() {
        for (HealthSchedule monitor : monitors) {
            monitor.close();
        }
    }

    @Override
    public VerifyResult verify() {
        return verify(null);
    }

    @Override
    public dev.configstore.health.ChainVerification verifyChain() {
        return writer.logged("verify-chain", null, () -> database.read(context ->
                ChainVerifier.verify(context, -1, null, writer.keyring().mac())));
    }

    @Override
    public dev.configstore.health.ChainVerification verifyChain(long anchorRevision, String anchorHash) {
        if (anchorRevision < 0 || anchorHash == null || !anchorHash.matches("[0-9a-fA-F]{64}")) {
            throw new dev.configstore.ConfigStoreException(dev.configstore.ErrorCode.INVALID_INPUT, "an anchor is a"
                    + " revision and the 64 hex digits of its chain hash, as 'revision --hash' prints them");
        }
        return writer.logged("verify-chain", null, () -> database.read(context ->
                ChainVerifier.verify(context, anchorRevision, anchorHash, writer.keyring().mac())));
    }

    @Override
    public java.util.Optional<String> chainHash(long revision) {
        return java.util.Optional.ofNullable(database.read(context ->
                dev.configstore.internal.rows.ChainRows.hashOf(context, revision)));
    }

    /** Recomputes every stored checksum; logged as the operation {@code verify}. */
    @Override
    public VerifyResult verify(dev.configstore.health.VerifyProgress progress) {
        return writer.logged("verify", null, () -> database.read(context -> Verifier.verify(context, progress)));
    }

    @Override
    public HealthReport check() {
        HealthThresholds limits = writer.settings().healthThresholds();
        Instant now = writer.settings().clock().instant();
        List<HealthFinding> findings = new ArrayList<>();
        findings.add(run("reachable", () -> {
            database.read(context -> context.selectOne().fetch());
            return ok("reachable", "the store answers (" + database.description() + ")");
        }, "check that the database is running and the store's URL or directory is right"));
        findings.add(run("writable", () -> {
            // a row in and out again: a real write that leaves nothing, and touches no lock that a long
            // export or compaction holds; the name breaks the name rule, so no lease can clash with it
            String probe = "-health-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            database.write(context -> {
                java.time.OffsetDateTime at = StoreRows.utc(now);
                context.insertInto(CS_LEASE).set(CS_LEASE.NAME, probe).set(CS_LEASE.LEASE_ID, probe)
                        .set(CS_LEASE.ACTOR, "health").set(CS_LEASE.HOST, "-").set(CS_LEASE.PID, 0L)
                        .set(CS_LEASE.ACQUIRED_AT, at).set(CS_LEASE.EXPIRES_AT, at).execute();
                return context.deleteFrom(CS_LEASE).where(CS_LEASE.NAME.eq(probe)).execute();
            });
            return ok("writable", "a write transaction commits");
        }, "check free disk space, file permissions and that the database is not read-only"));
        findings.add(run("schema", () -> {
            int version = database.schemaVersion();
            int latest = StoreDatabase.latestSchemaVersion();
            return version == latest ? ok("schema", "schema version " + version + " is current")
                    : new HealthFinding("schema", HealthLevel.CRITICAL, "schema version " + version + ", this"
                    + " configstore expects " + latest, "open the store once with this version to migrate it");
        }, "reopen the store to migrate it"));
        findings.add(run("integrity", () -> {
            List<ChecksumMismatch> mismatches = database.read(Verifier::verifyHead);
            if (mismatches.isEmpty()) {
                return ok("integrity", "every document's head matches its checksum");
            }
            ChecksumMismatch first = mismatches.get(0);
            return new HealthFinding("integrity", HealthLevel.CRITICAL, mismatches.size() + " document(s) do not match"
                    + " their checksum; first: document '" + first.document() + "' at revision " + first.revision()
                    + " (stored " + first.expected() + ", recomputed " + first.actual() + ")",
                    "run verify for the full list; restore the document from a restore point or an archive");
        }, "run verify"));
        findings.add(disk(limits));
        findings.add(sqlReader());
        findings.add(run("leases", () -> {
            List<LeaseInfo> stale = database.read(context -> context.selectFrom(CS_LEASE).orderBy(CS_LEASE.NAME).fetch()
                    .map(row -> StoreLeases.info(row, now))).stream().filter(LeaseInfo::stale).toList();
            if (stale.isEmpty()) {
                return ok("leases", "no stale lease");
            }
            LeaseInfo first = stale.get(0);
            return new HealthFinding("leases", HealthLevel.WARN, stale.size() + " stale lease(s); first: '"
                    + first.name() + "' of " + first.holder() + ", expired at " + first.expiresAt(),
                    "the holder probably stopped; the next acquire takes it over, or run lock release " + first.id());
        }, "check the leases view"));
        findings.add(run("restore-points", () -> {
            Optional<Instant> newest = database.read(context -> Optional.ofNullable(context
                    .select(org.jooq.impl.DSL.max(CS_RESTORE_POINT.CREATED_AT)).from(CS_RESTORE_POINT).fetchOne()
                    .value1()).map(java.time.OffsetDateTime::toInstant));
            if (newest.isEmpty()) {
                return new HealthFinding("restore-points", HealthLevel.WARN, "there is no restore point",
                        "make one with backup create");
            }
            Duration age = Duration.between(newest.get(), now);
            return age.compareTo(limits.maxRestorePointAge()) > 0
                    ? new HealthFinding("restore-points", HealthLevel.WARN, "the newest restore point is "
                    + age.toHours() + " h old (limit " + limits.maxRestorePointAge().toHours() + " h)",
                    "make one with backup create")
                    : ok("restore-points", "the newest restore point is " + age.toMinutes() + " min old");
        }, "check the restore_points view"));
        findings.add(run("failures", () -> {
            Instant since = now.minus(limits.failureWindow());
            int failures = database.read(context -> context.fetchCount(CS_OPERATION, CS_OPERATION.OUTCOME.ne("OK")
                    .and(CS_OPERATION.OUTCOME.ne("LEASE_HELD"))
                    .and(CS_OPERATION.STARTED_AT.ge(StoreRows.utc(since)))));
            return failures >= limits.maxFailures()
                    ? new HealthFinding("failures", HealthLevel.WARN, failures + " failed operations in the last "
                    + limits.failureWindow().toMinutes() + " min", "see SELECT * FROM operations WHERE outcome <> 'OK'")
                    : ok("failures", failures + " failed operations in the last " + limits.failureWindow().toMinutes()
                    + " min");
        }, "check the operations view"));
        findings.add(run("replication", () -> ReplicationCheck.check(database, writer.settings().durability()),
                "grant the store's role pg_monitor, so it may read pg_stat_replication"));
        HealthLevel worst = findings.stream().map(HealthFinding::level).max(Enum::compareTo).orElse(HealthLevel.OK);
        HealthReport report = new HealthReport(worst, findings, now);
        return report;
    }

    private HealthFinding disk(HealthThresholds limits) {
        Path directory = database.directory();
        if (directory == null) {
            return ok("disk", "not checked: the store is not a local H2 directory");
        }
        if (!Files.isDirectory(directory)) {
            return new HealthFinding("disk", HealthLevel.CRITICAL, "the store directory " + directory
                    + " no longer exists", "restore it from a backup or an archive; the open store may be writing to a"
                    + " deleted file");
        }
        try {
            long free = Files.getFileStore(directory).getUsableSpace();
            String message = (free >> 20) + " MiB free in the store's file system";
            if (free < limits.minFreeDiskCritical()) {
                return new HealthFinding("disk", HealthLevel.CRITICAL, message, "free disk space now: writes will fail");
            }
            if (free < limits.minFreeDiskWarn()) {
                return new HealthFinding("disk", HealthLevel.WARN, message, "free disk space or compact the history");
            }
            return ok("disk", message);
        } catch (IOException e) {
            return new HealthFinding("disk", HealthLevel.WARN, "cannot read the free space: " + e.getMessage(), "");
        }
    }

    /** The read-only SQL user logs in; one that cannot is repaired here (and said so). */
    private HealthFinding sqlReader() {
        try {
            String repaired = database.checkReader();
            return repaired == null ? ok("sql-reader", "the read-only SQL user logs in")
                    : new HealthFinding("sql-reader", HealthLevel.WARN, repaired, "if it happens again, find out what"
                    + " changes the user's password");
        } catch (dev.configstore.ConfigStoreException e) {
            return new HealthFinding("sql-reader", HealthLevel.WARN, "read-only SQL is unavailable: "
                    + e.getMessage().replace('\n', ' '), "see the message; the store itself works");
        }
    }

    private static HealthFinding ok(String check, String message) {
        return new HealthFinding(check, HealthLevel.OK, message, "");
    }

    private static HealthFinding run(String check, Supplier<HealthFinding> work, String recommendation) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new HealthFinding(check, HealthLevel.CRITICAL, message.replace('\n', ' '), recommendation);
        }
    }

    @Override
    public StoreStats stats() {
        List<DocumentInfo> documents = head.list();
        long keys = documents.stream().mapToLong(DocumentInfo::keyCount).sum();
        int profiles = (int) documents.stream().filter(d -> !d.name().equals(ConfigStore.MAIN_DOCUMENT)).count();
        return database.read(context -> {
            long revisions = context.fetchCount(CS_REVISION);
            Optional<RevisionEntry> first = context.selectFrom(CS_REVISION).orderBy(CS_REVISION.REVISION).limit(1)
                    .fetchOptional().map(StoreHealthCheck::revision);
            Optional<RevisionEntry> last = context.selectFrom(CS_REVISION).orderBy(CS_REVISION.REVISION.desc()).limit(1)
                    .fetchOptional().map(StoreHealthCheck::revision);
            int points = context.fetchCount(CS_RESTORE_POINT);
            Map<String, List<Long>> durations = new TreeMap<>();
            Map<String, Map<String, Long>> outcomes = new TreeMap<>();
            for (var entry : dev.configstore.internal.history.OperationLog.newest(context,
                    dev.configstore.history.HistoryQuery.newest(STATS_ROWS), STATS_ROWS)) {
                durations.computeIfAbsent(entry.operation(), k -> new ArrayList<>()).add(entry.duration().toNanos() / 1000);
                outcomes.computeIfAbsent(entry.operation(), k -> new TreeMap<>()).merge(entry.outcome(), 1L, Long::sum);
            }
            List<OperationStats> operations = new ArrayList<>();
            durations.forEach((operation, values) -> {
                Collections.sort(values);
                operations.add(new OperationStats(operation, values.size(), outcomes.get(operation),
                        percentile(values, 50), percentile(values, 95), values.get(values.size() - 1)));
            });
            return new StoreStats(documents.size(), profiles, keys, revisions, first, last, points,
                    database.sizeOnDisk(), operations);
        });
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static RevisionEntry revision(CsRevisionRecord row) {
        return new RevisionEntry(row.getRevision(), row.getCommittedAt().toInstant(), row.getActor(),
                Optional.ofNullable(row.getMessage()), row.getOperation());
    }
}
