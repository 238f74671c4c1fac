package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigStore;
import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** health, stats, verify, history filters and lock on the command line. */
class HealthCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    Cli.Result run(String... args) {
        return new Cli(temp.resolve("config")).run(args);
    }

    @Test
    void health_okOrWarn_exits0_andJsonGoesToStdout() throws Exception {
        run("set", "a", "1");

        Cli.Result table = run("health");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("restore-points").contains("make one with backup create")
                .containsPattern("health: (OK|WARN)");
        Cli.Result json = run("health", "--format", "json");
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.get("findings")).hasSize(10);
        assertThat(report.get("level").asText()).isIn("OK", "WARN");
    }

    @Test
    void tamperedValue_makesVerifyAndHealthExit6_namingTheDocumentAndRevision() throws Exception {
        run("set", "a", "1");
        run("set", "camera.id", "3", "--profile", "table-3");
        Properties credentials = new Properties();
        try (var in = Files.newBufferedReader(temp.resolve("config/credentials.properties"))) {
            credentials.load(in);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + temp.resolve("config/store")
                + ";AUTO_SERVER=TRUE", credentials.getProperty("user"), credentials.getProperty("password"));
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE cs_entry SET value_json = '4' WHERE document = 'table-3'");
        }

        Cli.Result verify = run("verify");
        assertThat(verify.exit()).isEqualTo(6);
        assertThat(verify.out()).contains("MISMATCH document table-3 revision 2").contains("FAILED");
        Cli.Result health = run("health");
        assertThat(health.exit()).isEqualTo(6);
        assertThat(health.out()).contains("document 'table-3' at revision 2").contains("health: CRITICAL");
    }

    @Test
    void health_onAStoreWhoseDirectoryVanished_isCritical_withoutAStackTrace() throws IOException {
        Cli.Result missing = new Cli(temp.resolve("gone")).run("health");
        assertThat(missing.exit()).isEqualTo(6);
        assertThat(missing.out()).contains("no store at").contains("the directory does not exist");
        assertThat(missing.err()).isEmpty();
        assertThat(temp.resolve("gone")).doesNotExist();

        Path directory = temp.resolve("vanishing");
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            store.put("a", 1);
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            HealthReport report = store.health().check();
            assertThat(report.level()).isEqualTo(HealthLevel.CRITICAL);
            assertThat(report.findings()).anySatisfy(finding -> assertThat(finding.message())
                    .contains("the store directory " + directory + " no longer exists"));
        }
    }

    @Test
    void stats_tableAndJson() throws Exception {
        run("set", "a", "1");
        run("set", "b", "2", "--profile", "dev");
        run("unset", "zzz");

        assertThat(run("stats").out()).contains("documents       2 (1 profiles)").contains("keys            2")
                .containsPattern("unset\\s+1\\s+NOT_FOUND=1");
        JsonNode json = JSON.readTree(run("stats", "--format", "json").out());
        assertThat(json.get("revisions").asLong()).isEqualTo(2);
        assertThat(json.at("/operations/set/count").asLong()).isEqualTo(2);
        assertThat(json.at("/operations/set/outcomes/OK").asLong()).isEqualTo(2);
        assertThat(json.at("/last_revision/revision").asLong()).isEqualTo(2);
    }

    @Test
    void history_filtersFormatsAndBadDates() {
        run("--actor", "alice", "set", "a", "1");
        run("--actor", "bob", "set", "a", "2");
        run("--actor", "bob", "unset", "nope");

        assertThat(run("history", "--actor", "alice", "--format", "csv").out())
                .containsPattern("^revision,committed_at,actor,operation,message\\R1,[^\\n]*,alice,set,")
                .doesNotContain("bob");
        assertThat(run("history", "--operations", "--op", "unset").out()).contains("NOT_FOUND").contains("bob");
        assertThat(run("history", "--key", "a", "--since", "2000-01-01", "--until", "2999-01-01", "--format", "json")
                .out()).contains("\"new_value\" : 2");
        Cli.Result reversed = run("history", "--since", "2026-11-23", "--until", "2026-11-22");
        assertThat(reversed.exit()).isEqualTo(5);
        assertThat(reversed.err()).contains("since 2026-11-23T00:00:00Z is after until 2026-11-22T00:00:00Z");
        Cli.Result badDate = run("history", "--since", "last tuesday");
        assertThat(badDate.exit()).isEqualTo(5);
        assertThat(badDate.err()).contains("accepted forms: 2026-11-22, 2026-11-22T10:15:30Z");
    }

    @Test
    void lock_acquireStatusRelease_withExitCodes() {
        run("init");
        Cli.Result acquired = run("lock", "acquire", "calibration", "--ttl", "1h");
        assertThat(acquired.exit()).isZero();
        String id = acquired.out().strip();
        assertThat(id).matches("[0-9a-f-]{36}");

        Cli.Result held = run("lock", "acquire", "calibration", "--ttl", "5s");
        assertThat(held.exit()).isEqualTo(7);
        for (String once : new String[] {"0", "0s", "0ms"}) { // zero waits: try once
            Cli.Result tried = run("lock", "acquire", "calibration", "--ttl", "5s", "--wait", once);
            assertThat(tried.exit()).as("--wait %s", once).isEqualTo(7);
            assertThat(tried.err()).contains("is held by");
        }
        assertThat(held.err()).contains("lease 'calibration' is held by");
        Cli.Result status = run("lock", "status", "calibration");
        assertThat(status.exit()).isEqualTo(7);
        assertThat(status.out()).startsWith("held by ").contains(id);

        assertThat(run("lock", "release", id).out()).isEqualTo("released " + id + "\n");
        assertThat(run("lock", "status", "calibration").out()).isEqualTo("free\n");
        assertThat(run("lock", "release", id).exit()).isEqualTo(3);
        assertThat(run("lock", "acquire", "calibration", "--ttl", "0s").exit()).isEqualTo(5);
        assertThat(run("lock", "acquire", "calibration", "--ttl", "10 minutes").err())
                .contains("accepted forms: 500ms, 30s, 5m, 1h, 2d");
        assertThat(run("lock", "acquire", "calibration", "--wait", "-1s").exit()).isEqualTo(5);
        assertThat(run("lock", "acquire", "bad\u0007name").exit()).isEqualTo(5);
    }
}
