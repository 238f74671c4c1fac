package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CLI is a client of the public API: no class of it refers to an internal one. */
class PackageBoundaryTest {

    @Test
    void cliClasses_referNoInternalClass() throws Exception {
        Path cli = Path.of("target", "classes", "dev", "configstore", "cli");
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> classes = Files.walk(cli)) {
            for (Path file : classes.filter(path -> path.toString().endsWith(".class")).toList()) {
                checked++;
                // class names in the constant pool are stored as UTF-8 with slashes
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (bytes.contains("dev/configstore/internal")) {
                    offenders.add(file.getFileName().toString());
                }
            }
        }

        assertThat(checked).isGreaterThan(5);
        assertThat(offenders).isEmpty();
    }
}
