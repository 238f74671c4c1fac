package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthReport;
import dev.configstore.health.HealthThresholds;
import dev.configstore.health.OperationStats;
import dev.configstore.health.StoreMetrics;
import dev.configstore.health.StoreStats;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.RevisionEntry;
import dev.configstore.profile.ProfileDefinition;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Health, statistics, full verification and the history filters, on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class HealthContractTest {

    @RegisterExtension
    final StoreExtension extension;

    HealthContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create(), builder -> builder.healthThresholds(THRESHOLDS)
                .metrics(new StoreMetrics() {
                    @Override
                    public void operation(String operation, Duration duration, String outcome) {
                        METRICS.add(operation + " " + outcome);
                    }
                }));
    }

    /** Thresholds that do not depend on the machine's free disk; 3 failures make a burst. */
    static final HealthThresholds THRESHOLDS = new HealthThresholds(0, 0, Duration.ofDays(7), Duration.ofMinutes(5), 3);

    /** What the suite's metrics hook saw: operation and outcome. */
    static final List<String> METRICS = Collections.synchronizedList(new ArrayList<>());

    StoreExtension extension() {
        return extension;
    }

    ConfigStore store() {
        return extension().store();
    }

    private static HealthFinding finding(HealthReport report, String check) {
        return report.findings().stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void aHealthyStore_isOkOnEveryCheck() {
        store().put("a", 1);
        store().backups().create("daily", 0, "");

        HealthReport report = store().health().check();

        assertThat(report.findings()).extracting(HealthFinding::check).containsExactly("reachable", "writable",
                "schema", "integrity", "disk", "sql-reader", "leases", "restore-points", "failures", "replication");
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.level()).as(finding.toString())
                .isEqualTo(HealthLevel.OK));
        assertThat(report.level()).isEqualTo(HealthLevel.OK);
    }

    @Test
    void warnings_noRestorePoint_staleLease_failureBurst_eachWithARecommendation() {
        store().put("a", 1);
        store().locks().acquire("calibration", Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> store().unset("current", "missing")).isInstanceOf(ConfigStoreException.class);
        }
        HealthReport report;
        try (ConfigStore later = extension().backend().sameStore().healthThresholds(THRESHOLDS)
                .clock(Clock.fixed(StoreExtension.NOW.plusSeconds(60), ZoneOffset.UTC)).open()) {
            report = later.health().check();
        }

        assertThat(report.level()).isEqualTo(HealthLevel.WARN);
        assertThat(finding(report, "restore-points").level()).isEqualTo(HealthLevel.WARN);
        assertThat(finding(report, "restore-points").recommendation()).contains("backup create");
        assertThat(finding(report, "leases").level()).isEqualTo(HealthLevel.WARN);
        assertThat(finding(report, "leases").message()).contains("'calibration'").contains("expired at");
        assertThat(finding(report, "failures").level()).isEqualTo(HealthLevel.WARN);
        assertThat(finding(report, "failures").message()).startsWith("3 failed operations");
    }

    @Test
    void tamperingWithAValueBehindTheStoresBack_isCriticalInHealth_andVerifyNamesTheDocumentAndRevision()
            throws Exception {
        store().put("a", 1);
        store().put("table-3", "camera.id", 3);
        long revision = store().revision();
        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.executeUpdate("UPDATE cs_entry SET value_json = '4' WHERE document = 'table-3'");
        }

        HealthReport report = store().health().check();
        assertThat(report.level()).isEqualTo(HealthLevel.CRITICAL);
        assertThat(finding(report, "integrity").message()).contains("document 'table-3' at revision " + revision);

        VerifyResult verify = store().health().verify((done, total, document) -> { });
        assertThat(verify.isClean()).isFalse();
        assertThat(verify.mismatches()).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.document()).isEqualTo("table-3");
            assertThat(mismatch.revision()).isEqualTo(revision);
            assertThat(mismatch.expected()).isNotEqualTo(mismatch.actual());
        });
    }

    @Test
    void verify_reportsProgressInValueRows_everyFewHundredAndPerDocument() {
        var batch = store().batch();
        for (int i = 0; i < 1_100; i++) {
            batch.set("a", "k" + i, i);
        }
        batch.set("b", "k", 1).commit();
        store().put("b", "k", 2); // a second row for b.k: rows, not keys, are the unit
        List<String> progress = new ArrayList<>();

        store().health().verify((done, total, document) -> progress.add(done + "/" + total + " " + document));

        assertThat(progress).containsExactly("512/1102 a", "1024/1102 a", "1100/1102 a", "1102/1102 b");
    }

    @Test
    void lowDisk_isCritical() {
        try (ConfigStore strict = extension().backend().sameStore()
                .healthThresholds(new HealthThresholds(Long.MAX_VALUE, Long.MAX_VALUE, Duration.ofDays(7),
                        Duration.ofMinutes(5), 20)).open()) {
            HealthFinding disk = finding(strict.health().check(), "disk");
            if (extension().backend() instanceof Backend.H2) {
                assertThat(disk.level()).isEqualTo(HealthLevel.CRITICAL);
                assertThat(disk.recommendation()).contains("free disk space");
            } else {
                assertThat(disk.message()).contains("not checked");
            }
        }
    }

    @Test
    void stats_countEverything_andTimeEachOperationKind() {
        store().profiles().create(ProfileDefinition.named("dev"));
        store().batch().set("current", "a", 1).set("current", "b.c", 2).set("dev", "x", true).commit();
        store().put("a", 2);
        store().backups().create("one", 0, "");
        assertThatThrownBy(() -> store().unset("current", "nope")).isInstanceOf(ConfigStoreException.class);

        StoreStats stats = store().health().stats();

        assertThat(stats.documents()).isEqualTo(2);
        assertThat(stats.profiles()).isEqualTo(1);
        assertThat(stats.keys()).isEqualTo(3);
        assertThat(stats.revisions()).isEqualTo(3);
        assertThat(stats.first().map(RevisionEntry::revision)).contains(1L);
        assertThat(stats.last().map(RevisionEntry::revision)).contains(3L);
        assertThat(stats.restorePoints()).isEqualTo(1);
        assertThat(stats.sizeBytes()).isPositive();
        assertThat(stats.operations()).extracting(OperationStats::operation)
                .containsExactly("backup-create", "batch", "profile-create", "set", "unset");
        OperationStats unset = stats.operations().get(4);
        assertThat(unset.byOutcome()).isEqualTo(Map.of("NOT_FOUND", 1L));
        assertThat(unset.p50Micros()).isLessThanOrEqualTo(unset.p95Micros()).isLessThanOrEqualTo(unset.maxMicros());
    }

    @Test
    void historyFilters_byTimeActorAndOperation_andAReversedRangeIsRefused() {
        store().put("a", 1);
        try (ConfigStore later = extension().backend().sameStore().actor("operator")
                .clock(Clock.fixed(StoreExtension.NOW.plusSeconds(3600), ZoneOffset.UTC)).open()) {
            later.put("a", 2);
            later.unset("current", "a");
            HistoryQuery lastHour = HistoryQuery.newest(10).since(StoreExtension.NOW.plusSeconds(1));

            assertThat(later.history().revisions(lastHour)).extracting(RevisionEntry::revision).containsExactly(3L, 2L);
            assertThat(later.history().revisions(HistoryQuery.newest(10).actor("tester")))
                    .extracting(RevisionEntry::revision).containsExactly(1L);
            assertThat(later.history().revisions(HistoryQuery.newest(10).operation("unset")))
                    .extracting(RevisionEntry::revision).containsExactly(3L);
            assertThat(later.history().ofKey("current", "a", HistoryQuery.newest(10).until(StoreExtension.NOW)))
                    .extracting(entry -> entry.revision().revision()).containsExactly(1L);
            assertThat(later.history().operations(HistoryQuery.newest(10).actor("operator").operation("set")))
                    .singleElement().satisfies(op -> assertThat(op.revision()).hasValue(2));
        }
        assertThatThrownBy(() -> HistoryQuery.newest(5).since(StoreExtension.NOW).until(StoreExtension.NOW.minusSeconds(1)))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("since 2026-11-22T10:00:00Z is after until 2026-11-22T09:59:59Z");
    }

    @Test
    void theMetricsHook_seesEveryLoggedOperationWithItsOutcome() {
        METRICS.clear();
        store().put("a", 1);
        assertThatThrownBy(() -> store().unset("current", "nope")).isInstanceOf(ConfigStoreException.class);
        store().health().verify();

        assertThat(METRICS).containsExactly("set OK", "unset NOT_FOUND", "verify OK");
    }
}
