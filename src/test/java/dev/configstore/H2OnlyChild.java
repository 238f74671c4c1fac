package dev.configstore;

import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchRequest;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An application that embeds the store on H2 with only the library's required dependencies on
 * its class path (no PostgreSQL driver, no Flyway PostgreSQL module): it opens a store, writes,
 * reads, watches, verifies, archives, and prints {@code OK}.
 */
public final class H2OnlyChild {

    public static void main(String[] args) throws Exception {
        for (String absent : new String[] {"org.postgresql.Driver", "org.flywaydb.database.postgresql.PostgreSQLDatabaseType"}) {
            try {
                Class.forName(absent);
                throw new IllegalStateException(absent + " is on the class path; the test must leave it out");
            } catch (ClassNotFoundException expected) {
                // as in an application that uses only H2
            }
        }
        try (ConfigStore store = ConfigStore.builder().path(Path.of(args[0])).open()) {
            CountDownLatch seen = new CountDownLatch(1);
            try (Watch watch = store.watch(WatchRequest.key("vision"), event -> seen.countDown())) {
                store.put("vision.fps", 30);
                if (!seen.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the watch saw nothing");
                }
            }
            if (store.find("vision.fps", Integer.class).orElseThrow() != 30 || !store.health().verify().isClean()) {
                throw new IllegalStateException("the store did not read back what was written");
            }
            store.formats().exportArchive(dev.configstore.format.ArchiveKind.ZIP,
                    java.io.OutputStream.nullOutputStream(), dev.configstore.format.ArchiveContent.FULL_HISTORY);
        }
        System.out.println("OK");
    }
}
