package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthReport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up or fails reads, simulated under H2 ({@link FaultyFilePath}): a write
 * fails with an error that names the disk, nothing acknowledged is lost, the health check says
 * what is wrong, and the same open store works again once the disk does (no restart).
 */
class DiskFaultTest {

    @TempDir
    Path temp;

    @BeforeEach
    void healthyDisk() {
        FaultyFilePath.register();
        FaultyFilePath.DISK.reset();
    }

    @AfterEach
    void healthyDiskAgain() {
        FaultyFilePath.DISK.reset();
    }

    private ConfigStore open() {
        return ConfigStore.builder().url("jdbc:h2:" + FaultyFilePath.SCHEME + ":" + temp.resolve("store"))
                .credentials("owner", "secret").refreshInterval(Duration.ZERO).open();
    }

    @Test
    void fullDisk_failsTheWriteNamingTheDisk_losesNothing_andTheSameStoreWorksOnceThereIsSpace() {
        try (ConfigStore store = open()) {
            store.put("a", 1);
            long head = store.put("b", 2).revision();

            FaultyFilePath.DISK.bytesLeft(0);
            assertThatThrownBy(() -> store.put("c", 3)).isInstanceOf(ConfigStoreException.class)
                    .hasMessageContaining("disk is full").hasMessageContaining("No space left on device")
                    .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            HealthReport full = store.health().check();
            HealthFinding writable = finding(full, "writable");
            assertThat(writable.level()).isEqualTo(HealthLevel.CRITICAL);
            assertThat(writable.message()).contains("disk is full");
            assertThat(full.level()).isEqualTo(HealthLevel.CRITICAL);

            FaultyFilePath.DISK.bytesLeft(Long.MAX_VALUE);
            long after = store.put("d", 4).revision();

            assertThat(after).isGreaterThan(head);
            assertThat(store.find("a").map(JsonNode::asInt)).contains(1);
            assertThat(store.find("b").map(JsonNode::asInt)).contains(2);
            assertThat(store.find("c")).isEmpty();
            assertThat(store.find("d").map(JsonNode::asInt)).contains(4);
            assertThat(finding(store.health().check(), "writable").level()).isEqualTo(HealthLevel.OK);
            assertThat(store.health().verify().isClean()).isTrue();
        }
        try (ConfigStore reopened = open()) {
            assertThat(reopened.find("d").map(JsonNode::asInt)).contains(4);
            assertThat(reopened.find("c")).isEmpty();
        }
    }

    @Test
    void failingReads_failTheOpenWithTheCause_andTheDataIsThereOnceReadsWork() {
        try (ConfigStore store = open()) {
            store.put("a", 1);
        }

        FaultyFilePath.DISK.failReads(true);
        assertThatThrownBy(this::open).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("Input/output error");

        FaultyFilePath.DISK.failReads(false);
        try (ConfigStore store = open()) {
            assertThat(store.find("a").map(JsonNode::asInt)).contains(1);
            assertThat(store.health().verify().isClean()).isTrue();
        }
    }

    private static HealthFinding finding(HealthReport report, String check) {
        return report.findings().stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
    }
}
