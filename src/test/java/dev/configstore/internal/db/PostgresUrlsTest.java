package dev.configstore.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresUrlsTest {

    @Test
    void aUrlWithSeveralHostsWritesToThePrimaryAndRechecksRolesEverySecond() {
        assertThat(PostgresUrls.forWrites("jdbc:postgresql://h1:5432,h2:5433/app?user=u"))
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app?user=u&targetServerType=primary&hostRecheckSeconds=1");
        assertThat(PostgresUrls.forWrites("jdbc:postgresql://h1,h2/app"))
                .isEqualTo("jdbc:postgresql://h1,h2/app?targetServerType=primary&hostRecheckSeconds=1");
    }

    @Test
    void whatTheUrlSetsItselfWins() {
        assertThat(PostgresUrls.forWrites("jdbc:postgresql://h1,h2/app?TargetServerType=any&hostRecheckSeconds=5"))
                .isEqualTo("jdbc:postgresql://h1,h2/app?TargetServerType=any&hostRecheckSeconds=5");
        assertThat(PostgresUrls.forReads("jdbc:postgresql://h1,h2/app?loadBalanceHosts=false"))
                .isEqualTo("jdbc:postgresql://h1,h2/app?loadBalanceHosts=false&targetServerType=preferSecondary"
                        + "&hostRecheckSeconds=1");
    }

    @Test
    void aUrlWithOneHostIsLeftAsItIs() {
        for (String url : new String[] {"jdbc:postgresql://h1:5432/app?user=u", "jdbc:postgresql:app",
                "jdbc:postgresql://h1/app?options=a,b", "jdbc:postgresql://[::1]:5432/app"}) {
            assertThat(PostgresUrls.forWrites(url)).isEqualTo(url);
            assertThat(PostgresUrls.multiHost(url)).isFalse();
        }
    }
}
