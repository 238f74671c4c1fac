package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a process: its logger writes nothing but warnings to stderr by default, and
 * {@code --log-level} turns on what the libraries say when something goes wrong.
 */
class LogLevelProcessTest {

    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dh2.bindAddress=127.0.0.1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--store", temp.resolve("config").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void warningsOnlyByDefault_andDebugOnRequest_alwaysOnStderr() throws Exception {
        Run quiet = cli("set", "a", "1");
        assertThat(quiet.exit()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).startsWith("revision 1");

        Run chatty = cli("--log-level", "debug", "get", "a");
        assertThat(chatty.exit()).isZero();
        assertThat(chatty.out()).isEqualTo("1\n");
        assertThat(chatty.err()).contains("DEBUG");

        Run wrong = cli("--log-level", "loud", "get", "a");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("--log-level").contains("loud");
    }
}
