package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code revision --hash}, {@code verify --chain} and {@code verify --anchor}, against an H2 file changed by SQL. */
class ChainCliTest {

    @TempDir
    Path temp;

    Cli cli() {
        return new Cli(temp.resolve("config"));
    }

    /** What an owner with the credentials file can do with any SQL client. */
    void sql(String statement) throws Exception {
        Properties credentials = new Properties();
        try (var in = Files.newBufferedReader(temp.resolve("config/credentials.properties"))) {
            credentials.load(in);
        }
        String url = "jdbc:h2:file:" + temp.resolve("config/store") + ";AUTO_SERVER=TRUE";
        try (Connection connection = DriverManager.getConnection(url, credentials.getProperty("user"),
                credentials.getProperty("password")); Statement sql = connection.createStatement()) {
            assertThat(sql.executeUpdate(statement)).isPositive();
        }
    }

    @Test
    void anAnchorPrintedByRevisionHash_provesTheHistory_untilAnOldRevisionIsChangedBySql() throws Exception {
        cli().run("set", "port", "80");
        cli().run("set", "port", "81");
        Cli.Result hash = cli().run("revision", "--hash");
        assertThat(hash.exit()).isZero();
        assertThat(hash.out()).matches("[0-9a-f]{64}\n");
        String anchor = "2:" + hash.out().strip();
        cli().run("set", "port", "82");

        Cli.Result intact = cli().run("verify", "--anchor", anchor);
        assertThat(intact.exit()).as(intact.out()).isZero();
        assertThat(intact.out()).contains("OK: hash chain intact from revision 0 to 3 (3 revisions, anchor " + anchor
                + " matches)");
        assertThat(cli().run("revision", "--format", "json").out()).contains("\"revision\" : 3").contains("\"hash\"");

        sql("UPDATE cs_entry SET value_json = '79' WHERE valid_from = 1");
        Cli.Result broken = cli().run("verify", "--chain");
        assertThat(broken.exit()).isEqualTo(6);
        assertThat(broken.out()).contains("BROKEN: hash chain at revision 1: revision 1 is not what was hashed");
        Cli.Result json = cli().run("verify", "--chain", "--format", "json");
        assertThat(json.exit()).isEqualTo(6);
        assertThat(json.out()).contains("\"first_broken_revision\" : 1");

        assertThat(cli().run("verify", "--anchor", "2:abc").exit()).isEqualTo(2);
        assertThat(cli().run("verify", "--anchor", "x:" + "0".repeat(64)).exit()).isEqualTo(2);
    }
}
