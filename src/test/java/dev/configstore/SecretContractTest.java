package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ExportOptions;
import dev.configstore.format.Format;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.OperationEntry;
import dev.configstore.profile.ApplyMode;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.secret.Secrets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Secrets: encrypted at rest, masked on every read, revealed only on request; run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class SecretContractTest {

    static final String PLAIN = "hunter2-correct-horse-battery";

    @TempDir
    Path temp;

    final Backend backend;
    ConfigStore store;

    SecretContractTest(Backend.Kind kind) {
        this.backend = kind.create();
    }

    Path keyring() {
        return temp.resolve("test.keyring");
    }

    ConfigStore open() {
        if (store == null) {
            store = backend.newStore(temp).actor("tester").keyring(keyring()).open();
        }
        return store;
    }

    ConfigStore reopen(java.util.function.UnaryOperator<ConfigStoreBuilder> settings) {
        store.close();
        store = settings.apply(backend.sameStore().actor("tester")).open();
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        backend.cleanUp();
    }

    void sql(String statement) throws Exception {
        try (Connection connection = backend.adminConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(true);
            assertThat(sql.executeUpdate(statement)).as(statement).isPositive();
        }
    }

    @Test
    void aSecretIsMaskedOnEveryRead_andRevealedOnlyOnRequest_whichIsLogged() {
        open();
        store.put("db.host", "db.local");
        store.batch().setSecret("current", "db.password", PLAIN).commit();
        store.batch().setSecret("current", "db.password", PLAIN + "-2").commit();

        TextNode mask = TextNode.valueOf(Secrets.MASK);
        assertThat(store.find("db.password")).contains(mask);
        assertThat(store.document("current").orElseThrow().tree().at("/db/password")).isEqualTo(mask);
        assertThat(store.find("db")).hasValueSatisfying(db -> assertThat(db.get("password")).isEqualTo(mask));
        assertThat(store.findAt("current", "db.password", 2)).contains(mask);
        assertThat(store.history().diff(1, 3).toString()).doesNotContain(PLAIN).contains(Secrets.MASK);
        assertThat(store.history().ofKey("current", "db.password", 10).toString()).doesNotContain(PLAIN);
        assertThat(Files.exists(keyring())).isTrue();

        assertThat(store.secrets().reveal("current", "db.password")).contains(TextNode.valueOf(PLAIN + "-2"));
        assertThat(store.secrets().reveal("current", "db")).hasValueSatisfying(db ->
                assertThat(db.get("password").asText()).isEqualTo(PLAIN + "-2"));
        List<OperationEntry> operations = store.history().operations(HistoryQuery.newest(5));
        assertThat(operations).anySatisfy(operation -> {
            assertThat(operation.operation()).isEqualTo("reveal");
            assertThat(operation.actor()).isEqualTo("tester");
        });
        assertThat(store.health().verify().isClean()).isTrue();
        assertThat(store.secrets().verify()).isEmpty();
        assertThat(store.health().verifyChain().macsChecked()).isTrue();
        assertThat(store.health().verifyChain().isIntact()).isTrue();
    }

    @Test
    void thePlaintextIsNowhere_notInSql_exports_archives_orTheDatabaseFile() throws Exception {
        open();
        store.put("name", "table-1");
        store.batch().setSecret("current", "api.token", PLAIN).commit();
        store.profiles().create(ProfileDefinition.named("lab").extending("current"));
        store.put("lab", "api.other", 1);

        String sqlRows = store.history().query("SELECT * FROM current_entries", 100).toString()
                + store.history().query("SELECT * FROM config_changes", 100).toString();
        assertThat(sqlRows).doesNotContain(PLAIN).contains("v1:");
        for (Format format : Format.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.formats().exportDocument("lab", format, out, ExportOptions.head());
            assertThat(out.toString(StandardCharsets.UTF_8)).as(format.toString()).doesNotContain(PLAIN)
                    .contains("secret");
        }
        for (ArchiveContent content : ArchiveContent.values()) {
            ByteArrayOutputStream archive = new ByteArrayOutputStream();
            store.formats().exportArchive(ArchiveKind.TAR_GZ, archive, content);
            assertThat(gunzip(archive.toByteArray())).doesNotContain(PLAIN);
        }
        store.history().compactKeepingNewest(1);
        if (backend instanceof Backend.H2) {
            store.close();
            store = null;
            try (var files = Files.walk(temp)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".mv.db")).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(PLAIN);
                }
            }
        }
    }

    @Test
    void aPattern_encryptsWhatIsThereAndWhatComes_andRotationKeepsEverythingReadable() throws Exception {
        open();
        store.batch().set("current", "db.password", PLAIN).set("current", "db.host", "h")
                .set("current", "mail.smtp.password", "p2").commit();

        store.secrets().addPattern("current", "**.password");

        assertThat(store.secrets().patterns("current")).containsExactly("**.password");
        assertThat(store.find("db.password")).contains(TextNode.valueOf(Secrets.MASK));
        assertThat(store.find("mail.smtp.password")).contains(TextNode.valueOf(Secrets.MASK));
        assertThat(store.find("db.host")).contains(TextNode.valueOf("h"));
        store.put("cache.password", "p3");
        assertThat(store.find("cache.password")).contains(TextNode.valueOf(Secrets.MASK));
        assertThat(store.history().query("SELECT value_json FROM current_entries WHERE key_path = 'cache.password'",
                1).toString()).doesNotContain("p3");

        String first = activeKey();
        String second = store.secrets().addKey();
        assertThat(second).isNotEqualTo(first);
        assertThat(store.secrets().rotate().changed()).isTrue();
        assertThat(store.history().query("SELECT value_json FROM current_entries", 100).toString())
                .doesNotContain(":" + first + ":").contains(":" + second + ":");
        assertThat(store.secrets().reveal("current", "db.password")).contains(TextNode.valueOf(PLAIN));
        assertThat(store.secrets().reveal("current", "cache.password")).contains(TextNode.valueOf("p3"));
        assertThat(store.secrets().verify()).isEmpty(); // the history under the first key still decrypts
        assertThat(store.secrets().rotate().changed()).isFalse();

        // the first key still encrypts the history: it is retired only once that is compacted away
        assertThatThrownBy(() -> store.secrets().retireKey(first)).isInstanceOfSatisfying(ConfigStoreException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT)).hasMessageContaining("rotate, then compact");
        assertThatThrownBy(() -> store.secrets().retireKey(second)).hasMessageContaining("is the active key");
        store.history().compactKeepingNewest(1);
        store.secrets().retireKey(first);
        assertThat(Files.readString(keyring())).doesNotContain("key." + first);
        assertThat(store.secrets().reveal("current", "db.password")).contains(TextNode.valueOf(PLAIN));
        assertThat(store.secrets().verify()).isEmpty();
    }

    @Test
    void aCiphertextMovedToAnotherKey_doesNotAuthenticate() throws Exception {
        open();
        store.batch().setSecret("current", "a", PLAIN).setSecret("current", "b", "other").commit();
        sql("UPDATE cs_entry SET value_json = (SELECT value_json FROM cs_entry WHERE key_path = 'a')"
                + " WHERE key_path = 'b'");
        store = reopen(builder -> builder.keyring(keyring()));

        assertThatThrownBy(() -> store.secrets().reveal("current", "b"))
                .isInstanceOfSatisfying(ConfigStoreException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.STORE_DAMAGED))
                .hasMessageContaining("current:b does not authenticate");
        assertThat(store.secrets().verify()).singleElement().asString()
                .contains("document 'current' key 'b' at revision 1");
        assertThat(store.secrets().reveal("current", "a")).contains(TextNode.valueOf(PLAIN));
    }

    @Test
    void withoutItsKeyring_aStoreOpens_masks_andRefusesToReveal_andAWrongKeyWritesNothing() throws Exception {
        open();
        store.batch().setSecret("current", "token", PLAIN).commit();
        store.put("plain", 1);
        Files.move(keyring(), temp.resolve("elsewhere.keyring"));

        store = reopen(builder -> builder.keyring(temp.resolve("missing.keyring")));
        assertThat(store.find("token")).contains(TextNode.valueOf(Secrets.MASK));
        assertThat(store.find("plain")).contains(com.fasterxml.jackson.databind.node.IntNode.valueOf(1));
        assertThatThrownBy(() -> store.secrets().reveal("current", "token")).hasMessageContaining(
                "which cannot be read: the store has no keyring");
        assertThat(Files.exists(temp.resolve("missing.keyring"))).isFalse();

        // another keyring: its keys are not the ones the values were encrypted under
        Files.writeString(temp.resolve("wrong.keyring"), "active=kx\nkey.kx=" + base64(32) + "\nchain=" + base64(32)
                + "\n");
        Files.setPosixFilePermissions(temp.resolve("wrong.keyring"), PosixFilePermissions.fromString("rw-------"));
        store = reopen(builder -> builder.keyring(temp.resolve("wrong.keyring")));
        long before = store.revision();
        assertThatThrownBy(() -> store.secrets().reveal("current", "token")).hasMessageContaining(
                "which the keyring does not have");
        assertThatThrownBy(() -> store.secrets().rotate()).hasMessageContaining("which the keyring does not have");
        assertThat(store.revision()).isEqualTo(before);
        assertThat(store.secrets().verify()).hasSize(1);
    }

    @Test
    void aKeyringAnyoneElseMayRead_isRefused_withTheFix() throws Exception {
        open().batch().setSecret("current", "token", PLAIN).commit();
        store.close();
        store = null;
        Files.setPosixFilePermissions(keyring(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(temp)).isNotNull();
        assertThatThrownBy(() -> backend.sameStore().keyring(keyring()).open())
                .isInstanceOfSatisfying(ConfigStoreException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("its mode is rw-r--r--").hasMessageContaining("chmod 600 " + keyring());
    }

    @Test
    void aSecretWithoutAnyKeyring_isRefused_andNothingIsWritten() {
        // a store on a URL has no keyring unless one is given (a directory store makes one beside it)
        ConfigStoreBuilder builder = backend instanceof Backend.H2
                ? ConfigStore.builder().url("jdbc:h2:file:" + temp.resolve("by-url/store")).credentials("owner", "pw")
                : backend.newStore(temp);
        ConfigStore plain = builder.actor("tester").open();
        store = plain;
        plain.put("a", 1);
        long before = plain.revision();
        assertThatThrownBy(() -> plain.batch().setSecret("current", "token", PLAIN).commit())
                .isInstanceOfSatisfying(ConfigStoreException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("the store has no keyring, so it cannot encrypt a secret");
        assertThatThrownBy(() -> plain.secrets().addPattern("current", "token")).hasMessageContaining("no keyring");
        assertThat(plain.revision()).isEqualTo(before);
        assertThat(plain.secrets().patterns("current")).isEmpty();
    }

    @Test
    void renameAndApply_encryptASecretAgainForItsNewDocument_andTheHmacCatchesARecomputedChain() throws Exception {
        open();
        store.profiles().create(ProfileDefinition.named("staging"));
        store.batch().setSecret("staging", "db.password", PLAIN).commit();
        store.profiles().rename("staging", "stage");
        assertThat(store.secrets().reveal("stage", "db.password")).contains(TextNode.valueOf(PLAIN));
        store.profiles().apply("stage", ApplyMode.MERGE);
        assertThat(store.secrets().reveal("current", "db.password")).contains(TextNode.valueOf(PLAIN));
        assertThat(store.secrets().verify()).isEmpty();

        // someone with SQL but without the keyring changes an old revision and recomputes every hash after it
        sql("UPDATE cs_revision SET actor = 'mallory' WHERE revision = 2");
        sql("UPDATE cs_revision SET chain_hash = NULL WHERE revision >= 2");
        store = reopen(builder -> builder.keyring(temp.resolve("none.keyring"))); // fills the hashes in again
        assertThat(store.health().verifyChain().isIntact()).isTrue();
        store = reopen(builder -> builder.keyring(keyring()));
        var chain = store.health().verifyChain();
        assertThat(chain.firstBrokenRevision()).hasValue(2);
        assertThat(chain.problem()).contains("HMAC does not match");
    }

    @Test
    void aRevisionWithoutAnHmac_isNamed_untilTheHistoryIsSignedAgain() {
        open().put("a", 1);
        store.batch().setSecret("current", "token", PLAIN).commit(); // makes the keyring, which signs revision 1
        assertThat(store.health().verifyChain().isIntact()).isTrue();
        store = reopen(builder -> builder.keyring(temp.resolve("none.keyring")));
        store.put("a", 2); // written without the keyring: no HMAC
        store = reopen(builder -> builder.keyring(keyring()));

        var chain = store.health().verifyChain();
        assertThat(chain.firstBrokenRevision()).hasValue(3);
        assertThat(chain.problem()).contains("has no HMAC").contains("secret sign-history");
        assertThat(store.secrets().signHistory()).isEqualTo(1);
        assertThat(store.health().verifyChain().isIntact()).isTrue();
    }

    @Test
    void anArchive_carriesTheCiphertext_andAnotherStoreWithTheSameKeyringRevealsIt() {
        open().put("plain", 1);
        store.batch().setSecret("current", "token", PLAIN).commit();
        for (ArchiveContent content : ArchiveContent.values()) {
            JsonNode now = store.secrets().reveal("current", "token").orElseThrow();
            ByteArrayOutputStream archive = new ByteArrayOutputStream();
            store.formats().exportArchive(ArchiveKind.ZIP, archive, content);
            Backend other = backend instanceof Backend.H2 ? new Backend.H2() : new Backend.Postgres();
            try (ConfigStore copy = other.newStore(temp.resolve("copy-" + content)).keyring(keyring()).open()) {
                copy.formats().importArchive(ArchiveKind.ZIP, new ByteArrayInputStream(archive.toByteArray()), "a.zip");
                assertThat(copy.find("token")).contains(TextNode.valueOf(Secrets.MASK));
                assertThat(copy.secrets().reveal("current", "token")).contains(now);
                assertThat(copy.health().verifyChain().isIntact()).isTrue();

                // merged into a store that has revisions: the ciphertext comes along as it is
                copy.put("more", 2);
                store.batch().setSecret("current", "token", PLAIN + "-" + content).commit();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                store.formats().exportArchive(ArchiveKind.ZIP, head, ArchiveContent.HEAD);
                copy.formats().importArchive(ArchiveKind.ZIP, new ByteArrayInputStream(head.toByteArray()), "b.zip");
                assertThat(copy.secrets().reveal("current", "token")).contains(TextNode.valueOf(PLAIN + "-" + content));
                assertThat(copy.secrets().verify()).isEmpty();
            } finally {
                other.cleanUp();
            }
        }
    }

    @Test
    void anExportImportedAgain_keepsTheSecretsItShowedMasked() {
        open().put("host", "h");
        store.batch().setSecret("current", "db.password", PLAIN).commit();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.formats().exportDocument("current", Format.YAML, out, ExportOptions.head());
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertThat(yaml).contains(Secrets.MASK);

        for (boolean replace : new boolean[] {false, true}) {
            store.put("host", "changed");
            store.formats().importDocument("current", Format.YAML, new ByteArrayInputStream(
                    yaml.getBytes(StandardCharsets.UTF_8)), "again.yaml",
                    new dev.configstore.format.ImportOptions(replace, false, false));
            assertThat(store.secrets().reveal("current", "db.password")).contains(TextNode.valueOf(PLAIN));
            assertThat(store.find("host")).contains(TextNode.valueOf("h"));
        }
    }

    @Test
    void patterns_surviveADescriptionChange_andCoverKeysInsideArrays() {
        open().put("name", "n");
        store.secrets().addPattern("current", "**.password");
        store.profiles().describe("current", "the main document", List.of("prod"));
        store.put("db.password", PLAIN);
        store.put("db.replicas", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
                .add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("host", "a").put("password", PLAIN)));
        store.put("db.ports", List.of(1, 2));

        assertThat(store.find("db.password")).contains(TextNode.valueOf(Secrets.MASK));
        assertThat(store.find("db.replicas")).contains(TextNode.valueOf(Secrets.MASK)); // the array, whole
        assertThat(store.find("db.ports").orElseThrow().isArray()).isTrue(); // no objects inside: no key to match
        assertThat(store.history().query("SELECT value_json FROM current_entries", 100).toString())
                .doesNotContain(PLAIN);
        assertThat(store.secrets().reveal("current", "db.replicas").orElseThrow().get(0).get("password").asText())
                .isEqualTo(PLAIN);
    }

    @Test
    void aStoreWhoseKeyringIsMissing_doesNotGetANewOne() throws Exception {
        open().batch().setSecret("current", "token", PLAIN).commit();
        store = reopen(builder -> builder.keyring(temp.resolve("fresh.keyring")));
        long before = store.revision();
        assertThatThrownBy(() -> store.batch().setSecret("current", "other", "x").commit())
                .hasMessageContaining("signed with a keyring that is not here");
        assertThat(Files.exists(temp.resolve("fresh.keyring"))).isFalse();
        assertThat(store.revision()).isEqualTo(before);
    }

    private String activeKey() throws Exception {
        for (String line : Files.readAllLines(keyring())) {
            if (line.startsWith("active=")) {
                return line.substring(7);
            }
        }
        throw new AssertionError("no active key");
    }

    private static String base64(int bytes) {
        byte[] random = new byte[bytes];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getEncoder().encodeToString(random);
    }

    private static String gunzip(byte[] bytes) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
