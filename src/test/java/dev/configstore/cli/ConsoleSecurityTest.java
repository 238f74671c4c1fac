package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.ConfigStore;
import io.javalin.router.Endpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's security model against a real server on a real H2 store: every route of the
 * server's own route table refuses a request without the token, cross-site and read-only writes
 * are refused, hostile parameters get a clear 4xx, and the server listens only where told.
 */
class ConsoleSecurityTest {

    @TempDir
    Path temp;

    ConfigStore store;
    ConsoleServer server;

    @BeforeEach
    void openStoreAndConsole() {
        store = ConfigStore.builder().path(temp.resolve("store")).actor(ConsoleCommand.ACTOR).open();
        store.put("table.cloth", "green");
        store.backups().create("before-tuning", 0, "");
        server = new ConsoleServer(store, new ConsoleServer.Settings(InetAddress.getLoopbackAddress(), 0, false, false))
                .start();
    }

    @AfterEach
    void close() {
        server.close();
        store.close();
    }

    /** A request path for a route: each path parameter filled with a plausible name. */
    private static String sample(Endpoint endpoint) {
        return endpoint.path.replaceAll("\\{[^}]+}", "before-tuning");
    }

    @Test
    void everyRouteOfTheRouteTable_withoutTheToken_is401() {
        List<Endpoint> endpoints = server.endpoints();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(20); // the table is walked, not listed here
        ConsoleClient anonymous = ConsoleClient.anonymous(server);
        ConsoleClient wrongToken = anonymous.with("Authorization", "Bearer " + "x".repeat(43));
        long head = store.revision();
        for (Endpoint endpoint : endpoints) {
            String method = endpoint.method.name();
            String body = method.equals("GET") ? null : "{}";
            assertThat(anonymous.send(method, sample(endpoint), body).statusCode()).as(method + " " + endpoint.path)
                    .isEqualTo(401);
            assertThat(wrongToken.send(method, sample(endpoint), body).statusCode()).as(method + " " + endpoint.path)
                    .isEqualTo(401);
            assertThat(anonymous.send(method, sample(endpoint) + "?token=wrong", body).statusCode())
                    .as(method + " " + endpoint.path + " with a wrong token").isEqualTo(401);
        }
        assertThat(anonymous.get("/no/such/route").statusCode()).isEqualTo(401);
        assertThat(ConsoleClient.json(anonymous.get("/api/session")).get("error").asText()).contains("access token");
        assertThat(store.refresh()).isEqualTo(head);
        assertThat(store.backups().find("before-tuning")).isPresent();
    }

    @Test
    void theTokenInTheAddress_movesIntoAnHttpOnlySameSiteStrictCookie() {
        HttpResponse<String> first = ConsoleClient.anonymous(server).get("/?token=" + server.token());

        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).contains("/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains(server.token());
        ConsoleClient withCookie = ConsoleClient.anonymous(server).with("Cookie", cookie.substring(0, cookie.indexOf(';')));
        HttpResponse<String> page = withCookie.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/assets/console.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(withCookie.get("/api/revision").statusCode()).isEqualTo(200);
    }

    @Test
    void everyWriteRoute_sentCrossSiteWithTheCookie_isRefusedAndChangesNothing() {
        String cookie = ConsoleClient.anonymous(server).get("/?token=" + server.token()).headers()
                .firstValue("Set-Cookie").orElseThrow();
        ConsoleClient browser = ConsoleClient.anonymous(server).with("Cookie", cookie.substring(0, cookie.indexOf(';')));
        String csrf = ConsoleClient.json(browser.get("/api/session")).get("csrf").asText();
        ConsoleClient otherSite = browser.with("Origin", "http://evil.example");
        long head = store.revision();
        List<Endpoint> writes = server.endpoints().stream().filter(endpoint -> !endpoint.method.name().equals("GET"))
                .toList();
        assertThat(writes).extracting(endpoint -> endpoint.method.name()).contains("PUT", "POST", "DELETE");
        for (Endpoint endpoint : writes) {
            String body = "{\"key\":\"table.cloth\",\"text\":\"red\",\"name\":\"x\"}";
            HttpResponse<String> noHeader = browser.send(endpoint.method.name(), sample(endpoint) + "?key=table.cloth",
                    body);
            assertThat(noHeader.statusCode()).as(endpoint.method + " " + endpoint.path).isEqualTo(403);
            assertThat(noHeader.body()).contains("cross-site request refused");
            HttpResponse<String> foreignOrigin = otherSite.with(ConsoleServer.CSRF_HEADER, csrf)
                    .send(endpoint.method.name(), sample(endpoint) + "?key=table.cloth", body);
            assertThat(foreignOrigin.statusCode()).as(endpoint.method + " " + endpoint.path).isEqualTo(403);
        }
        assertThat(store.refresh()).isEqualTo(head);
        assertThat(store.find("table.cloth").orElseThrow().asText()).isEqualTo("green");
        assertThat(store.backups().find("before-tuning")).isPresent();
        // the page's own request passes
        HttpResponse<String> own = browser.with(ConsoleServer.CSRF_HEADER, csrf).with("Origin", server.base())
                .send("PUT", "/api/documents/current/value", "{\"key\":\"table.cloth\",\"text\":\"red\"}");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    }

    @Test
    void aReadOnlyConsole_refusesEveryWriteRoute() {
        try (ConsoleServer readOnly = new ConsoleServer(store, new ConsoleServer.Settings(InetAddress.getLoopbackAddress(),
                0, true, false)).start()) {
            ConsoleClient script = ConsoleClient.bearer(readOnly);
            long head = store.revision();
            for (Endpoint endpoint : readOnly.endpoints()) {
                if (endpoint.method.name().equals("GET")) {
                    continue;
                }
                HttpResponse<String> refused = script.send(endpoint.method.name(), sample(endpoint) + "?key=table.cloth",
                        "{\"key\":\"table.cloth\",\"text\":\"red\",\"name\":\"x\"}");
                assertThat(refused.statusCode()).as(endpoint.method + " " + endpoint.path).isEqualTo(403);
                assertThat(refused.body()).contains("--read-only");
            }
            assertThat(ConsoleClient.json(script.get("/api/session")).get("read_only").asBoolean()).isTrue();
            assertThat(script.get("/api/documents/current/explain").statusCode()).isEqualTo(200);
            assertThat(store.refresh()).isEqualTo(head);
            assertThat(store.backups().list()).hasSize(1);
        }
    }

    @Test
    void hostileParameters_getAClear4xx_andChangeNothing() {
        ConsoleClient script = ConsoleClient.bearer(server);
        long head = store.revision();

        HttpResponse<String> traversal = script.get("/api/documents/..%2F..%2Fetc%2Fpasswd");
        assertThat(traversal.statusCode()).isBetween(400, 404);
        HttpResponse<String> dotted = script.get("/api/documents/../../etc/passwd/explain");
        assertThat(dotted.statusCode()).isBetween(400, 404);
        // names that reach the store (not stopped by the HTTP server's own URI checks) are refused by it
        HttpResponse<String> dots = script.get("/api/documents/..secret/explain");
        assertThat(dots.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(dots).get("error").asText()).contains("..secret");
        HttpResponse<String> backslash = script.get("/api/documents/a%5C..%5Cb");
        assertThat(backslash.statusCode()).isBetween(400, 404);
        HttpResponse<String> scriptName = script.get("/api/documents/%3Cscript%3E/explain");
        assertThat(scriptName.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(scriptName).get("error").asText()).contains("<script>");
        assertThat(script.get("/assets/..%2Fconsole%2Findex.html").statusCode()).isBetween(400, 404);
        assertThat(script.get("/assets/secret.txt").statusCode()).isEqualTo(404);

        HttpResponse<String> huge = script.get("/api/history?before=99999999999999999999999");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(huge).get("error").asText()).contains("'before'").contains("revision number");
        assertThat(script.get("/api/diff?from=-1").statusCode()).isEqualTo(400);
        assertThat(script.get("/api/diff?from=1e3").statusCode()).isEqualTo(400);
        assertThat(script.get("/api/history?limit=100000").statusCode()).isEqualTo(400);
        assertThat(script.get("/api/documents/current?revision=1%3BDROP%20TABLE%20cs_revision").statusCode())
                .isEqualTo(400);
        assertThat(script.get("/api/charts/..%2F..%2Fhealth").statusCode()).isBetween(400, 404);

        HttpResponse<String> slash = script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"../etc/passwd\",\"text\":\"1\"}");
        assertThat(slash.statusCode()).isEqualTo(400);
        assertThat(ConsoleClient.json(slash).get("error").asText()).contains("../etc/passwd");
        assertThat(script.send("PUT", "/api/documents/current/value", "{\"key\":").statusCode()).isEqualTo(400);
        assertThat(script.send("PUT", "/api/documents/current/value", "[1]").statusCode()).isEqualTo(400);
        assertThat(script.send("PUT", "/api/documents/current/value", "{\"key\":\"a\",\"text\":\"1\",\"string\":\"yes\"}")
                .statusCode()).isEqualTo(400);
        assertThat(script.send("PUT", "/api/documents/current/value", "{\"key\":\"a\",\"text\":\"{\\\"b\\\":\"}")
                .statusCode()).isEqualTo(400);
        String tooBig = "{\"key\":\"a\",\"text\":\"" + "x".repeat(2 << 20) + "\"}";
        HttpResponse<String> large = script.send("PUT", "/api/documents/current/value", tooBig);
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(ConsoleClient.json(large).get("error").asText()).contains("larger than");
        assertThat(script.send("POST", "/api/backups", "{\"name\":\"a/b\"}").statusCode()).isEqualTo(400);
        assertThat(script.send("POST", "/api/backups/before-tuning/restore", "{\"expect_revision\":\"x\"}")
                .statusCode()).isEqualTo(400);
        assertThat(store.refresh()).isEqualTo(head);
        assertThat(store.backups().list()).hasSize(1);

        // a value that is markup is stored and answered as the text it is
        assertThat(script.send("PUT", "/api/documents/current/value",
                "{\"key\":\"label\",\"text\":\"<script>alert(1)</script>\"}").statusCode()).isEqualTo(200);
        assertThat(store.find("label").orElseThrow().asText()).isEqualTo("<script>alert(1)</script>");
        HttpResponse<String> value = script.get("/api/documents/current/value?key=label");
        assertThat(value.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(ConsoleClient.json(value).asText()).isEqualTo("<script>alert(1)</script>");
    }

    @Test
    void aHostHeaderOfAnotherName_isRefused_againstDnsRebinding() throws Exception {
        int port = Integer.parseInt(server.base().substring(server.base().lastIndexOf(':') + 1));
        assertThat(rawStatus(port, "evil.example:" + port)).isEqualTo(421);
        assertThat(rawStatus(port, "127.0.0.1:" + port)).isEqualTo(200);
        assertThat(rawStatus(port, "localhost:" + port)).isEqualTo(200);
    }

    /** The status of a GET whose Host header is set by hand (java.net.http does not allow that). */
    private int rawStatus(int port, String host) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/revision HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + server.token()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void theServer_listensOnlyOnTheAddressItWasGiven() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces().filter(this::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no address but loopback to try");
        int port = Integer.parseInt(server.base().substring(server.base().lastIndexOf(':') + 1));
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        assertThatThrownBy(() -> {
            try (Socket outside = new Socket()) {
                outside.connect(new InetSocketAddress(external.get(), port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    private boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    @Test
    void anAddressBeyondLoopback_needsAllowRemote() {
        Cli cli = new Cli(temp.resolve("other"));

        Cli.Result everywhere = cli.run("console", "--bind", "0.0.0.0");
        assertThat(everywhere.exit()).isEqualTo(2);
        assertThat(everywhere.err()).contains("--allow-remote").contains("reverse proxy with TLS");
        Cli.Result unknown = cli.run("console", "--bind", "no-such-host.invalid");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no-such-host.invalid");
        assertThat(cli.run("console", "--port", "70000").exit()).isEqualTo(2);
        assertThat(temp.resolve("other")).doesNotExist();
    }
}
