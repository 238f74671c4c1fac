package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that prints data has --format json: the output parses as JSON, numbers,
 * booleans and nulls are JSON values (not strings), stored values are the JSON they are, and
 * nothing but the data goes to stdout.
 */
class JsonOutputCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    Cli.Result run(String... args) {
        return new Cli(temp.resolve("config"), "--actor", "operator").run(args);
    }

    JsonNode json(String... args) throws Exception {
        Cli.Result result = run(args);
        assertThat(result.exit()).as("%s: %s", String.join(" ", args), result.err()).isIn(0, 7);
        return JSON.readTree(result.out());
    }

    @BeforeEach
    void aStoreWithSomethingOfEach() {
        run("set", "vision.fps", "30");
        run("set", "vision.device", "cam-1", "-m", "camera");
        run("set", "vision.enabled", "true");
        run("profile", "create", "table-3", "--extends", "current", "--tag", "lab", "--tag", "night");
        run("set", "vision.fps", "60", "--profile", "table-3");
        run("backup", "create", "daily", "--priority", "5");
    }

    @Test
    void historyAndDiff_areTypedRows() throws Exception {
        JsonNode revisions = json("history", "--format", "json");
        assertThat(revisions.get(0).get("revision").isIntegralNumber()).isTrue();
        assertThat(revisions.get(0).get("message").isNull()).isTrue();
        assertThat(revisions.findValues("message")).anySatisfy(message -> assertThat(message.asText()).isEqualTo("camera"));

        JsonNode key = json("history", "--key", "vision.fps", "--format", "json");
        assertThat(key.get(0).get("new_value").isIntegralNumber()).isTrue();
        assertThat(key.get(key.size() - 1).get("old_value").isNull()).isTrue();

        JsonNode operations = json("history", "--operations", "--format", "json");
        assertThat(operations.get(0).get("operation_id").isIntegralNumber()).isTrue();
        assertThat(operations.get(0).get("duration_micros").isIntegralNumber()).isTrue();

        JsonNode diff = json("diff", "0", "--format", "json");
        assertThat(diff).anySatisfy(change -> {
            assertThat(change.get("key").asText()).isEqualTo("vision.enabled");
            assertThat(change.get("kind").asText()).isEqualTo("ADDED");
            assertThat(change.get("new_value").isBoolean()).isTrue();
            assertThat(change.get("old_value").isNull()).isTrue();
        });
    }

    @Test
    void sql_keepsTheColumnsTypes() throws Exception {
        JsonNode rows = json("sql", "SELECT revision, actor, CAST(NULL AS INTEGER) AS nothing, TRUE AS yes,"
                + " 1.50 AS money FROM revisions ORDER BY revision LIMIT 1", "--format", "json");
        JsonNode row = rows.get(0);
        assertThat(row.get("revision").isIntegralNumber()).isTrue();
        assertThat(row.get("actor").isTextual()).isTrue();
        assertThat(row.get("nothing").isNull()).isTrue();
        assertThat(row.get("yes").isBoolean()).isTrue();
        assertThat(row.get("money").decimalValue()).isEqualByComparingTo("1.50");
        assertThat(row.get("money").isNumber()).isTrue();
    }

    @Test
    void profilesRestorePointsExplainLeasesVerifyStatsAndHealth_haveJson() throws Exception {
        JsonNode profiles = json("profile", "list", "--format", "json");
        assertThat(profiles.get(0).get("name").asText()).isEqualTo("table-3");
        assertThat(profiles.get(0).get("keys").isIntegralNumber()).isTrue();
        assertThat(profiles.get(0).get("tags")).isEqualTo(JSON.readTree("[\"lab\",\"night\"]"));

        JsonNode points = json("backup", "list", "--format", "json");
        assertThat(points.get(0).get("name").asText()).isEqualTo("daily");
        assertThat(points.get(0).get("document").isNull()).isTrue();
        assertThat(points.get(0).get("priority").asInt()).isEqualTo(5);
        assertThat(points.get(0).get("revision").isIntegralNumber()).isTrue();

        JsonNode explained = json("show", "--profile", "table-3", "--explain", "--format", "json");
        assertThat(explained).anySatisfy(key -> {
            assertThat(key.get("key").asText()).isEqualTo("vision.fps");
            assertThat(key.get("value").asInt()).isEqualTo(60);
            assertThat(key.get("value").isIntegralNumber()).isTrue();
            assertThat(key.get("from").asText()).isEqualTo("table-3");
        });

        assertThat(json("lock", "status", "calibration", "--format", "json").get("state").asText()).isEqualTo("free");
        String id = run("lock", "acquire", "calibration", "--ttl", "1h").out().strip();
        JsonNode held = json("lock", "status", "calibration", "--format", "json");
        assertThat(held.get("state").asText()).isEqualTo("held");
        assertThat(held.get("id").asText()).isEqualTo(id);
        assertThat(held.get("pid").isIntegralNumber()).isTrue();

        JsonNode verify = json("verify", "--format", "json");
        assertThat(verify.get("clean").isBoolean()).isTrue();
        assertThat(verify.get("versions_checked").isIntegralNumber()).isTrue();
        assertThat(verify.get("mismatches").isArray()).isTrue();

        assertThat(json("stats", "--format", "json").get("revisions").isIntegralNumber()).isTrue();
        assertThat(json("health", "--format", "json").isContainerNode()).isTrue();
    }

    @Test
    void show_writesTheDocumentInAnyFormat_toStdout() {
        assertThat(run("show", "--format", "yaml").out()).contains("vision:").contains("fps: 30");
        assertThat(run("show", "--format", "toml").out()).contains("vision.fps = 30");
        assertThat(run("show", "--format", "properties").out()).contains("vision.fps=30");
        assertThat(run("show", "--profile", "table-3", "--raw", "--format", "properties").out())
                .isEqualTo("vision.fps=60\n");
        assertThat(run("show", "--revision", "1", "--format", "yaml").out()).contains("fps: 30")
                .doesNotContain("device");
        Cli.Result unknown = run("show", "--format", "docx");
        assertThat(unknown.exit()).isEqualTo(2); // a bad option value is a usage error
        assertThat(unknown.err()).contains("unknown format 'docx'");
        assertThat(unknown.out()).isEmpty();
    }

    @Test
    void get_writesASubtreeInAnyFormat_andAScalarOnlyAsJson() throws Exception {
        assertThat(run("get", "vision", "--format", "yaml").out()).contains("fps: 30").contains("device: \"cam-1\"")
                .doesNotContain("vision");
        assertThat(run("get", "vision", "--format", "properties").out()).contains("fps=30").contains("enabled=true");
        assertThat(run("get", "vision", "--profile", "table-3", "--format", "toml").out()).contains("fps = 60");
        assertThat(json("get", "vision", "--format", "json").get("fps").isIntegralNumber()).isTrue();
        assertThat(run("get", "vision.device", "--format", "json").out()).isEqualTo("\"cam-1\"\n");
        assertThat(run("get", "vision.device").out()).isEqualTo("cam-1\n"); // the default stays raw

        Cli.Result scalar = run("get", "vision.fps", "--format", "yaml");
        assertThat(scalar.exit()).isEqualTo(2);
        assertThat(scalar.err()).contains("'vision.fps' holds a number").contains("--format json");
        assertThat(scalar.out()).isEmpty();
    }

    @Test
    void csv_isWrittenByTheCsvModule_quotingWhatNeedsIt() {
        run("set", "note", "\"a, b\"", "-m", "with \"quotes\", and a comma");
        String csv = run("history", "--format", "csv", "--limit", "1").out();
        assertThat(csv).startsWith("revision,committed_at,actor,operation,message\r\n")
                .contains(",\"with \"\"quotes\"\", and a comma\"\r\n");
    }
}
