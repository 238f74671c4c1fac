package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.history.QueryResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Read-only SQL stays read-only against an attacker who controls the query text: one statement,
 * a query, no locks, no files, no writes, a timeout, and a connection of its own. After every
 * attempt the store is exactly as it was and keeps working.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class SqlSecurityContractTest {

    @RegisterExtension
    final StoreExtension extension;

    SqlSecurityContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    @TempDir
    Path temp;

    StoreExtension extension() {
        return extension;
    }

    ConfigStore store() {
        return extension().store();
    }

    boolean postgres() {
        return extension().backend() instanceof Backend.Postgres;
    }

    long head;

    @BeforeEach
    void someHistory() {
        store().put("a", 1);
        head = store().put("b", "two").revision();
    }

    /** The rows behind key 'a', read with the store's own admin connection. */
    private String storedRows() throws Exception {
        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT value_json FROM cs_entry ORDER BY key_path, valid_from")) {
            StringBuilder all = new StringBuilder();
            while (rows.next()) {
                all.append(rows.getString(1)).append(';');
            }
            return all.toString();
        }
    }

    private void assertUnchangedAndWorking(String before) throws Exception {
        assertThat(storedRows()).isEqualTo(before);
        assertThat(store().revision()).isEqualTo(head);
        assertThat(store().history().query("SELECT COUNT(*) AS n FROM revisions", 10).rows())
                .containsExactly(List.of("2"));
        assertThat(store().put("after", true).changed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1; ALTER USER configstore_reader SET PASSWORD 'owned'",
            "COMMIT; UPDATE cs_entry SET value_json = '666' WHERE key_path = 'a'; SELECT 1",
            "SELECT 1; UPDATE cs_entry SET value_json = '666'",
            "SELECT 1;; SELECT 2",
            "COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SELECT '",
            "UPDATE cs_entry SET value_json = '666'",
            "DELETE FROM cs_lease",
            "CREATE TABLE pwn (x INT)",
            "SET QUERY_TIMEOUT 0",
            "CALL CSVWRITE('pwn.csv', 'SELECT 1')",
            "COPY (SELECT 1) TO PROGRAM 'id > pwned.txt'",
            "EXPLAIN ANALYZE DELETE FROM cs_lease",
            "EXPLAIN (ANALYZE) DELETE FROM cs_lease",
            "SELECT * FROM cs_entry FOR UPDATE",
            "SELECT * FROM cs_entry for share",
            "SELECT * FROM cs_entry FOR NO KEY UPDATE",
            "SELECT * INTO pwn FROM cs_entry",
            "SELECT $1"})
    void refusedBeforeItRuns_andNothingChanges(String query) throws Exception {
        String before = storedRows();

        assertThatThrownBy(() -> store().history().query(query, 10)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("refused before it ran")
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);

        assertUnchangedAndWorking(before);
    }

    /** Texts that hide a second statement from a lexer that reads strings or comments differently. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT $$ $$; UPDATE cs_entry SET value_json = '666'; SELECT $$ $$",
            "SELECT $$'$$; UPDATE cs_entry SET value_json = '666'; SELECT '$$",
            "SELECT 1 /* /* */ ' */ ; UPDATE cs_entry SET value_json = '666'; --'",
            "SELECT 1 -- comment\r; UPDATE cs_entry SET value_json = '666'",
            "SELECT E'\\''; UPDATE cs_entry SET value_json = '666'; --'",
            "SELECT 1E'\\''; UPDATE cs_entry SET value_json = '666'; --'",
            "SELECT $a$ $a$; UPDATE cs_entry SET value_json = '666'",
            "SELECT \"x\"\"; UPDATE cs_entry SET value_json = '666'; --\" FROM (SELECT 1) t",
            "SELECT `x; UPDATE cs_entry SET value_json = '666'; --` FROM (SELECT 1) t",
            "SELECT 1 // ; UPDATE cs_entry SET value_json = '666'",
            "SELECT U&'\\'; UPDATE cs_entry SET value_json = '666'; --'"})
    void smuggledSecondStatements_neverRun(String query) throws Exception {
        String before = storedRows();

        try {
            store().history().query(query, 10); // the engine read the rest as a comment or a string
        } catch (ConfigStoreException refusedOrFailed) {
            assertThat(refusedOrFailed.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        }

        assertUnchangedAndWorking(before);
    }

    @Test
    void functionsAndTablesThatReachFilesOrSecrets_failAsTheReader_andNothingChanges() throws Exception {
        String before = storedRows();
        Path marker = temp.resolve("pwned.txt");
        List<String> queries = postgres()
                ? List.of("SELECT pg_read_file('/etc/hostname')", "SELECT lo_import('/etc/hostname')",
                "SELECT * FROM pg_shadow", "SELECT * FROM pg_authid", "SELECT * FROM cs_setting",
                "WITH gone AS (DELETE FROM cs_lease RETURNING *) SELECT * FROM gone",
                "SELECT set_config('role', 'postgres', false)",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
                "SELECT * FROM pg_ls_dir('.')")
                : List.of("SELECT FILE_READ('/etc/hostname')", "SELECT FILE_WRITE('x', '" + marker + "')",
                "SELECT * FROM CSVREAD('/etc/hostname')", "SELECT CANCEL_SESSION(1)",
                "SELECT * FROM FINAL TABLE (UPDATE cs_entry SET value_json = '666')",
                "SELECT * FROM OLD TABLE (DELETE FROM cs_lease)",
                "SELECT MEMORY_USED()");
        for (String query : queries) {
            assertThatThrownBy(() -> store().history().query(query, 10)).as(query)
                    .isInstanceOf(ConfigStoreException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("refused before it ran"));
        }

        assertThat(marker).doesNotExist();
        assertUnchangedAndWorking(before);
    }

    @Test
    void aSlowQuery_isCancelledAtItsTimeout() throws Exception {
        String slow = postgres() ? "SELECT pg_sleep(30)"
                : "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000) x, SYSTEM_RANGE(1, 100000) y";
        long started = System.nanoTime();

        assertThatThrownBy(() -> store().history().query(slow, 10, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigStoreException.class).hasMessageContaining("timeout");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(store().put("after", true).changed()).isTrue();
    }

    @Test
    void deepOrLongQueries_failWithOneClearError() {
        String deep = "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000);
        assertThatThrownBy(() -> store().history().query(deep, 10)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("parentheses nest deeper");
        String tooLong = "SELECT 1" + " ".repeat(ReadOnlyQueryLimits.MAX_LENGTH);
        assertThatThrownBy(() -> store().history().query(tooLong, 10)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("characters long");

        String longSum = "SELECT 1" + "+1".repeat(10_000); // 20 KB: a parser may recurse on each operator
        try {
            assertThat(store().history().query(longSum, 10).rows()).containsExactly(List.of("10001"));
        } catch (ConfigStoreException tooDeep) {
            assertThat(tooDeep.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(tooDeep.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void rowLimits_outOfRange_areRefusedAsUsage() {
        assertThatThrownBy(() -> store().history().query("SELECT 1", Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRows must be");
        assertThatThrownBy(() -> store().history().query("SELECT 1", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReaderThatCannotLogIn_isRepaired_byTheNextQueryAndReportedByHealth() throws Exception {
        store().history().query("SELECT 1", 1); // the reader exists from here on
        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement()) {
            if (postgres()) {
                String role;
                try (ResultSet row = statement.executeQuery("SELECT setting_value FROM cs_setting WHERE setting_name = 'sql.reader.role'")) {
                    row.next();
                    role = row.getString(1);
                }
                statement.execute("ALTER ROLE " + role + " PASSWORD 'owned'");
            } else {
                statement.execute("ALTER USER configstore_reader SET PASSWORD 'owned'");
            }
        }
        if (postgres()) {
            // the local server may trust every login; then no password is ever wrong
            HealthFinding finding = store().health().check().findings().stream()
                    .filter(f -> f.check().equals("sql-reader")).findFirst().orElseThrow();
            assertThat(finding.level()).isIn(HealthLevel.OK, HealthLevel.WARN);
        } else {
            HealthFinding finding = store().health().check().findings().stream()
                    .filter(f -> f.check().equals("sql-reader")).findFirst().orElseThrow();
            assertThat(finding.level()).isEqualTo(HealthLevel.WARN);
            assertThat(finding.message()).contains("could not log in");
        }

        assertThat(store().history().query("SELECT COUNT(*) FROM revisions", 1).rows()).containsExactly(List.of("2"));
        HealthFinding after = store().health().check().findings().stream()
                .filter(f -> f.check().equals("sql-reader")).findFirst().orElseThrow();
        assertThat(after.level()).isEqualTo(HealthLevel.OK);
        assertThat(store().find("a").map(JsonNode::asInt)).contains(1);
    }

    @Test
    void ordinaryQueries_withCommentsStringsAndATrailingSemicolon_run() {
        QueryResult result = store().history().query("-- the newest first\n"
                + "SELECT key_path, new_value /* the JSON */ FROM config_changes WHERE key_path <> 'it''s; not'"
                + " ORDER BY revision DESC;  -- done", 10);

        assertThat(result.rows()).containsExactly(List.of("b", "\"two\""), List.of("a", "1"));
    }

    /** The limit the lexer enforces, as the tests see it. */
    static final class ReadOnlyQueryLimits {
        static final int MAX_LENGTH = 100_000;
    }
}
