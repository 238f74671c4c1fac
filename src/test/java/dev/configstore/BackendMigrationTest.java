package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.profile.ProfileDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration path between backends: H2 -> archive -> PostgreSQL -> archive -> H2, with the
 * full history, loses nothing. Skipped with the reason when no PostgreSQL is reachable.
 */
class BackendMigrationTest {

    @TempDir
    Path temp;

    private final Backend.Postgres postgres = new Backend.Postgres();

    @AfterEach
    void dropSchema() {
        postgres.cleanUp();
    }

    private static byte[] export(ConfigStore store, ArchiveKind kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.formats().exportArchive(kind, out, ArchiveContent.FULL_HISTORY);
        return out.toByteArray();
    }

    @Test
    void h2ToPostgresToH2_withHistory_losesNothing() {
        ConfigStoreBuilder pgBuilder = postgres.newStore(temp); // skips here without PostgreSQL
        JsonNode unicode = StoreAssertions.json("{\"name\":\"Grüße ☃\",\"big\":123456789012345678901234567890,"
                + "\"precise\":0.1000000000000000055511151231257827,\"nothing\":null,\"list\":[1,{\"a\":[]}]}");
        try (ConfigStore h2 = ConfigStore.builder().path(temp.resolve("h2-a")).actor("origin").open()) {
            h2.profiles().create(ProfileDefinition.named("base").describedAs("d").taggedWith(List.of("t")));
            h2.put("base", "values", unicode);
            h2.profiles().create(ProfileDefinition.named("table-3").extending("base"));
            for (int i = 0; i < 50; i++) {
                h2.batch().set("current", "n", i).set("table-3", "k" + (i % 5), i).message("step " + i).commit();
                if (i == 10) {
                    h2.backups().create("ten", 3, "pinned");
                }
            }
            h2.delete("table-3");
            h2.history().compactKeepingNewest(30);
            long anchored = h2.revision() - 10;
            String anchor = h2.health().chainHash(anchored).orElseThrow();
            byte[] first = export(h2, ArchiveKind.ZIP);

            try (ConfigStore pg = pgBuilder.actor("importer").open()) {
                assertThat(pg.formats().importArchive(ArchiveKind.ZIP, new ByteArrayInputStream(first), "a.zip")
                        .wholeStore()).isTrue();
                assertSameStore(h2, pg);
                // the hash chain moved with the rows: an anchor written down on H2 proves the history on PostgreSQL
                assertThat(pg.health().verifyChain(anchored, anchor).isIntact()).isTrue();
                assertThat(pg.health().chainHash(pg.revision())).isEqualTo(h2.health().chainHash(h2.revision()));
                byte[] second = export(pg, ArchiveKind.TAR_GZ);

                try (ConfigStore back = ConfigStore.builder().path(temp.resolve("h2-b")).actor("back").open()) {
                    back.formats().importArchive(ArchiveKind.TAR_GZ, new ByteArrayInputStream(second), "b.tar.gz");
                    assertSameStore(h2, back);
                    assertThat(back.health().verifyChain(anchored, anchor).isIntact()).isTrue();
                    assertThat(back.find("base", "values")).contains(unicode);
                }
            }
        }
    }

    private static void assertSameStore(ConfigStore expected, ConfigStore actual) {
        assertThat(actual.revision()).isEqualTo(expected.revision());
        assertThat(actual.list()).isEqualTo(expected.list());
        assertThat(actual.profiles().list()).isEqualTo(expected.profiles().list());
        assertThat(actual.backups().list()).isEqualTo(expected.backups().list());
        assertThat(actual.history().revisions(1000)).isEqualTo(expected.history().revisions(1000));
        for (long revision = 0; revision <= expected.revision(); revision++) {
            long r = revision;
            boolean readable;
            try {
                expected.document("current", r);
                readable = true;
            } catch (ConfigStoreException compacted) {
                readable = false;
            }
            if (readable) {
                assertThat(actual.document("current", r)).isEqualTo(expected.document("current", r));
                assertThat(actual.document("table-3", r)).isEqualTo(expected.document("table-3", r));
            }
        }
        assertThat(actual.history().ofKey("current", "n", 100)).isEqualTo(expected.history().ofKey("current", "n", 100));
        assertThat(actual.health().verify().isClean()).isTrue();
        assertThat(actual.health().verify().versionsChecked()).isEqualTo(expected.health().verify().versionsChecked());
    }
}
