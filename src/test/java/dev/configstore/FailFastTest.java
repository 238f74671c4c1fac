package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot be opened says why at once: wrong credentials, a server that refuses or
 * does not exist, a database that does not exist. No 30-second pool timeout with no cause.
 */
class FailFastTest {

    private static final Duration QUICK = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private static void assertFailsQuickly(ConfigStoreBuilder builder, String... expected) {
        long started = System.nanoTime();
        assertThatThrownBy(builder::open).isInstanceOf(ConfigStoreException.class)
                .satisfies(e -> {
                    for (String part : expected) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(QUICK);
    }

    @Test
    void h2UrlStore_wrongPassword() {
        String url = "jdbc:h2:file:" + temp.resolve("url-store");
        try (ConfigStore store = ConfigStore.builder().url(url).credentials("owner", "right").open()) {
            store.put("a", 1);
        }

        assertFailsQuickly(ConfigStore.builder().url(url).credentials("owner", "wrong"), "wrong user or password");
    }

    @Test
    void postgresOnAClosedPort_isRefusedAtOnce() {
        assertFailsQuickly(ConfigStore.builder().url("jdbc:postgresql://127.0.0.1:1/test?connectTimeout=5"),
                "cannot reach the database", "refused");
    }

    /** A host that takes the TCP connection but never answers (a hung server, a black-holing proxy). */
    @Test
    void postgresThatNeverAnswers_failsWithinTheConnectTimeout_namingHostAndPort() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String where = "127.0.0.1:" + silent.getLocalPort();
            assertFailsQuickly(ConfigStore.builder().url("jdbc:postgresql://" + where + "/test")
                    .connectTimeout(Duration.ofSeconds(2)), "cannot reach the database", where);
        }
    }

    @Test
    void postgres_unknownRoleOrDatabase() {
        String configured = System.getenv("CONFIGSTORE_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(configured != null && !configured.isBlank(),
                "needs CONFIGSTORE_TEST_POSTGRES_URL to name a PostgreSQL server");
        String base = StoreDatabaseUrls.withoutQuery(configured);

        assertFailsQuickly(ConfigStore.builder().url(base + "?user=configstore_no_such_role"), "wrong user or password");
        assertFailsQuickly(ConfigStore.builder().url(base.substring(0, base.lastIndexOf('/'))
                + "/configstore_no_such_database?user=postgres"), "does not exist");
    }

    /** The test's view of a JDBC URL. */
    static final class StoreDatabaseUrls {
        static String withoutQuery(String url) {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }
    }
}
