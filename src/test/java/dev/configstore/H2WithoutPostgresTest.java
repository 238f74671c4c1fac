package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL driver and Flyway's PostgreSQL module are optional dependencies: an
 * application on H2 has neither, and the store must work without them. A child JVM runs with
 * the test class path minus those two jars.
 */
class H2WithoutPostgresTest {

    @TempDir
    Path temp;

    @Test
    void anApplicationOnH2_worksWithoutThePostgresqlDependencies() throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        List<String> kept = Arrays.stream(entries)
                .filter(entry -> !entry.contains("org/postgresql/postgresql/") && !entry.contains("flyway-database-postgresql"))
                .collect(Collectors.toList());
        assertThat(kept).as("the two jars were on the test class path").hasSize(entries.length - 2);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dh2.bindAddress=127.0.0.1", "-cp", String.join(File.pathSeparator, kept), H2OnlyChild.class.getName(),
                temp.resolve("store").toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).endsWith("OK\n");
    }
}
