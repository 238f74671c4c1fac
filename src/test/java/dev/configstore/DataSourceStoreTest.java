package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A store opened on a data source the application owns: it works, and closing it leaves the source open. */
class DataSourceStoreTest {

    @Test
    void applicationDataSource_servesTheStore_andStaysUsableAfterClose() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:app-owned-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("app");
        dataSource.setPassword("secret");

        try (ConfigStore store = ConfigStore.builder().dataSource(dataSource).actor("app").open()) {
            store.put("api.port", 8080);
            store.put("api.port", 8081);
            assertThat(store.find("api.port", Integer.class)).contains(8081);
            assertThat(store.document("current", 1).orElseThrow().find("api.port").orElseThrow().asInt()).isEqualTo(8080);
            assertThat(store.history().query("SELECT COUNT(*) AS n FROM config_changes", 10).rows())
                    .containsExactly(java.util.List.of("2"));
        }

        try (Connection connection = dataSource.getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT MAX(revision) FROM revisions")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(2);
        }
        try (ConfigStore reopened = ConfigStore.builder().dataSource(dataSource).open()) {
            assertThat(reopened.revision()).isEqualTo(2);
            assertThat(reopened.health().verify().isClean()).isTrue();
        }
    }
}
