package dev.configstore.internal.db;

import java.util.Locale;

/**
 * The parameters the store adds to a PostgreSQL URL that does not set them. A URL with several
 * hosts ({@code jdbc:postgresql://h1:5432,h2:5432/db}) writes to the primary among them and
 * rechecks a host's role after a second (pgjdbc remembers a standby as a standby for 10 s by
 * default, which would hide a promoted one); a read URL prefers a standby and spreads
 * connections over the hosts.
 */
public final class PostgresUrls {

    private PostgresUrls() {
    }

    /** The URL the store writes through. */
    static String forWrites(String url) {
        if (!multiHost(url)) {
            return url;
        }
        return withDefault(withDefault(url, "targetServerType", "primary"), "hostRecheckSeconds", "1");
    }

    /** The URL the store reads history and past revisions through. */
    public static String forReads(String url) {
        String reads = withDefault(url, "targetServerType", "preferSecondary");
        return withDefault(withDefault(reads, "loadBalanceHosts", "true"), "hostRecheckSeconds", "1");
    }

    /** pgjdbc's socket timeout: longer than any wait of the store's own statements (locks, a synchronous commit). */
    static long socketTimeoutSeconds(StoreSettings settings) {
        long longestWaitMillis = Math.max(settings.lockTimeout().toMillis(),
                settings.replication().failoverTimeout().toMillis());
        return (longestWaitMillis + 999) / 1000 + 2;
    }

    /** Whether the URL lists more than one host. */
    static boolean multiHost(String url) {
        String rest = url.substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//")) {
            return false;
        }
        int end = rest.indexOf('/', 2);
        String hosts = rest.substring(2, end < 0 ? rest.length() : end);
        int query = hosts.indexOf('?');
        return (query < 0 ? hosts : hosts.substring(0, query)).contains(",");
    }

    static String withDefault(String url, String name, String value) {
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                String key = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
                if (key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return url;
                }
            }
        }
        return url + (query < 0 ? "?" : url.endsWith("?") || url.endsWith("&") ? "" : "&") + name + "=" + value;
    }
}
