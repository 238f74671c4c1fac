package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigStore;
import dev.configstore.profile.ProfileDefinition;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's JSON API on a real H2 store: its answers are the CLI's {@code --format json}
 * output for the same question, its writes follow the CLI's rules (typed values,
 * compare-and-set, actor), and its history pages through a million revisions without reading
 * them all.
 */
class ConsoleApiTest {

    @TempDir
    Path temp;

    ConfigStore store;
    ConsoleServer server;
    ConsoleClient script;

    @BeforeEach
    void openStoreAndConsole() {
        store = ConfigStore.builder().path(temp.resolve("store")).actor(ConsoleCommand.ACTOR).open();
        server = new ConsoleServer(store, new ConsoleServer.Settings(InetAddress.getLoopbackAddress(), 0, false, false))
                .start();
        script = ConsoleClient.bearer(server);
    }

    @AfterEach
    void close() {
        server.close();
        store.close();
    }

    private JsonNode cli(String... args) throws Exception {
        Cli.Result result = new Cli(temp.resolve("store")).run(args);
        assertThat(result.exit()).as(result.err()).isZero();
        return ConsoleClient.JSON.readTree(result.out());
    }

    private JsonNode api(String path) {
        HttpResponse<String> response = script.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return ConsoleClient.json(response);
    }

    @Test
    void everyReadingRoute_answersWhatTheCliPrintsWithFormatJson() throws Exception {
        store.put("table.cloth", "green");
        store.put("table.speed", new BigDecimal("0.10"));
        store.profiles().create(ProfileDefinition.named("tournament").extending("current"));
        store.put("tournament", "table.speed", new java.math.BigInteger("12345678901234567890"));
        store.backups().create("before-tuning", 3, "as delivered");
        store.unset("table.cloth");

        assertThat(api("/api/history?limit=3")).isEqualTo(cli("history", "--limit", "3", "--format", "json"));
        assertThat(api("/api/history?limit=2&before=4")).isEqualTo(cli("history", "--limit", "2", "--before", "4",
                "--format", "json"));
        assertThat(api("/api/history?key=table.speed&document=tournament"))
                .isEqualTo(cli("history", "--key", "table.speed", "--profile", "tournament", "--format", "json"));
        assertThat(api("/api/history?actor=console&limit=50")).isEqualTo(cli("history", "--actor", "console",
                "--limit", "50", "--format", "json"));
        assertThat(api("/api/diff?from=1&to=5")).isEqualTo(cli("diff", "1", "5", "--format", "json"));
        assertThat(api("/api/diff?from=0&document=tournament")).isEqualTo(cli("diff", "0", "--profile", "tournament",
                "--format", "json"));
        assertThat(api("/api/backups")).isEqualTo(cli("backup", "list", "--format", "json"));
        assertThat(api("/api/documents")).isEqualTo(cli("profile", "list", "--format", "json"));
        assertThat(api("/api/documents/tournament/explain")).isEqualTo(cli("show", "--profile", "tournament",
                "--explain", "--format", "json"));
        assertThat(api("/api/documents/tournament")).isEqualTo(cli("show", "--profile", "tournament"));
        assertThat(api("/api/documents/tournament?raw=true")).isEqualTo(cli("show", "--profile", "tournament", "--raw"));
        assertThat(api("/api/documents/current?revision=2")).isEqualTo(cli("show", "--revision", "2"));
        assertThat(api("/api/documents/current/value?key=table.speed")).isEqualTo(cli("get", "table.speed", "--json"));
        assertThat(api("/api/backups/before-tuning/preview").toString()).contains("table.cloth").contains("ADDED");
        assertThat(api("/api/operations?limit=20")).isEqualTo(cli("history", "--operations", "--limit", "20",
                "--format", "json"));
        // health and statistics as the CLI prints them, less what differs between two runs
        JsonNode health = api("/api/health");
        JsonNode cliHealth = cli("health", "--format", "json");
        assertThat(health.get("level")).isEqualTo(cliHealth.get("level"));
        assertThat(health.get("findings").findValuesAsText("check"))
                .isEqualTo(cliHealth.get("findings").findValuesAsText("check"));
        assertThat(health.get("findings").findValuesAsText("level"))
                .isEqualTo(cliHealth.get("findings").findValuesAsText("level"));
        com.fasterxml.jackson.databind.node.ObjectNode stats = (com.fasterxml.jackson.databind.node.ObjectNode)
                api("/api/stats");
        com.fasterxml.jackson.databind.node.ObjectNode cliStats = (com.fasterxml.jackson.databind.node.ObjectNode)
                cli("stats", "--format", "json");
        for (com.fasterxml.jackson.databind.node.ObjectNode each : List.of(stats, cliStats)) {
            each.remove(List.of("size_bytes", "operations")); // the size is unknown while the console holds the store
        }
        assertThat(stats).isEqualTo(cliStats);
        assertThat(script.get("/api/history?document=tournament").statusCode()).isEqualTo(400); // only with a key

        // the timeline's keys per revision are each revision's own diff
        JsonNode keys = api("/api/history/keys?from=0&to=5");
        assertThat(keys).hasSize(5);
        assertThat(keys.get(0).get("revision").asLong()).isEqualTo(5);
        assertThat(keys.get(0).get("keys").get(0).asText()).isEqualTo("current:table.cloth");
        for (JsonNode revision : keys) {
            long number = revision.get("revision").asLong();
            assertThat(revision.get("keys_changed").asInt()).as("revision " + number)
                    .isEqualTo(cli("diff", String.valueOf(number - 1), String.valueOf(number), "--format", "json").size());
        }
        assertThat(script.get("/api/history/keys?from=0&to=5000").statusCode()).isEqualTo(400);
        assertThat(script.get("/api/history/keys?from=0&to=6").statusCode()).isEqualTo(404);
        for (String chart : new String[] {"revisions-per-day", "keys-over-time", "operation-durations"}) {
            HttpResponse<String> svg = script.get("/api/charts/" + chart);
            assertThat(svg.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/svg+xml");
            assertThat(svg.body()).startsWith("<svg").contains("<rect").doesNotContain("not available");
        }
        assertThat(script.get("/api/charts/revisions-per-day").body()).contains(java.time.LocalDate.now(
                java.time.ZoneOffset.UTC) + ": 5"); // five revisions today (the profile is one)
        assertThat(script.get("/api/charts/keys-over-time").body()).contains(java.time.LocalDate.now(
                java.time.ZoneOffset.UTC) + ": 2"); // table.speed in current and in tournament
        // numbers exactly as stored: no double on the way
        assertThat(api("/api/documents/tournament/explain").toString()).contains("12345678901234567890");
        assertThat(api("/api/documents/current/explain").toString()).contains("0.10");
    }

    @Test
    void aWrite_followsTheCliRules_andIsRecordedAsConsole() throws Exception {
        store.put("table.cloth", "green");
        long shown = store.revision();

        HttpResponse<String> set = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"table.speed\",\"text\":\"0.10\",\"expect_revision\":" + shown + ",\"message\":\"tuned\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(ConsoleClient.json(set).get("revision").asLong()).isEqualTo(shown + 1);
        assertThat(cli("get", "table.speed", "--json").decimalValue()).isEqualTo(new BigDecimal("0.10"));
        assertThat(new Cli(temp.resolve("store")).run("get", "table.speed").out().strip()).isEqualTo("0.10");
        JsonNode newest = cli("history", "--limit", "1", "--format", "json").get(0);
        assertThat(newest.get("actor").asText()).isEqualTo("console");
        assertThat(newest.get("message").asText()).isEqualTo("tuned");

        // typed text as set takes it: NO stays a string, text as text, JSON-looking junk refused
        script.send("PUT", "/api/documents/current/value", "{\"key\":\"answer\",\"text\":\"NO\"}");
        assertThat(store.find("answer").orElseThrow().isTextual()).isTrue();
        script.send("PUT", "/api/documents/current/value", "{\"key\":\"code\",\"text\":\"007\",\"string\":true}");
        assertThat(store.find("code").orElseThrow().asText()).isEqualTo("007");
        HttpResponse<String> junk = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"bad\",\"text\":\"[1, 2\"}");
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(junk).get("error").asText()).contains("starts like JSON");

        // a stale revision is a conflict, with both revisions, and nothing changes
        long head = store.revision();
        HttpResponse<String> stale = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"table.cloth\",\"text\":\"red\",\"expect_revision\":" + shown + "}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(ConsoleClient.json(stale).get("expected_revision").asLong()).isEqualTo(shown);
        assertThat(ConsoleClient.json(stale).get("actual_revision").asLong()).isGreaterThan(shown);
        assertThat(store.refresh()).isEqualTo(head);
        assertThat(store.find("table.cloth").orElseThrow().asText()).isEqualTo("green");

        // unset as the CLI's: a missing key is 404
        assertThat(script.send("DELETE", "/api/documents/current/value?key=nothing.here", null).statusCode())
                .isEqualTo(404);
        assertThat(script.send("DELETE", "/api/documents/current/value?key=answer&expect_revision=" + head, null)
                .statusCode()).isEqualTo(200);
        assertThat(store.find("answer")).isEmpty();
    }

    @Test
    void theEventStream_sendsEachRevisionAsTheWatchJsonLines() throws Exception {
        store.put("table.cloth", "green");
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base()
                + "/api/events?document=current")).header("Authorization", "Bearer " + server.token()).header("Accept", "text/event-stream").build();
        java.util.Iterator<String> lines = http.send(request, HttpResponse.BodyHandlers.ofLines()).body().iterator();
        assertThat(lines.next()).isEqualTo("event: ready");

        store.put("table.cloth", "red");

        String data = null;
        while (data == null) {
            String line = lines.next();
            if (line.equals("event: revision")) {
                data = lines.next();
            }
        }
        assertThat(data).startsWith("data: ");
        JsonNode changes = ConsoleClient.JSON.readTree(data.substring("data: ".length()));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).get("key").asText()).isEqualTo("table.cloth");
        assertThat(changes.get(0).get("old").asText()).isEqualTo("green");
        assertThat(changes.get(0).get("new").asText()).isEqualTo("red");
        assertThat(changes.get(0).get("revision").asLong()).isEqualTo(store.revision());

        var refused = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base()
                        + "/api/events?document=..%2Fetc")).header("Authorization", "Bearer " + server.token()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.body()).contains("event: failure").contains("../etc");
    }

    @Test
    void aPageThatGoesAway_leavesNoWatchBehind() throws Exception {
        try (ConsoleServer quick = new ConsoleServer(store, new ConsoleServer.Settings(InetAddress.getLoopbackAddress(),
                0, false, false, java.time.Duration.ofMillis(100))).start()) {
            var http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(quick.base() + "/api/events"))
                    .header("Authorization", "Bearer " + quick.token()).header("Accept", "text/event-stream").build();
            for (int page = 0; page < 5; page++) {
                try (java.io.InputStream stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
                    assertThat(new String(stream.readNBytes(12), java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo("event: ready");
                }
            }
            assertThat(quick.following()).isPositive();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (quick.following() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(quick.following()).as("watches still open after the pages went").isZero();
        }
    }

    @Test
    void aWriteToAProfile_isAConflictWhenAParentChangedSinceThePageShowedIt() {
        store.put("table.cloth", "green");
        store.profiles().create(ProfileDefinition.named("tournament").extending("current"));
        long shown = store.revision();
        store.put("table.cloth", "red"); // the parent changes: the page showed green

        HttpResponse<String> stale = script.send("PUT", "/api/documents/tournament/value",
                "{\"key\":\"table.speed\",\"text\":\"3\",\"expect_revision\":" + shown + "}");
        HttpResponse<String> unset = script.send("DELETE", "/api/documents/tournament/value?key=table.cloth"
                + "&expect_revision=" + shown, null);

        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(ConsoleClient.json(stale).get("document").asText()).isEqualTo("tournament");
        assertThat(unset.statusCode()).isEqualTo(409);
        assertThat(store.find("tournament", "table.speed")).isEmpty();
        assertThat(script.send("PUT", "/api/documents/tournament/value", "{\"key\":\"table.speed\",\"text\":\"3\","
                + "\"expect_revision\":" + store.revision() + "}").statusCode()).isEqualTo(200);
    }

    @Test
    void aSecret_isNeverWrittenThroughTheConsole() {
        store.batch().setSecret("current", "db.password", "hunter2").commit();
        long head = store.revision();

        HttpResponse<String> overSecret = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"db.password\",\"text\":\"changed\"}");
        HttpResponse<String> theMask = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"db.user\",\"text\":\"<secret>\"}");

        assertThat(overSecret.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(overSecret).get("error").asText()).contains("holds a secret").contains("--secret");
        assertThat(theMask.statusCode()).isEqualTo(400);
        // nor above it (replacing the subtree that holds it) or below it (turning it into an object)
        HttpResponse<String> above = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"db\",\"text\":\"{\\\"host\\\":\\\"x\\\"}\"}");
        assertThat(above.statusCode()).as(above.body()).isEqualTo(400);
        assertThat(ConsoleClient.json(above).get("error").asText()).contains("key 'db'").contains("holds a secret");
        HttpResponse<String> below = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"db.password.x\",\"text\":\"1\"}");
        assertThat(below.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(below).get("error").asText()).contains("turn the secret at 'db.password'");
        assertThat(script.send("PUT", "/api/documents/current/value", "{\"key\":\"db.user\",\"text\":\"admin\"}")
                .statusCode()).as("a plain key beside a secret").isEqualTo(200);
        head = store.revision();
        assertThat(script.send("PUT", "/api/documents/current/value", "{\"key\":\"db\",\"value\":{\"password\":"
                + "\"<secret>\"}}").statusCode()).isEqualTo(400);
        assertThat(store.refresh()).isEqualTo(head);
        assertThat(store.secrets().reveal("current", "db.password").orElseThrow().asText()).isEqualTo("hunter2");
        assertThat(api("/api/documents/current/explain").get(0).get("value").asText()).isEqualTo("<secret>");
    }

    @Test
    void restorePoints_createRestoreWithTheHeadItWasPreviewedAt_andDelete() {
        store.put("table.cloth", "green");
        HttpResponse<String> created = script.send("POST", "/api/backups", "{\"name\":\"green\",\"note\":\"ok\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(ConsoleClient.json(created).get(0).get("name").asText()).isEqualTo("green");
        store.put("table.cloth", "red");
        long previewedAt = store.revision();
        store.put("table.speed", 3); // someone else writes after the preview

        HttpResponse<String> stale = script.send("POST", "/api/backups/green/restore",
                "{\"expect_revision\":" + previewedAt + "}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(store.find("table.cloth").orElseThrow().asText()).isEqualTo("red");

        HttpResponse<String> restored = script.send("POST", "/api/backups/green/restore",
                "{\"expect_revision\":" + store.revision() + "}");
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        assertThat(store.find("table.cloth").orElseThrow().asText()).isEqualTo("green");
        assertThat(store.history().revisions(1).get(0).operation()).isEqualTo("restore");

        assertThat(script.send("DELETE", "/api/backups/green", null).statusCode()).isEqualTo(200);
        assertThat(script.send("DELETE", "/api/backups/green", null).statusCode()).isEqualTo(404);
    }

    @Test
    void onPostgres_theChartsHistoryAndWritesWork() {
        dev.configstore.Backend.Postgres postgres = new dev.configstore.Backend.Postgres();
        try (ConfigStore onPostgres = postgres.newStore(temp).actor(ConsoleCommand.ACTOR).open();
             ConsoleServer console = new ConsoleServer(onPostgres, new ConsoleServer.Settings(
                     InetAddress.getLoopbackAddress(), 0, false, false)).start()) {
            onPostgres.put("table.cloth", "green");
            onPostgres.put("table.cloth", "red");
            ConsoleClient client = ConsoleClient.bearer(console);

            HttpResponse<String> set = client.send("PUT", "/api/documents/current/value",
                    "{\"key\":\"table.speed\",\"text\":\"0.10\",\"expect_revision\":2}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(onPostgres.find("table.speed").orElseThrow().decimalValue()).isEqualTo(new BigDecimal("0.10"));
            JsonNode page = ConsoleClient.json(client.get("/api/history?before=3&limit=1"));
            assertThat(page).hasSize(1);
            assertThat(page.get(0).get("revision").asLong()).isEqualTo(2);
            for (String chart : new String[] {"revisions-per-day", "keys-over-time", "operation-durations"}) {
                assertThat(client.get("/api/charts/" + chart).body()).as(chart).contains("<rect")
                        .doesNotContain("not available");
            }
            assertThat(client.get("/api/charts/revisions-per-day").body()).contains(java.time.LocalDate.now(
                    java.time.ZoneOffset.UTC) + ": 3");
            assertThat(client.get("/api/charts/keys-over-time").body()).contains(java.time.LocalDate.now(
                    java.time.ZoneOffset.UTC) + ": 2");
        } finally {
            postgres.cleanUp();
        }
    }

    @Test
    void aTenThousandKeyDocument_isAnsweredWhole_forThePageToPage() {
        var batch = store.batch();
        for (int i = 0; i < 10_000; i++) {
            batch.set("current", "keys.k" + String.format("%05d", i), i);
        }
        batch.commit();

        JsonNode explained = api("/api/documents/current/explain");

        assertThat(explained).hasSize(10_000);
        assertThat(explained.get(9_999).get("key").asText()).isEqualTo("keys.k09999");
    }

    @Test
    void aMillionRevisionHistory_isReadAPageAtATime() throws Exception {
        store.put("table.cloth", "green");
        addRevisionRows(temp.resolve("store"), 2, 1_000_000);
        store.refresh();

        JsonNode newest = api("/api/history");
        JsonNode deep = api("/api/history?before=500000&limit=50");
        JsonNode last = api("/api/history?before=3");

        assertThat(newest).hasSize(50);
        assertThat(newest.get(0).get("revision").asLong()).isEqualTo(1_000_000);
        assertThat(newest.get(49).get("revision").asLong()).isEqualTo(999_951);
        assertThat(deep).hasSize(50);
        assertThat(deep.get(0).get("revision").asLong()).isEqualTo(499_999);
        assertThat(last).hasSize(2);
        assertThat(api("/api/history?key=table.cloth&before=1000000")).hasSize(1);
        assertThat(script.get("/api/history?limit=1001").statusCode()).isEqualTo(400); // a page is at most 1,000 rows
    }

    /**
     * Revision rows as the writer makes them, written by SQL in one statement: a million
     * revisions through the store would take minutes. Only the history's own table is filled;
     * the test reads revisions, not values.
     */
    static void addRevisionRows(Path storeDirectory, long from, long to) throws Exception {
        Properties credentials = new Properties();
        try (var in = java.nio.file.Files.newBufferedReader(storeDirectory.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                + storeDirectory.resolve("store") + ";AUTO_SERVER=TRUE", credentials.getProperty("user"),
                credentials.getProperty("password")); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO cs_revision (revision, committed_at, actor, message, operation,"
                    + " write_number, started_at, duration_us) SELECT X, TIMESTAMP WITH TIME ZONE"
                    + " '2026-01-01 00:00:00+00' + X * INTERVAL '1' SECOND, 'bulk', NULL, 'set', X,"
                    + " TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' + X * INTERVAL '1' SECOND, 10"
                    + " FROM SYSTEM_RANGE(" + from + ", " + to + ")");
        }
    }
}
