package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A child JVM opens a version-5 store (the {@link VersionFiveFixture} rows) with this release,
 * which migrates it to version 6; the test kills it with SIGKILL at a random moment of the open.
 * Whatever moment it was, the store left behind reads as version 5 showed it (every public view
 * row, through plain SQL, before this release touches it again): it is at version 5 (perhaps with
 * some of version 6's added columns, still empty: H2 commits each DDL statement by itself) or
 * wholly at 6, never with its rows half moved; the next open finishes the migration, and every
 * document at every revision and every view row read as the version-5 release read them.
 */
@Tag("slow")
class InterruptedMigrationTest {

    private static final int KILLS = 12;

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Test
    void killDashNine_duringTheMigration_leavesVersionFiveOrSix_andTheNextOpenReadsTheSame() throws Exception {
        JsonNode expected = VersionFiveFixture.expected();
        Backend.H2 backend = (Backend.H2) extension.backend();
        Path directory = backend.directory();
        extension.store().close();

        long migratingOpen = openTime(backend, directory, true);
        long plainOpen = openTime(backend, directory, false); // the same store, now at version 6
        Random random = new Random();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < KILLS; trial++) {
            loadVersionFive(backend);
            Process child = ChildProcess.start("open", directory.toString());
            BufferedReader lines = ChildProcess.lines(child);
            assertThat(lines.readLine()).isEqualTo("OPENING");
            // spread over the part of the open where the migration runs: it comes after most of the
            // work an open that needs no migration does (the pool, H2's open) and before its end
            long from = plainOpen * 4 / 5;
            Thread.sleep(from + random.nextInt((int) Math.max(1, migratingOpen + 20 - from)));
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            String state = state(backend);
            outcomes.merge(state, 1, Integer::sum);
            assertThat(state).as("trial %d", trial).isIn("version 5", "version 5, DDL begun", "version 6");
            try (Connection connection = backend.adminConnection(); Statement statement = connection.createStatement()) {
                for (String view : VersionFiveFixture.VIEWS) {
                    assertThat(VersionFiveFixture.rows(statement, view)).as("trial %d (%s): %s", trial, state, view)
                            .isEqualTo(expected.get("views").get(view));
                }
            }
            try (ConfigStore reopened = backend.sameStore().open();
                 Connection connection = backend.adminConnection()) {
                JsonNode read = VersionFiveFixture.read(reopened, connection);
                for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("documents").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> document = it.next();
                    assertThat(read.get("documents").get(document.getKey())).as("trial %d: %s", trial, document.getKey())
                            .isEqualTo(document.getValue());
                }
                assertThat(read.get("views")).as("trial %d", trial).isEqualTo(expected.get("views"));
                assertThat(reopened.health().verify().isClean()).isTrue();
                assertThat(reopened.health().verifyChain().isIntact()).isTrue();
            }
        }
        System.out.println("InterruptedMigrationTest: " + KILLS + " kills in an open of " + migratingOpen
                + " ms (" + plainOpen + " ms without the migration): " + outcomes);
        assertThat(outcomes.keySet()).as("some kill landed in or after the migration").isNotEqualTo(
                java.util.Set.of("version 5"));
    }

    /** How long the child takes from OPENING to OPENED, on a version-5 store (migrating) or the store as it is. */
    private static long openTime(Backend backend, Path directory, boolean versionFive) throws Exception {
        if (versionFive) {
            loadVersionFive(backend);
        }
        Process child = ChildProcess.start("open", directory.toString());
        BufferedReader lines = ChildProcess.lines(child);
        assertThat(lines.readLine()).isEqualTo("OPENING");
        long start = System.nanoTime();
        assertThat(lines.readLine()).startsWith("OPENED");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return millis;
    }

    private static void loadVersionFive(Backend backend) throws Exception {
        backend.recreateAtVersion(5);
        try (Connection connection = backend.adminConnection()) {
            VersionFiveFixture.load(connection);
        }
    }

    /** Which version Flyway recorded, and whether version 6's first statements ran without it. */
    private static String state(Backend backend) throws Exception {
        try (Connection connection = backend.adminConnection(); Statement statement = connection.createStatement()) {
            boolean six;
            try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM \"configstore_schema_history\""
                    + " WHERE \"version\" = '6' AND \"success\" = TRUE")) {
                row.next();
                six = row.getInt(1) == 1;
            }
            if (six) {
                return "version 6";
            }
            try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SEQUENCES"
                    + " WHERE SEQUENCE_NAME = 'CS_OPERATION_SEQ'")) {
                row.next();
                return row.getInt(1) == 1 ? "version 5, DDL begun" : "version 5";
            }
        }
    }
}
