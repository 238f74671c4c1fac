package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.profile.ProfileDefinition;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store made by the previous schema (version 4) opens with this release, migrates, reads every
 * revision as before, verifies clean and restores its restore points. The version-4 store is
 * made by writing with this release and then taking the version-5 objects out again, which
 * leaves exactly the rows version 4 wrote (its columns, and its Flyway history row last).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class PreviousSchemaUpgradeTest {

    /** What version 6 did, undone: the successful writes' operations back in cs_operation. */
    static final List<String> BACK_TO_VERSION_5 = List.of(
            "INSERT INTO cs_operation (id, operation, document, revision, actor, started_at, duration_us, outcome, error)"
                    + " SELECT operation_id, operation, operation_document, revision, actor, started_at, duration_us,"
                    + " 'OK', NULL FROM cs_revision WHERE operation_id IS NOT NULL",
            "CREATE OR REPLACE VIEW operations AS SELECT id AS operation_id, operation, document, revision, actor,"
                    + " started_at, duration_us AS duration_micros, outcome, error FROM cs_operation",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS duration_us",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS started_at",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS operation_document",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS operation_id",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS write_number",
            "DROP SEQUENCE IF EXISTS cs_operation_seq",
            "DELETE FROM cs_setting WHERE setting_name = 'operation.id.offset'",
            "DELETE FROM \"configstore_schema_history\" WHERE \"version\" = '6'");

    /** What version 5 added, taken out in reverse order (after {@link #BACK_TO_VERSION_5}). */
    static final List<String> BACK_TO_VERSION_4 = java.util.stream.Stream.concat(BACK_TO_VERSION_5.stream(), Stream.of(
            "ALTER TABLE cs_compaction DROP COLUMN IF EXISTS floor_chain_hash",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS chain_mac",
            "ALTER TABLE cs_revision DROP COLUMN IF EXISTS chain_hash",
            "ALTER TABLE cs_document_version DROP COLUMN IF EXISTS secret_patterns",
            "DROP VIEW IF EXISTS document_schemas",
            "ALTER TABLE cs_document_version DROP COLUMN IF EXISTS schema_sha256",
            "DROP TABLE IF EXISTS cs_schema",
            "DELETE FROM \"configstore_schema_history\" WHERE \"version\" = '5'")).toList();

    @RegisterExtension
    final StoreExtension extension;

    PreviousSchemaUpgradeTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    @Test
    void aVersionFourStore_migrates_readsEveryRevisionTheSame_verifiesClean_andRestores() throws Exception {
        ConfigStore store = extension.store();
        store.profiles().create(ProfileDefinition.named("base").describedAs("all tables").taggedWith(List.of("lab")));
        store.batch().set("base", "camera.fps", 30).set("base", "camera.modes", StoreAssertions.json("[1,2]")).commit();
        store.profiles().create(ProfileDefinition.named("table-3").extending("base"));
        for (int i = 0; i < 6; i++) {
            store.put("table-3", "camera.id", i);
            store.put("counter", i);
        }
        store.backups().create("before-scratch", 2, "known good");
        store.put("scratch", "x", true);
        store.delete("scratch");
        store.backups().create("table-3", "t3", 1, "");
        long floor = store.history().compactKeepingNewest(8).floorRevision();
        store.put("table-3", "camera.id", 33);
        store.locks().acquire("deploy", Duration.ofHours(1));
        Map<String, Optional<JsonNode>> before = everyRevision(store, floor);
        var restorePoints = store.backups().list();
        var revisions = store.history().revisions(1000);
        long head = store.revision();

        store.close();
        try (Connection connection = extension.backend().adminConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : BACK_TO_VERSION_4) {
                statement.execute(sql);
            }
        }

        // a command that only reads (readOnly) may be the first to open it: that open migrates and
        // fills in the hash chain as any other, then refuses writes
        ConfigStore reader = extension.reopen(ConfigStoreBuilder::readOnly);
        assertThat(reader.revision()).isEqualTo(head);
        assertThat(everyRevision(reader, floor)).isEqualTo(before);
        assertThat(reader.health().chainHash(head)).isPresent();
        assertThatThrownBy(() -> reader.put("n", 1)).isInstanceOf(IllegalStateException.class);

        ConfigStore upgraded = extension.reopen();
        assertThat(upgraded.revision()).isEqualTo(head);
        assertThat(everyRevision(upgraded, floor)).isEqualTo(before);
        assertThat(upgraded.backups().list()).isEqualTo(restorePoints);
        assertThat(upgraded.history().revisions(1000)).isEqualTo(revisions);
        assertThat(upgraded.health().verify().isClean()).isTrue();
        assertThat(upgraded.locks().status("deploy")).isPresent();
        // the hash chain did not exist in version 4: the first open fills it in, from the floor up
        var chain = upgraded.health().verifyChain();
        assertThat(chain.isIntact()).as(chain.problem()).isTrue();
        assertThat(chain.floorRevision()).isEqualTo(floor);
        assertThat(chain.revisionsChecked()).isEqualTo(head - floor);

        upgraded.backups().restore("before-scratch");
        assertThat(upgraded.document("table-3").orElseThrow().tree().at("/camera/id").asInt()).isEqualTo(5);
        upgraded.schemas().set("table-3", StoreAssertions.json("{\"required\":[\"camera\"]}"), false);
        assertThat(upgraded.health().verify().isClean()).isTrue();
    }

    /**
     * H2 commits each DDL statement by itself, so a process killed during the migration leaves a
     * prefix of it applied and no Flyway row. For every such prefix, the next open finishes the
     * migration and the store reads as before.
     */
    @Test
    void aMigrationInterruptedAfterAnyStatement_finishesAtTheNextOpen() throws Exception {
        ConfigStore store = extension.store();
        store.put("n", -1);
        store.profiles().create(ProfileDefinition.named("lab").extending("current"));
        for (int i = 0; i < 5; i++) {
            store.batch().set("current", "n", i).set("lab", "m", i).commit();
        }
        long floor = store.history().compactKeepingNewest(3).floorRevision();
        Map<String, Optional<JsonNode>> before = everyRevision(store, floor);
        List<String> statements = migrationStatements("V5__schemas_and_chain.sql");
        assertThat(statements).hasSizeGreaterThan(5);
        for (int applied = 0; applied < statements.size(); applied++) {
            extension.store().close();
            try (Connection connection = extension.backend().adminConnection();
                 Statement statement = connection.createStatement()) {
                for (String sql : BACK_TO_VERSION_4) {
                    statement.execute(sql);
                }
                for (String sql : statements.subList(0, applied)) { // what ran before the kill
                    statement.execute(sql);
                }
            }
            ConfigStore reopened = extension.reopen();
            assertThat(everyRevision(reopened, floor)).as("after %d statements", applied).isEqualTo(before);
            assertThat(reopened.health().verify().isClean()).isTrue();
            assertThat(reopened.health().verifyChain().isIntact()).as("after %d statements", applied).isTrue();
        }
    }

    /** The statements of a migration as the build packages it, comments left out. */
    static List<String> migrationStatements(String file) throws Exception {
        try (var in = PreviousSchemaUpgradeTest.class.getResourceAsStream("/dev/configstore/db/migration/" + file)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String code = text.lines().filter(line -> !line.startsWith("--")).collect(
                    java.util.stream.Collectors.joining("\n"));
            return java.util.Arrays.stream(code.split(";")).map(String::strip).filter(sql -> !sql.isEmpty()).toList();
        }
    }

    /** Every document's resolved tree at every revision above the floor. */
    private static Map<String, Optional<JsonNode>> everyRevision(ConfigStore store, long floor) {
        Map<String, Optional<JsonNode>> trees = new LinkedHashMap<>();
        for (long revision = floor; revision <= store.revision(); revision++) {
            for (String document : List.of("current", "base", "table-3", "scratch", "lab")) {
                trees.put(document + "@" + revision, store.document(document, revision).map(Document::tree));
            }
        }
        return trees;
    }
}
