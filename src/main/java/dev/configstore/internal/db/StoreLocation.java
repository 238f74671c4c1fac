package dev.configstore.internal.db;

import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;

/** Where a store's database is, as the builder was told: exactly one of these. */
public sealed interface StoreLocation {

    /** An H2 file store in a directory of its own, with its marker and credentials files. */
    record Directory(Path path) implements StoreLocation {
        public Directory {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A JDBC URL, H2 or PostgreSQL, with the credentials to log in (null: the URL's own). */
    record Url(String url, String user, String password) implements StoreLocation {
        public Url {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            return "Url[" + StoreOpening.redact(url) + "]"; // never the password
        }
    }

    /** An application's data source, which the store uses but never closes. */
    record ApplicationDataSource(DataSource dataSource) implements StoreLocation {
        public ApplicationDataSource {
            Objects.requireNonNull(dataSource, "dataSource");
        }
    }
}
