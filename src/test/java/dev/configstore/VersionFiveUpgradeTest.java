package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store written by the release of schema version 5 (its rows kept as a test resource, see
 * {@link VersionFiveFixture}) opens with this release, migrates, and reads what that release
 * read: every document at every revision, every public view row (the operation log with its
 * ids, failed and successful), the hash chain; verify is clean and its restore points restore.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class VersionFiveUpgradeTest {

    @RegisterExtension
    final StoreExtension extension;

    VersionFiveUpgradeTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    @Test
    void aVersionFiveStore_migrates_andReadsEveryRevisionAndViewRowAsThatReleaseDid() throws Exception {
        extension.store().close();
        loadVersionFive();
        JsonNode expected = VersionFiveFixture.expected();

        ConfigStore upgraded = extension.reopen();
        assertReadsAsExpected(upgraded, expected, "migrated");
        assertThat(upgraded.health().verify().isClean()).isTrue();
        var chain = upgraded.health().verifyChain();
        assertThat(chain.isIntact()).as(chain.problem()).isTrue();
        assertThat(upgraded.locks().status("deploy")).isPresent();

        long head = upgraded.revision();
        upgraded.backups().restore("before-scratch");
        assertThat(upgraded.revision()).isEqualTo(head + 1);
        assertThat(upgraded.document("scratch")).isEmpty();
        assertThat(upgraded.document("current").orElseThrow().tree().at("/names/0").asText()).isEqualTo("name 28");
        upgraded.backups().restore("t3");
        assertThat(upgraded.document("table-3").orElseThrow().tree().at("/camera/id").asInt()).isEqualTo(29);
        upgraded.put("table-3", "camera.id", 34);
        long lastWrite = upgraded.revision();
        assertThat(upgraded.health().verify().isClean()).isTrue();
        assertThat(upgraded.health().verifyChain().isIntact()).isTrue();
        // the operation log goes on after the migrated rows, in one order
        try (Connection connection = extension.backend().adminConnection(); Statement statement = connection.createStatement()) {
            JsonNode operations = VersionFiveFixture.rows(statement, "SELECT * FROM operations ORDER BY operation_id");
            JsonNode migrated = expected.get("views").get("SELECT * FROM operations ORDER BY operation_id");
            long lastMigrated = migrated.get(migrated.size() - 1).get("operation_id").asLong();
            JsonNode set = null;
            for (JsonNode operation : operations) {
                if (operation.get("revision").asLong() == lastWrite) {
                    set = operation;
                }
            }
            assertThat(set).isNotNull();
            assertThat(set.get("operation").asText()).isEqualTo("set");
            assertThat(set.get("outcome").asText()).isEqualTo("OK");
            assertThat(set.get("operation_id").asLong()).isGreaterThan(lastMigrated);
        }
    }

    /**
     * H2 commits each DDL statement by itself, so a process killed during the migration leaves a
     * prefix of it applied and no Flyway row. For every prefix, the public views still read as
     * version 5 showed them, and the next open finishes the migration and reads the same.
     * (Statements run one by one here; in a migration the last three commit together.)
     */
    @Test
    void aMigrationInterruptedAfterAnyStatement_readsAsBefore_andFinishesAtTheNextOpen() throws Exception {
        List<String> statements = PreviousSchemaUpgradeTest.migrationStatements("V6__operations_in_revisions.sql");
        assertThat(statements).hasSizeGreaterThan(6);
        JsonNode expected = VersionFiveFixture.expected();
        extension.store().close();
        for (int applied = 0; applied < statements.size(); applied++) {
            loadVersionFive();
            try (Connection connection = extension.backend().adminConnection();
                 Statement statement = connection.createStatement()) {
                for (String sql : statements.subList(0, applied)) { // what ran before the kill
                    statement.execute(sql);
                }
                if (applied < statements.size() - 2) { // the rows have not moved yet: version 5's views
                    for (String view : VersionFiveFixture.VIEWS) {
                        assertThat(VersionFiveFixture.rows(statement, view)).as("after %d statements: %s", applied, view)
                                .isEqualTo(expected.get("views").get(view));
                    }
                }
            }
            ConfigStore reopened = extension.reopen();
            assertReadsAsExpected(reopened, expected, "after " + applied + " statements");
            assertThat(reopened.health().verify().isClean()).isTrue();
            assertThat(reopened.health().verifyChain().isIntact()).isTrue();
            reopened.close();
        }
    }

    private void loadVersionFive() throws Exception {
        extension.backend().recreateAtVersion(5);
        try (Connection connection = extension.backend().adminConnection()) {
            VersionFiveFixture.load(connection);
        }
    }

    /** Every document at every revision and every view row as the version-5 release read them. */
    private void assertReadsAsExpected(ConfigStore store, JsonNode expected, String when) throws Exception {
        try (Connection connection = extension.backend().adminConnection()) {
            JsonNode read = VersionFiveFixture.read(store, connection);
            assertThat(read.get("head")).as(when).isEqualTo(expected.get("head"));
            assertThat(read.get("floor")).as(when).isEqualTo(expected.get("floor"));
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("documents").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> document = it.next();
                assertThat(read.get("documents").get(document.getKey())).as(when + ": " + document.getKey())
                        .isEqualTo(document.getValue());
            }
            for (String view : VersionFiveFixture.VIEWS) {
                assertThat(read.get("views").get(view)).as(when + ": " + view).isEqualTo(expected.get("views").get(view));
            }
        }
    }
}
