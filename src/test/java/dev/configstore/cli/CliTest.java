package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in process with its output captured. */
class CliTest {

    @TempDir
    Path temp;

    Cli.Result run(String... args) {
        return new Cli(temp.resolve("config")).run(args);
    }

    @Test
    void setGetUnset_roundTrip_withExitCodes() {
        assertThat(run("init").exit()).isZero();
        assertThat(run("set", "api.port", "8080").out()).contains("revision 1");
        assertThat(run("set", "api.name", "trainer").exit()).isZero();
        assertThat(run("set", "api.flag", "true", "--string").exit()).isZero();
        assertThat(run("set", "api.nothing", "null").exit()).isZero();

        assertThat(run("get", "api.port").out()).isEqualTo("8080\n");
        assertThat(run("get", "api.name").out()).isEqualTo("trainer\n");
        assertThat(run("get", "api.name", "--json").out()).isEqualTo("\"trainer\"\n");
        assertThat(run("get", "api.flag", "--json").out()).isEqualTo("\"true\"\n");
        assertThat(run("get", "api.nothing").out()).isEqualTo("null\n");
        assertThat(run("get", "api.port", "--revision", "1").out()).isEqualTo("8080\n");
        assertThat(run("revision").out()).isEqualTo("4\n");

        assertThat(run("unset", "api.name").exit()).isZero();
        Cli.Result missing = run("unset", "api.name");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).isEqualTo("configstore: key 'api.name' is not in document 'current'\n");
        assertThat(run("get", "api.name").exit()).isEqualTo(3);
    }

    @Test
    void show_diff_history() {
        run("set", "a", "1");
        run("set", "b", "{\"c\":[1,2]}", "-m", "second");
        run("set", "a", "2");

        assertThat(run("show").out()).contains("\"a\" : 2").contains("\"c\" : [ 1, 2 ]");
        assertThat(run("diff", "1").out()).isEqualTo("~ current:a: 1 -> 2\n+ current:b.c = [1,2]\n");
        assertThat(run("history").out()).contains("second").contains("revision");
        Cli.Result json = run("history", "--key", "a", "--format", "json");
        assertThat(json.out()).contains("\"change\" : \"CHANGED\"").contains("\"new_value\" : 2");
    }

    @Test
    void staleExpectedRevision_exits4_andChangesNothing() {
        run("set", "a", "1");
        run("set", "a", "2");

        Cli.Result stale = run("set", "a", "3", "--expect-revision", "1");

        assertThat(stale.exit()).isEqualTo(4);
        assertThat(stale.err()).contains("changed at revision 2").doesNotContain("\tat ");
        assertThat(run("get", "a").out()).isEqualTo("2\n");
    }

    @Test
    void unknownRevision_exits3() {
        run("set", "a", "1");

        Cli.Result result = run("get", "a", "--revision", "99");

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.err()).contains("revision 99 does not exist");
    }

    @Test
    void badKey_exits5_withOneLine() {
        Cli.Result result = run("set", "a..b", "1");

        assertThat(result.exit()).isEqualTo(5);
        assertThat(result.err()).isEqualTo("configstore: invalid key 'a..b': empty segment at position 2\n");
        assertThat(run("revision").out()).isEqualTo("0\n");
    }

    @Test
    void sql_readsViews_andRefusesWritesAndFileFunctions() throws Exception {
        run("set", "a", "1");
        Cli.Result read = run("sql", "SELECT key_path, new_value FROM config_changes", "--format", "csv");
        assertThat(read.exit()).isZero();
        assertThat(read.out()).isEqualTo("key_path,new_value\r\na,1\r\n");

        Path written = temp.resolve("stolen.csv");
        for (String query : new String[] {
                "DELETE FROM cs_entry",
                "UPDATE cs_entry SET value_json = '5'",
                "SELECT FILE_WRITE('x', '" + written + "')",
                "CALL CSVWRITE('" + written + "', 'SELECT * FROM cs_entry')",
                "CREATE TABLE evil (id INT)"}) {
            Cli.Result refused = run("sql", query);
            assertThat(refused.exit()).as(query).isEqualTo(5);
            assertThat(refused.err()).as(query).matches("configstore: the query (was refused before it ran|failed and"
                    + " changed nothing): .*\n");
        }
        assertThat(written).doesNotExist();
        assertThat(run("get", "a").out()).isEqualTo("1\n");
        assertThat(run("verify").exit()).isZero();
    }

    @Test
    void unwritableStoreDirectory_exits1_namingThePath() throws Exception {
        Path file = Files.writeString(temp.resolve("plain-file"), "x");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new String[] {"--store", file.resolve("config").toString(), "init"}, new PrintWriter(out),
                new PrintWriter(err), Map.of());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("configstore: store directory " + file.resolve("config"))
                .hasLineCount(1);
    }

    @Test
    void configstoreUrlEnvironment_selectsTheStore() {
        StringWriter out = new StringWriter();
        String url = "jdbc:h2:mem:cli-env-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";

        int exit = Main.run(new String[] {"set", "a", "1"}, new PrintWriter(out), new PrintWriter(new StringWriter()),
                Map.of("CONFIGSTORE_URL", url));

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("revision 1");
    }

    @Test
    void usageError_exits2() {
        assertThat(run("get").exit()).isEqualTo(2);
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void demo_runsOnAThrowawayStore() {
        StringWriter out = new StringWriter();

        int exit = Main.run(new String[] {"demo"}, new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("conflict: document 'current' was changed").contains("CHANGED")
                .contains("every checksum matches");
    }
}
