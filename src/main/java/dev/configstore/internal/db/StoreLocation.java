package dev.configstore.internal.db;

import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;

/** Where a store's database is, as the builder was told: exactly one of these. */
public sealed interface StoreLocation {

    /**
     * The one location the builder was given (a directory {@code config} when none), checked:
     * {@code needsStandby} when a setting needs a replicated PostgreSQL.
     */
    static StoreLocation of(Path path, String url, String user, String password, DataSource dataSource,
                            boolean needsStandby) {
        int sources = (path != null ? 1 : 0) + (url != null ? 1 : 0) + (dataSource != null ? 1 : 0);
        if (sources > 1) {
            throw new IllegalStateException("set only one of path, url and dataSource");
        }
        if (user != null && url == null) {
            throw new IllegalStateException("credentials go with url; a path store makes its own and a dataSource has its own");
        }
        if (needsStandby && dataSource == null && (url == null || !url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalStateException("a replicated durability and a read URL need a PostgreSQL store"
                    + " (url jdbc:postgresql:...); an H2 store has no standby");
        }
        return url != null ? new Url(url, user, password)
                : dataSource != null ? new ApplicationDataSource(dataSource)
                : new Directory(sources == 0 ? Path.of("config") : path);
    }

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
