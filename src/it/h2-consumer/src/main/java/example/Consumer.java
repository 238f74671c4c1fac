package example;

import dev.configstore.ConfigStore;
import dev.configstore.WriteResult;
import dev.configstore.health.VerifyResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Embeds configstore as an application on H2 would, with only the library on its class path.
 * Any failure ends the JVM with a non-zero status, which fails the build that runs it.
 */
public final class Consumer {

    /** Classes of the optional dependencies: none may reach an application that did not ask. */
    private static final List<String> ABSENT = List.of(
            "org.postgresql.Driver",
            "org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension",
            "picocli.CommandLine",
            "com.fasterxml.jackson.dataformat.csv.CsvMapper",
            "org.slf4j.simple.SimpleLogger",
            "org.eclipse.microprofile.config.spi.ConfigSource",
            "io.javalin.Javalin",
            "org.eclipse.jetty.server.Server",
            "kotlin.Unit");

    private Consumer() {
    }

    public static void main(String[] args) {
        for (String name : ABSENT) {
            try {
                Class.forName(name);
                throw new AssertionError(name + " is on the consumer's class path: a dependency that"
                        + " should be optional reached an application on H2");
            } catch (ClassNotFoundException expected) {
                // absent, as it should be
            }
        }
        Path directory = Path.of(args[0]);
        long written;
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("consumer").open()) {
            store.put("table.cloth", "green");
            WriteResult result = store.batch()
                    .set(ConfigStore.MAIN_DOCUMENT, "table.pockets", 6)
                    .set(ConfigStore.MAIN_DOCUMENT, "vision.exposure", 0.25)
                    .message("consumer project")
                    .commit();
            written = result.revision();
            check(result.keysChanged() == 2, "the batch changed " + result.keysChanged() + " keys, not 2");
        }
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("consumer").open()) {
            check(store.revision() == written, "reopened at revision " + store.revision() + ", wrote " + written);
            check(store.find("table.cloth").orElseThrow().asText().equals("green"), "table.cloth was not kept");
            check(store.find("table.pockets", Integer.class).orElseThrow() == 6, "table.pockets was not kept");
            check(store.findAt(ConfigStore.MAIN_DOCUMENT, "table.pockets", written - 1).isEmpty(),
                    "table.pockets is visible before the revision that wrote it");
            VerifyResult verify = store.health().verify();
            check(verify.isClean(), "verify found " + verify.mismatches());
        }
        System.out.println("consumer: wrote and read back revision " + written + " without the optional dependencies");
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
