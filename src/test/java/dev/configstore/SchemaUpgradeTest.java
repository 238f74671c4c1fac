package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.configstore.profile.ProfileDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written by the version-1 schema opens, migrates to the newest and keeps its data. */
class SchemaUpgradeTest {

    @TempDir
    Path temp;

    @Test
    void versionOneStore_migratesOnOpen_keepsItsHistory_andGainsProfilesAndRestorePoints() throws Exception {
        String url = "jdbc:h2:file:" + temp.resolve("old") + ";WRITE_DELAY=0";
        Flyway.configure().dataSource(url, "owner", "secret")
                .locations("classpath:dev/configstore/db/migration").table("configstore_schema_history")
                .target("1").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "owner", "secret");
             Statement statement = connection.createStatement()) {
            // what version 1 of configstore wrote for "set a 1" then "set a 2"
            statement.execute("INSERT INTO cs_revision VALUES (1, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00Z',"
                    + " 'old', NULL, 'set'), (2, TIMESTAMP WITH TIME ZONE '2026-01-02 00:00:00Z', 'old', NULL, 'set')");
            statement.execute("INSERT INTO cs_entry VALUES ('current', 'a', 1, 2, '1'),"
                    + " ('current', 'a', 2, 9223372036854775807, '2')");
            statement.execute("INSERT INTO cs_document_version VALUES"
                    + " ('current', 1, FALSE, 1, '" + checksum("a", "1") + "'),"
                    + " ('current', 2, FALSE, 1, '" + checksum("a", "2") + "')");
        }

        try (ConfigStore store = ConfigStore.builder().url(url).credentials("owner", "secret").open()) {
            assertThat(store.revision()).isEqualTo(2);
            assertThat(store.find("a")).contains(IntNode.valueOf(2));
            assertThat(store.findAt("current", "a", 1)).contains(IntNode.valueOf(1));
            assertThat(store.health().verify().isClean()).isTrue();

            store.profiles().create(ProfileDefinition.named("dev").extending("current"));
            assertThat(store.find("dev", "a")).contains(IntNode.valueOf(2));
            store.backups().create("upgraded", 0, "");
            assertThat(store.backups().list()).hasSize(1);
        }
    }

    /** The checksum the store keeps for a one-leaf document, computed the same way. */
    private static String checksum(String path, String json) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest((path + "\u0000" + json).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
    }
}
