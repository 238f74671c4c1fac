package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store directory whose files were damaged, lost or replaced: every open refuses with exit 6
 * and one line naming the file, and leaves every file exactly as it was. Never an empty or an
 * older store in place of the one that was there.
 */
class DamagedStoreCliTest {

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    static Path original;

    Path good;

    @BeforeAll
    static void makeStoreWithHistory() {
        original = shared.resolve("good");
        Cli cli = new Cli(original);
        assertThat(cli.run("init").exit()).isZero();
        for (int i = 1; i <= 30; i++) {
            assertThat(cli.run("set", "key" + i, "value " + i).exit()).isZero();
        }
    }

    @BeforeEach
    void copyTheStore() throws IOException {
        good = copyOf(original, "good");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 4096, 8000, 12_000})
    void truncatedFile_isRefused_andLeftByteForByte(int length) throws Exception {
        Path copy = copyOf(good, "truncated");
        truncate(copy.resolve("store.mv.db"), length);
        String before = fingerprint(copy);

        Cli.Result revision = new Cli(copy).run("revision");

        assertThat(revision.exit()).as(revision.err()).isEqualTo(6);
        assertThat(revision.out()).isEmpty();
        assertThat(revision.err()).contains(copy.resolve("store.mv.db").toString()).contains("damaged")
                .contains("Restore").doesNotContain("\n\t").hasLineCount(1);
        assertThat(fingerprint(copy)).isEqualTo(before);
        Cli.Result health = new Cli(copy).run("health");
        assertThat(health.exit()).isEqualTo(6);
        assertThat(health.out()).contains("CRITICAL").contains("damaged");
        assertThat(fingerprint(copy)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 25, 40, 55, 70, 85, 95})
    void fileCutAnywhere_givesTheRightDataOrIsRefused(int percent) throws Exception {
        // H2 alone falls back to an older chunk, or to an empty database, when the newest is cut
        Path copy = copyOf(good, "cut");
        Path file = copy.resolve("store.mv.db");
        truncate(file, Files.size(file) * percent / 100);
        String before = fingerprint(copy);

        Cli.Result result = new Cli(copy).run("get", "key30");

        if (result.exit() == 0) {
            assertThat(result.out()).isEqualTo("value 30\n"); // the right data, or nothing
        } else {
            assertThat(result.exit()).as(result.err()).isEqualTo(6);
            assertThat(fingerprint(copy)).isEqualTo(before);
        }
    }

    @Test
    void olderCopyOfTheFile_isRefused_withHowToAcceptItOnPurpose() throws Exception {
        Path older = copyOf(good, "older-copy");
        Cli cli = new Cli(good);
        assertThat(cli.run("set", "key31", "later").exit()).isZero();
        Files.copy(older.resolve("store.mv.db"), good.resolve("store.mv.db"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String before = fingerprint(good);

        Cli.Result result = cli.run("revision");

        assertThat(result.exit()).isEqualTo(6);
        assertThat(result.err()).contains("holds revision 30").contains("reached revision 31")
                .contains("configstore.properties");
        assertThat(fingerprint(good)).isEqualTo(before);
    }

    @Test
    void deletedDatabaseFile_isRefused_andNoEmptyStoreIsCreated() throws Exception {
        Files.delete(good.resolve("store.mv.db"));
        String before = fingerprint(good);

        Cli.Result result = new Cli(good).run("set", "a", "1");

        assertThat(result.exit()).isEqualTo(6);
        assertThat(result.err()).contains("store.mv.db is missing");
        assertThat(good.resolve("store.mv.db")).doesNotExist();
        assertThat(fingerprint(good)).isEqualTo(before);
    }

    @Test
    void deletedCredentials_areNotRegenerated() throws Exception {
        Files.delete(good.resolve("credentials.properties"));
        String before = fingerprint(good);

        Cli.Result result = new Cli(good).run("revision");

        assertThat(result.exit()).isEqualTo(6);
        assertThat(result.err()).contains("credentials.properties is missing").contains("Restore");
        assertThat(good.resolve("credentials.properties")).doesNotExist();
        assertThat(fingerprint(good)).isEqualTo(before);
    }

    @Test
    void wrongPassword_failsAtOnce_namingTheCredentials() throws Exception {
        Path credentials = good.resolve("credentials.properties");
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(credentials)) {
            properties.load(in);
        }
        properties.setProperty("password", "regenerated-by-mistake");
        try (var out = Files.newBufferedWriter(credentials)) {
            properties.store(out, null);
        }
        String before = fingerprint(good);
        long started = System.nanoTime();

        Cli.Result result = new Cli(good).run("revision");

        assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds").isLessThan(10_000);
        assertThat(result.exit()).isEqualTo(6);
        assertThat(result.err()).contains("wrong user or password").contains("credentials.properties");
        assertThat(fingerprint(good)).isEqualTo(before);
    }

    @Test
    void databaseFileThatIsADirectory_isRefusedAtOnce() throws Exception {
        Path copy = temp.resolve("directory-file");
        Files.createDirectories(copy.resolve("store.mv.db"));
        Files.copy(good.resolve("credentials.properties"), copy.resolve("credentials.properties"));

        Cli.Result result = new Cli(copy).run("revision");

        assertThat(result.exit()).isEqualTo(6);
        assertThat(result.err()).contains("store.mv.db is not a regular file");
    }

    @Test
    void rowChangedBehindTheStoresBack_documentIsNotServed_othersAre_andARestoreRepairsIt() throws Exception {
        Cli cli = new Cli(good);
        assertThat(cli.run("set", "camera.id", "3", "--profile", "table-3").exit()).isZero();
        assertThat(cli.run("backup", "create", "known-good", "--profile", "table-3").exit()).isZero();
        assertThat(cli.run("set", "camera.id", "7", "--profile", "table-3").exit()).isZero();
        Properties credentials = new Properties();
        try (var in = Files.newBufferedReader(good.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:file:" + good.resolve("store"),
                credentials.getProperty("user"), credentials.getProperty("password"));
             var statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE cs_entry SET value_json = '4' WHERE document = 'table-3'"
                    + " AND valid_to = " + Long.MAX_VALUE);
        }

        Cli.Result damaged = cli.run("get", "camera.id", "--profile", "table-3");
        assertThat(damaged.exit()).isEqualTo(6);
        assertThat(damaged.err()).contains("document 'table-3' does not match its checksum").hasLineCount(1);
        assertThat(cli.run("set", "camera.id", "5", "--profile", "table-3").exit()).isEqualTo(6);
        assertThat(cli.run("get", "key30").out()).isEqualTo("value 30\n");
        assertThat(cli.run("health").exit()).isEqualTo(6);

        assertThat(cli.run("backup", "restore", "known-good").exit()).isZero();

        assertThat(cli.run("get", "camera.id", "--profile", "table-3").out()).isEqualTo("3\n");
        assertThat(cli.run("set", "camera.id", "5", "--profile", "table-3").exit()).isZero();
        Cli.Result verify = cli.run("verify");
        assertThat(verify.out()).contains("MISMATCH document table-3"); // the history keeps what happened
    }

    @Test
    void storeMadeBeforeMarkers_opens_andIsWatchedFromThen() throws Exception {
        Path legacy = copyOf(good, "legacy");
        Files.delete(legacy.resolve("configstore.properties"));

        assertThat(new Cli(legacy).run("revision").out()).isEqualTo("30\n");

        assertThat(Files.readString(legacy.resolve("configstore.properties"))).contains("state=created")
                .contains("revision=30");
    }

    @Test
    void newDirectory_getsAStore_andItsMarker() {
        Path fresh = temp.resolve("fresh");

        assertThat(new Cli(fresh).run("revision").out()).isEqualTo("0\n");

        assertThat(fresh.resolve("configstore.properties")).exists();
        assertThat(fresh.resolve("store.mv.db")).exists();
    }

    private Path copyOf(Path source, String name) throws IOException {
        Path target = temp.resolve(name);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /** The names and SHA-256 of every file in the directory. */
    private static String fingerprint(Path directory) throws Exception {
        StringBuilder out = new StringBuilder();
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.sorted().toList();
        }
        for (Path file : files) {
            out.append(file.getFileName()).append(' ');
            if (Files.isRegularFile(file)) {
                out.append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
