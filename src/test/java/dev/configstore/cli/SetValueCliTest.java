package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code set} stores exactly what was typed: one JSON value as JSON, numbers exactly, anything else as a string. */
class SetValueCliTest {

    @TempDir
    Path temp;

    Cli cli() {
        return new Cli(temp.resolve("config"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true love", "1 2 3", "null and void", "", " ", "  padded  ", "yes", "NO", "0777 x",
            "Infinity", "NaN", "-", "1e400 2", "tru", "nul", "{a} is not json either"})
    void textThatIsNotOneJsonValue_isStoredAsTheStringTyped(String typed) {
        if (typed.startsWith("{")) {
            return; // starts like JSON: refused, see the next test
        }
        Cli.Result set = cli().run("set", "k", typed);
        assertThat(set.exit()).as(set.err()).isZero();

        assertThat(cli().run("get", "k").out()).isEqualTo(typed + "\n");
        assertThat(cli().run("get", "k", "--json").out()).startsWith("\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} extra", "{\"a\":1", "[1, 2", "\"unterminated", "{\"a\":1,\"a\":2}",
            "[1] [2]", "{a} is not json either"})
    void textThatStartsLikeJsonButIsNotOneValue_isRefused_andNothingIsWritten(String typed) {
        cli().run("set", "k", "before");

        Cli.Result set = cli().run("set", "k", typed);

        assertThat(set.exit()).isEqualTo(5);
        assertThat(set.err()).contains("not one JSON value").contains("--string").hasLineCount(1);
        assertThat(cli().run("get", "k").out()).isEqualTo("before\n");
        assertThat(cli().run("set", "k", typed, "--string").exit()).isZero();
        assertThat(cli().run("get", "k").out()).isEqualTo(typed + "\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1e400|1E+400",
            "0.1000000000000000055511151231257827|0.1000000000000000055511151231257827",
            "123456789012345678901234567890|123456789012345678901234567890",
            "-9223372036854775809|-9223372036854775809",
            "1.50|1.50",
            "true|true",
            "null|null",
            "\"quoted\"|quoted",
            "  42  |42"})
    void oneJsonValue_isKeptExactly(String typed, String shown) {
        assertThat(cli().run("set", "k", typed).exit()).isZero();

        assertThat(cli().run("get", "k").out()).isEqualTo(shown + "\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 65, 1000, 1001, 5000})
    void tooDeepNesting_isOneLimitWithOneError(int depth) {
        Cli.Result set = cli().run("set", "k", "[".repeat(depth) + "]".repeat(depth));

        assertThat(set.exit()).isEqualTo(5);
        assertThat(set.err()).contains("nests deeper than 64 levels").hasLineCount(1);
        assertThat(cli().run("get", "k").exit()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63})
    void nestingWithinTheLimit_isStored(int depth) {
        assertThat(cli().run("set", "k", "[".repeat(depth) + "]".repeat(depth)).exit()).isZero();

        assertThat(cli().run("get", "k", "--json").out().replaceAll("\\s", ""))
                .isEqualTo("[".repeat(depth) + "]".repeat(depth));
    }
}
