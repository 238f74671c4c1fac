package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ImportException;
import dev.configstore.health.ChainVerification;
import dev.configstore.profile.ProfileDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The history's hash chain: any change to an old revision by SQL is found and named; run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class ChainContractTest {

    @RegisterExtension
    final StoreExtension extension;
    final Backend.Kind kind;

    @TempDir
    Path temp;

    ChainContractTest(Backend.Kind backend) {
        this.kind = backend;
        this.extension = new StoreExtension(backend.create());
    }

    ConfigStore store() {
        return extension.store();
    }

    /** Eight revisions: values, a profile with metadata, a removal, a schema. */
    void someHistory() {
        store().put("camera.fps", 30);                                              // 1
        store().batch().set("current", "camera.id", 1).message("first camera").commit(); // 2
        store().profiles().create(ProfileDefinition.named("lab").describedAs("lab").taggedWith(List.of("x"))); // 3
        store().put("lab", "camera.id", 7);                                         // 4
        store().put("camera.fps", 60);                                              // 5
        store().unset("current", "camera.id");                                      // 6
        store().schemas().set("lab", StoreAssertions.json("{\"type\":\"object\"}"), false); // 7
        store().put("mode", "fast");                                                // 8
    }

    void sql(String statement) throws Exception {
        try (Connection connection = extension.backend().adminConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(true);
            assertThat(sql.executeUpdate(statement)).as(statement).isPositive();
        }
    }

    @Test
    void anUntouchedHistory_isIntact_andEveryRevisionHasAHash() {
        someHistory();
        ChainVerification chain = store().health().verifyChain();
        assertThat(chain.isIntact()).as(chain.problem()).isTrue();
        assertThat(chain.revisionsChecked()).isEqualTo(8);
        assertThat(chain.headRevision()).isEqualTo(8);
        assertThat(store().health().chainHash(8)).hasValueSatisfying(hash -> assertThat(hash).matches("[0-9a-f]{64}"));
        assertThat(store().health().chainHash(7)).isNotEqualTo(store().health().chainHash(8));
    }

    @Test
    void changingAnyPartOfAnOldRevisionBySql_breaksTheChainAtThatRevision_andUndoingItHeals() throws Exception {
        someHistory();
        List<String[]> tampering = List.of(
                new String[] {"4", "UPDATE cs_entry SET value_json = '8' WHERE document = 'lab' AND valid_from = 4",
                        "UPDATE cs_entry SET value_json = '7' WHERE document = 'lab' AND valid_from = 4"},
                new String[] {"2", "UPDATE cs_revision SET actor = 'mallory' WHERE revision = 2",
                        "UPDATE cs_revision SET actor = 'tester' WHERE revision = 2"},
                new String[] {"2", "UPDATE cs_revision SET message = 'nothing to see' WHERE revision = 2",
                        "UPDATE cs_revision SET message = 'first camera' WHERE revision = 2"},
                new String[] {"5", "UPDATE cs_revision SET committed_at = committed_at + INTERVAL '1' HOUR WHERE revision = 5",
                        "UPDATE cs_revision SET committed_at = committed_at - INTERVAL '1' HOUR WHERE revision = 5"},
                new String[] {"6", "UPDATE cs_entry SET valid_to = 9223372036854775807 WHERE document = 'current'"
                        + " AND key_path = 'camera.id' AND valid_to = 6",
                        "UPDATE cs_entry SET valid_to = 6 WHERE document = 'current' AND key_path = 'camera.id'"},
                new String[] {"3", "UPDATE cs_document_version SET description = 'prod' WHERE document = 'lab'"
                        + " AND revision = 3",
                        "UPDATE cs_document_version SET description = 'lab' WHERE document = 'lab' AND revision = 3"},
                new String[] {"7", "UPDATE cs_document_version SET schema_sha256 = NULL WHERE revision = 7",
                        "UPDATE cs_document_version SET schema_sha256 = (SELECT MIN(schema_sha256) FROM cs_schema)"
                                + " WHERE revision = 7"});
        for (String[] attack : tampering) {
            sql(attack[1]);
            ChainVerification broken = store().health().verifyChain();
            assertThat(broken.firstBrokenRevision()).as(attack[1]).hasValue(Long.parseLong(attack[0]));
            assertThat(broken.problem()).contains("revision " + attack[0] + " is not what was hashed");
            sql(attack[2]);
            assertThat(store().health().verifyChain().isIntact()).as("undone: " + attack[1]).isTrue();
        }
        sql("DELETE FROM cs_revision WHERE revision = 3");
        assertThat(store().health().verifyChain().problem()).isEqualTo("revision 3 is missing from the history");
    }

    @Test
    void anAnchor_provesTheHistoryUpToIt_andSurvivesACompaction() throws Exception {
        someHistory();
        String five = store().health().chainHash(5).orElseThrow();
        for (int i = 0; i < 20; i++) {
            store().put("n", i);
        }
        assertThat(store().health().verifyChain(5, five).isIntact()).isTrue();
        assertThat(store().health().verifyChain(5, five.toUpperCase()).isIntact()).isTrue();
        ChainVerification wrong = store().health().verifyChain(5, "0".repeat(64));
        assertThat(wrong.firstBrokenRevision()).hasValue(5);
        assertThat(wrong.problem()).contains("does not have the anchored chain hash");
        assertThat(store().health().verifyChain(40, five).problem()).contains("revisions were removed");

        long floor = store().history().compactKeepingNewest(10).floorRevision();
        String atFloor = store().health().chainHash(floor).orElseThrow();
        String later = store().health().chainHash(floor + 3).orElseThrow();
        ChainVerification afterCompaction = store().health().verifyChain(floor, atFloor);
        assertThat(afterCompaction.isIntact()).as(afterCompaction.problem()).isTrue();
        assertThat(afterCompaction.floorRevision()).isEqualTo(floor);
        assertThat(store().health().verifyChain(floor + 3, later).isIntact()).isTrue();
        assertThatThrownBy(() -> store().health().verifyChain(5, five)).isInstanceOf(HistoryCompactedException.class);

        store().put("after", true);
        assertThat(store().health().verifyChain(floor + 3, later).isIntact()).isTrue();
        sql("UPDATE cs_compaction SET floor_chain_hash = '" + "1".repeat(64) + "'");
        assertThat(store().health().verifyChain().firstBrokenRevision()).hasValue(floor);
    }

    @Test
    void anArchive_carriesTheChain_andAnImportChecksIt() throws Exception {
        someHistory();
        String head = store().health().chainHash(8).orElseThrow();
        for (ArchiveContent content : new ArchiveContent[] {ArchiveContent.FULL_HISTORY, ArchiveContent.HEAD}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store().formats().exportArchive(ArchiveKind.ZIP, out, content);
            Backend other = kind.create();
            try (ConfigStore copy = other.newStore(temp.resolve("copy-" + content)).open()) {
                copy.formats().importArchive(ArchiveKind.ZIP, new ByteArrayInputStream(out.toByteArray()), "s.zip");
                assertThat(copy.health().chainHash(8)).contains(head);
                assertThat(copy.health().verifyChain(8, head).isIntact()).isTrue();
                copy.put("more", 1);
                assertThat(copy.health().verifyChain(8, head).isIntact()).isTrue();
            } finally {
                other.cleanUp();
            }
        }

        // the same archive with one old revision's actor changed, and its checksums made to match again
        sql("UPDATE cs_revision SET actor = 'mallory' WHERE revision = 2");
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        store().formats().exportArchive(ArchiveKind.ZIP, forged, ArchiveContent.FULL_HISTORY);
        Backend other = kind.create();
        try (ConfigStore copy = other.newStore(temp.resolve("forged")).open()) {
            assertThatThrownBy(() -> copy.formats().importArchive(ArchiveKind.ZIP,
                    new ByteArrayInputStream(forged.toByteArray()), "forged.zip"))
                    .isInstanceOf(ImportException.class)
                    .hasMessageContaining("does not match its hash chain: revision 2 is not what was hashed");
            assertThat(copy.revision()).isZero();
        } finally {
            other.cleanUp();
        }
    }
}
