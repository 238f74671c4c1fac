package dev.configstore.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.ConfigStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open check's comparison only means something if its two reads take two paths through the file. */
class H2OpenCheckTest {

    @TempDir
    Path temp;

    @Test
    void theDocumentScan_readsTheTableRows_notThePrimaryKeyIndexTheHeadLoadWalks() throws Exception {
        try (ConfigStore store = ConfigStore.builder().path(temp).open()) {
            store.put("a", 1);
        }
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(temp.resolve(H2Files.CREDENTIALS))) {
            credentials.load(in);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:" + temp.resolve(H2Files.DATABASE_NAME)
                + ";ACCESS_MODE_DATA=r", credentials.getProperty("user"), credentials.getProperty("password"));
             ResultSet plan = connection.createStatement().executeQuery("EXPLAIN " + H2OpenCheck.SCAN_DOCUMENTS)) {
            plan.next();
            assertThat(plan.getString(1)).contains("tableScan").doesNotContain("PRIMARY_KEY");
        }
    }
}
