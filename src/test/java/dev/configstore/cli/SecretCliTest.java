package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code set --secret}, {@code get --reveal}, {@code secret add/list/rotate}, {@code verify --secrets}. */
class SecretCliTest {

    static final String PLAIN = "s3cr3t-value-for-the-cli";

    @TempDir
    Path temp;

    Cli cli() {
        return new Cli(temp.resolve("config"));
    }

    @Test
    void aSecretIsMaskedInEveryOutput_andRevealedOnRequest() throws Exception {
        assertThat(cli().run("set", "db.password", PLAIN, "--secret").exit()).isZero();
        Path keyring = temp.resolve("config.keyring");
        assertThat(keyring).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring))).isEqualTo("rw-------");

        assertThat(cli().run("get", "db.password").out()).isEqualTo("<secret>\n");
        for (String[] command : new String[][] {{"show"}, {"show", "--format", "yaml"}, {"history", "--format", "json"},
                {"diff", "0"}, {"get", "db"}, {"sql", "SELECT * FROM current_entries"},
                {"export", temp.resolve("out.json").toString()}}) {
            Cli.Result result = cli().run(command);
            assertThat(result.exit()).as(String.join(" ", command) + ": " + result.err()).isZero();
            assertThat(result.out() + result.err()).as(String.join(" ", command)).doesNotContain(PLAIN);
        }
        assertThat(Files.readString(temp.resolve("out.json"))).doesNotContain(PLAIN).contains("<secret>");

        Cli.Result revealed = cli().run("--actor", "ops", "get", "db.password", "--reveal");
        assertThat(revealed.exit()).isZero();
        assertThat(revealed.out()).isEqualTo(PLAIN + "\n");
        assertThat(cli().run("sql", "SELECT actor FROM operations WHERE operation = 'reveal'").out()).contains("ops");

        Path moved = Files.move(keyring, temp.resolve("away.keyring"));
        Cli.Result withoutKey = cli().run("get", "db.password", "--reveal");
        assertThat(withoutKey.exit()).isEqualTo(5);
        assertThat(withoutKey.err()).contains("the store has no keyring");
        assertThat(cli().run("--keyring", moved.toString(), "get", "db.password", "--reveal").out())
                .isEqualTo(PLAIN + "\n");
    }

    @Test
    void patternsRotationAndVerify() {
        cli().run("set", "mail.password", PLAIN);
        cli().run("set", "mail.host", "smtp");
        assertThat(cli().run("secret", "add", "*.password").exit()).isZero();
        assertThat(cli().run("secret", "list").out()).isEqualTo("*.password\n");
        assertThat(cli().run("get", "mail.password").out()).isEqualTo("<secret>\n");
        assertThat(cli().run("get", "mail.host").out()).isEqualTo("smtp\n");

        Cli.Result rotated = cli().run("secret", "rotate");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("under new key");
        assertThat(cli().run("get", "mail.password", "--reveal").out()).isEqualTo(PLAIN + "\n");
        Cli.Result verified = cli().run("verify", "--secrets", "--chain");
        assertThat(verified.exit()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("OK: secrets, 0 that do not decrypt").contains("HMACs checked");
    }

    @Test
    void aKeyringOthersMayRead_isRefused_withTheFix() throws Exception {
        cli().run("set", "token", PLAIN, "--secret");
        Path keyring = temp.resolve("config.keyring");
        Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-r-----"));
        Cli.Result refused = cli().run("get", "token");
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).contains("chmod 600 " + keyring);
    }
}
