package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.VersionConflictException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The web console's HTTP server (Javalin on Jetty): the routes of {@link ConsoleApi} behind one
 * gate that every request passes, matched or not.
 *
 * <ul>
 *   <li>Authentication: a random token, printed in the console's URL. A request carries it as the
 *       {@code token} query parameter (the first one; the page is then sent to the same address
 *       without it), as the HttpOnly, SameSite=Strict cookie that first request set, or as
 *       {@code Authorization: Bearer} (scripts). Anything else is refused with 401.</li>
 *   <li>Cross-site writes: a write authenticated by the cookie must also carry the session's
 *       CSRF token in {@code X-Configstore-Csrf} (a header no cross-site form can set, and that a
 *       cross-origin script cannot send without a CORS permission the server never gives) and
 *       an {@code Origin}, when there is one, of the console itself.</li>
 *   <li>DNS rebinding: on loopback, a {@code Host} header other than the console's own address
 *       is refused (a page of another site whose name now points at 127.0.0.1 sends its own).</li>
 *   <li>Every response forbids framing, sniffing, referrers and caching, and allows scripts
 *       only from the console itself (no inline script), so a stored value is never code.</li>
 * </ul>
 */
final class ConsoleServer implements AutoCloseable {

    /** The header that carries the session's CSRF token on writes. */
    static final String CSRF_HEADER = "X-Configstore-Csrf";

    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /**
     * What the console serves and how (the command's options), and how often an idle event
     * stream is written to, which is how a page that went away is noticed.
     */
    record Settings(InetAddress bind, int port, boolean readOnly, boolean allowRemote, java.time.Duration ping) {
        Settings(InetAddress bind, int port, boolean readOnly, boolean allowRemote) {
            this(bind, port, readOnly, allowRemote, java.time.Duration.ofSeconds(10));
        }
    }

    private final Settings settings;
    private final String token;
    private final String csrf;
    private final ConsoleApi api;
    private final Javalin app;
    private volatile String cookieName = "configstore_console";
    private volatile Set<String> hosts = Set.of();

    ConsoleServer(ConfigStore store, Settings settings) {
        this.settings = settings;
        SecureRandom random = new SecureRandom();
        this.token = randomToken(random);
        this.csrf = randomToken(random);
        this.api = new ConsoleApi(store, settings.readOnly(), csrf, settings.ping());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = ConsoleApi.MAX_BODY_BYTES;
            config.http.asyncTimeout = 0; // the event stream stays open until the page goes
            config.routes.before(this::gate);
            for (ConsoleApi.Route route : api.routes()) {
                if (route.events()) {
                    config.routes.sse(route.path(), api::events);
                } else {
                    config.routes.addHttpHandler(route.method(), route.path(), route.handler());
                }
            }
            config.routes.exception(Exception.class, ConsoleServer::failure);
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "no such page or API route: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> error(ctx, 405, "the route does not take " + ctx.method()));
            config.routes.error(413, ctx -> error(ctx, 413, "the request body is larger than "
                    + ConsoleApi.MAX_BODY_BYTES + " bytes"));
        });
    }

    /** Starts listening; the port is chosen by the system when the settings say 0. */
    ConsoleServer start() {
        app.start(settings.bind().getHostAddress(), settings.port());
        int port = app.port();
        cookieName = "configstore_console_" + port; // one cookie per console: cookies do not tell ports apart
        String bound = settings.bind().getHostAddress();
        String literal = bound.contains(":") ? "[" + bound + "]" : bound;
        List<String> names = List.of(literal, "localhost", "127.0.0.1", "[::1]");
        java.util.Set<String> allowed = new java.util.HashSet<>();
        for (String name : names) {
            allowed.add(name + ":" + port);
            if (port == 80) { // a browser leaves the default port out of Host and Origin
                allowed.add(name);
            }
        }
        hosts = Set.copyOf(allowed);
        return this;
    }

    /** The console's address with its access token, as printed. */
    String url() {
        return base() + "/?token=" + token;
    }

    /** The console's address without the token. */
    String base() {
        String host = settings.bind().getHostAddress();
        if (settings.bind().isAnyLocalAddress()) {
            host = "127.0.0.1";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port();
    }

    String token() {
        return token;
    }

    /** The routes the server has, as Javalin holds them (the security test walks these). */
    List<io.javalin.router.Endpoint> endpoints() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod()).toList();
    }

    @Override
    public void close() {
        api.close();
        app.stop();
    }

    /** How many pages follow the store through the live feed now. */
    int following() {
        return api.following();
    }

    private void gate(Context ctx) {
        securityHeaders(ctx); // here, not after: an event stream has sent its headers before an after-handler runs
        if (!settings.allowRemote() && !hosts.contains(String.valueOf(ctx.header("Host")).toLowerCase(Locale.ROOT))) {
            throw new ConsoleApi.Refusal(421, "the Host header '" + ctx.header("Host") + "' is not this console's"
                    + " address; open " + base());
        }
        String fromQuery = ctx.queryParam("token");
        boolean byBearer = same(bearer(ctx.header("Authorization")), token);
        boolean byCookie = same(ctx.cookie(cookieName), token);
        if (fromQuery != null) {
            if (!same(fromQuery, token)) {
                throw new ConsoleApi.Refusal(401, "the access token is wrong; use the URL the console printed");
            }
            ctx.cookie(new Cookie(cookieName, token, "/", -1, false, true, null, SameSite.STRICT));
            if (ctx.method() == HandlerType.GET && ctx.path().equals("/")) {
                ctx.redirect("/"); // the token leaves the address bar, the history and the Referer
                ctx.skipRemainingHandlers();
                return;
            }
        } else if (!byBearer && !byCookie) {
            throw new ConsoleApi.Refusal(401, "no access token: open the URL 'configstore console' printed, or send"
                    + " 'Authorization: Bearer TOKEN'");
        }
        if (!isRead(ctx.method())) {
            if (settings.readOnly()) {
                throw new ConsoleApi.Refusal(403, "the console was started with --read-only: it changes nothing");
            }
            if (!byBearer) { // an ambient credential (the cookie or the URL): prove the page is ours
                String origin = ctx.header("Origin");
                if (origin != null && !hosts.contains(origin.replaceFirst("^https?://", "").toLowerCase(Locale.ROOT))
                        && !settings.allowRemote()) {
                    throw new ConsoleApi.Refusal(403, "cross-site request refused (Origin " + origin + ")");
                }
                if (!same(ctx.header(CSRF_HEADER), csrf)) {
                    throw new ConsoleApi.Refusal(403, "cross-site request refused: a write needs the " + CSRF_HEADER
                            + " header of the console's session");
                }
            }
        }
    }

    private static boolean isRead(HandlerType method) {
        return method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS;
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static void failure(Exception exception, Context ctx) {
        if (exception instanceof ConsoleApi.Refusal refusal) {
            error(ctx, refusal.status(), refusal.getMessage());
        } else if (exception instanceof VersionConflictException conflict) {
            ObjectNode body = body(conflict.getMessage(), conflict.code().name());
            body.put("document", conflict.document()).put("expected_revision", conflict.expectedRevision())
                    .put("actual_revision", conflict.actualRevision());
            send(ctx, 409, body);
        } else if (exception instanceof ConfigStoreException failure) {
            send(ctx, status(failure), body(failure.getMessage(), failure.code().name()));
        } else if (exception instanceof IllegalArgumentException || exception instanceof IllegalStateException) {
            error(ctx, 400, exception.getMessage());
        } else {
            error(ctx, 500, "the console failed: " + exception);
        }
        securityHeaders(ctx);
    }

    /** The HTTP status of an error code: one switch, no default, like the CLI's exit codes. */
    static int status(ConfigStoreException failure) {
        return switch (failure.code()) {
            case NOT_FOUND -> 404;
            case CONFLICT, LEASE_HELD -> 409;
            case INVALID_INPUT -> 400;
            case STORE_UNAVAILABLE -> 503;
            case STORE_DAMAGED, SCHEMA_TOO_NEW, INTERNAL -> 500;
        };
    }

    static void error(Context ctx, int status, String message) {
        send(ctx, status, body(message, null));
    }

    private static ObjectNode body(String message, String code) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", message == null ? "unknown error" : message.replace('\n', ' '));
        if (code != null) {
            body.put("code", code);
        }
        return body;
    }

    private static void send(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(Render.json(body));
    }

    private static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    /** Compares in time that does not depend on where the two differ. */
    private static boolean same(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomToken(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
