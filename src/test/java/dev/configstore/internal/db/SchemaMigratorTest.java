package dev.configstore.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    @Test
    void latestVersion_matchesTheNewestMigrationScript() throws Exception {
        Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest = 0;
        try (Stream<Path> scripts = Files.list(Path.of("db", "migration"))) {
            for (Path script : scripts.toList()) {
                Matcher matcher = name.matcher(script.getFileName().toString());
                if (matcher.matches()) {
                    newest = Math.max(newest, Integer.parseInt(matcher.group(1)));
                }
            }
        }

        assertThat(SchemaMigrator.LATEST_VERSION).isEqualTo(newest).isPositive();
    }
}
