package dev.configstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.configstore.Batch;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import dev.configstore.VersionConflictException;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoint;
import dev.configstore.history.HistoryQuery;
import dev.configstore.secret.Secrets;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The console's routes: the page, its two assets, and a JSON API whose answers are the CLI's
 * {@code --format json} output for the same question (the same {@link Rows} and JSON objects),
 * so a script can use either. Writes go through the store's own validation, the CLI's rules for
 * typed values, the document's schema and compare-and-set, as the CLI's do.
 */
final class ConsoleApi implements AutoCloseable {

    /** The largest request body taken (a value to set, a restore point to make). */
    static final long MAX_BODY_BYTES = 1 << 20;

    /** The most history rows one page asks for. */
    static final int MAX_PAGE = 1000;

    /** A refusal with its HTTP status and a message that says what was wrong. */
    static final class Refusal extends RuntimeException {
        private final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** One route: method, Javalin path, whether it writes, and its handler (null for the event stream). */
    record Route(HandlerType method, String path, boolean writes, Handler handler) {
        boolean events() {
            return handler == null;
        }
    }

    private static final Set<String> ASSETS = Set.of("console.js", "console.css");

    private final ConfigStore store;
    private final boolean readOnly;
    private final String csrf;
    private final ConsoleCharts charts;
    private final ConsoleEvents events;

    ConsoleApi(ConfigStore store, boolean readOnly, String csrf, java.time.Duration ping) {
        this.store = store;
        this.readOnly = readOnly;
        this.csrf = csrf;
        this.charts = new ConsoleCharts(store);
        this.events = new ConsoleEvents(store, ping);
    }

    /** Every route the console has; the server registers exactly these. */
    List<Route> routes() {
        return List.of(
                route(HandlerType.GET, "/", this::page, false),
                route(HandlerType.GET, "/assets/{file}", this::asset, false),
                route(HandlerType.GET, "/api/session", this::session, false),
                route(HandlerType.GET, "/api/revision", ctx -> json(ctx, object().put("revision", store.refresh())),
                        false),
                route(HandlerType.GET, "/api/documents", ctx -> rows(ctx, ProfileCommand.list(store, true)), false),
                route(HandlerType.GET, "/api/documents/{name}", this::document, false),
                route(HandlerType.GET, "/api/documents/{name}/explain", this::explain, false),
                route(HandlerType.GET, "/api/documents/{name}/value", this::value, false),
                route(HandlerType.PUT, "/api/documents/{name}/value", this::set, true),
                route(HandlerType.DELETE, "/api/documents/{name}/value", this::unset, true),
                route(HandlerType.GET, "/api/history", this::history, false),
                route(HandlerType.GET, "/api/operations", ctx -> rows(ctx, HistoryCommand.operations(store,
                        HistoryQuery.newest(ConsoleParams.limit(ctx, 50)))), false),
                route(HandlerType.GET, "/api/diff", this::diff, false),
                route(HandlerType.GET, "/api/backups", ctx -> rows(ctx, BackupCommand.rows(store.backups().list())),
                        false),
                route(HandlerType.POST, "/api/backups", this::createBackup, true),
                route(HandlerType.GET, "/api/backups/{name}/preview", ctx -> rows(ctx,
                        DiffCommand.rows(store.backups().preview(ctx.pathParam("name")))), false),
                route(HandlerType.POST, "/api/backups/{name}/restore", this::restore, true),
                route(HandlerType.DELETE, "/api/backups/{name}", this::deleteBackup, true),
                route(HandlerType.GET, "/api/health", ctx -> json(ctx, HealthCommand.json(store.health().check())),
                        false),
                route(HandlerType.GET, "/api/stats", ctx -> json(ctx, StatsCommand.json(store.health().stats())),
                        false),
                route(HandlerType.GET, "/api/charts/{chart}", this::chart, false),
                route(HandlerType.GET, "/api/events", null, false));
    }

    private static Route route(HandlerType method, String path, Handler handler, boolean writes) {
        return new Route(method, path, writes, handler);
    }

    private void page(Context ctx) throws IOException {
        resource(ctx, "index.html", "text/html; charset=utf-8");
    }

    private void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!ASSETS.contains(file)) {
            throw new Refusal(404, "no asset '" + file + "'");
        }
        resource(ctx, file, file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
    }

    private static void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = ConsoleApi.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new Refusal(500, "the console's " + name + " is missing from the jar");
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private void session(Context ctx) {
        json(ctx, object().put("csrf", csrf).put("read_only", readOnly).put("revision", store.refresh()));
    }

    /** The document as {@code show --format json} prints it; the revision it was read at in a header. */
    private void document(Context ctx) {
        String name = ctx.pathParam("name");
        Long revision = ConsoleParams.revision(ctx, "revision");
        boolean raw = ConsoleParams.flag(ctx, "raw");
        Optional<Document> found;
        if (raw) {
            found = revision == null ? store.profiles().raw(name) : store.profiles().raw(name, revision);
        } else {
            found = revision == null ? store.document(name) : store.document(name, revision);
        }
        Document document = found.orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + name
                + "' does not exist" + (revision == null ? "" : " at revision " + revision)));
        ctx.header("X-Configstore-Revision", String.valueOf(document.revision()));
        json(ctx, document.tree());
    }

    /**
     * The resolved keys with where each comes from ({@code show --explain --format json}). The
     * revision in the header is read first: a write the page then sends expecting it is refused
     * if anything changed meanwhile, never accepted over a change the page did not show.
     */
    private void explain(Context ctx) {
        String name = ctx.pathParam("name");
        long revision = store.refresh();
        Rows rows = ProfileCommand.explain(store, name);
        ctx.header("X-Configstore-Revision", String.valueOf(revision));
        rows(ctx, rows);
    }

    /** One value as {@code get KEY --json} prints it. */
    private void value(Context ctx) {
        String name = ctx.pathParam("name");
        String key = ConsoleParams.required(ctx, "key");
        Long revision = ConsoleParams.revision(ctx, "revision");
        Optional<JsonNode> value = revision == null ? store.find(name, key) : store.findAt(name, key, revision);
        json(ctx, value.orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND, "key '" + key
                + "' is not set in '" + name + "'" + (revision == null ? "" : " at revision " + revision))));
    }

    private void set(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = ConsoleParams.body(ctx);
        String key = ConsoleParams.text(body, "key", true);
        JsonNode value;
        if (body.has("value")) {
            value = body.get("value"); // exactly the JSON a script sent
        } else {
            String typed = ConsoleParams.text(body, "text", true);
            value = body.path("string").asBoolean(false) ? TextNode.valueOf(typed) : SetCommand.parse(typed);
        }
        refuseSecret(name, key, value);
        refuseIfChainChanged(name, body);
        write(ctx, store.batch().set(name, key, value), body);
    }

    /**
     * The console writes no secrets and writes over none: a page shows a secret as its mask, so
     * saving what it shows would replace the secret with the mask's text; a value written at a
     * secret, above one (replacing the subtree that holds it) or below one (turning it into an
     * object) would lose it. Unsetting is an explicit removal and is allowed, as in the CLI.
     */
    private void refuseSecret(String name, String key, JsonNode value) {
        String hint = "; write secrets with 'configstore set KEY VALUE --secret'";
        if (holdsMask(value)) {
            throw new Refusal(400, "'" + Secrets.MASK + "' is what a secret reads as, not a value to store" + hint);
        }
        if (store.find(name, key).filter(ConsoleApi::holdsMask).isPresent()) {
            throw new Refusal(400, "key '" + key + "' of '" + name + "' holds a secret (at it or below it), which"
                    + " the console does not write over" + hint);
        }
        List<String> segments = ConfigKey.parse(key).segments();
        for (int length = 1; length < segments.size(); length++) {
            String above = new ConfigKey(segments.subList(0, length)).toString();
            if (store.find(name, above).filter(node -> node.isTextual() && node.asText().equals(Secrets.MASK))
                    .isPresent()) {
                throw new Refusal(400, "writing '" + key + "' in '" + name + "' would turn the secret at '" + above
                        + "' into an object" + hint);
            }
        }
    }

    private static boolean holdsMask(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().equals(Secrets.MASK);
        }
        for (JsonNode child : node) {
            if (holdsMask(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A page shows a profile resolved through its parents, and sends the revision it showed: a
     * parent changed since is a conflict too (the batch itself checks only the document it writes).
     */
    private void refuseIfChainChanged(String name, ObjectNode body) {
        if (body.hasNonNull("expect_revision")) {
            long expected = ConsoleParams.revision(body, "expect_revision");
            store.refresh();
            Optional<Document> resolved = store.document(name);
            if (resolved.isPresent() && resolved.get().lastChanged() > expected) {
                throw new VersionConflictException(name, expected, resolved.get().lastChanged());
            }
        }
    }

    private void unset(Context ctx) {
        String name = ctx.pathParam("name");
        String key = ConsoleParams.required(ctx, "key");
        ObjectNode body = object();
        Long expected = ConsoleParams.revision(ctx, "expect_revision");
        if (expected != null) {
            body.put("expect_revision", expected);
        }
        refuseIfChainChanged(name, body);
        write(ctx, store.batch().unset(name, key), body);
    }

    /** Commits a batch with the body's expected revision and message, and answers with the outcome. */
    private void write(Context ctx, Batch batch, ObjectNode body) {
        if (body.hasNonNull("expect_revision")) {
            batch.expectRevision(ConsoleParams.revision(body, "expect_revision"));
        }
        if (body.hasNonNull("message")) {
            batch.message(ConsoleParams.text(body, "message", false));
        }
        WriteResult result = batch.commit();
        json(ctx, object().put("revision", result.revision()).put("changed", result.changed())
                .put("keys_changed", result.keysChanged()));
    }

    /** Revisions ({@code history --format json}), or one key's changes with {@code key}. */
    private void history(Context ctx) {
        HistoryQuery query = HistoryQuery.newest(ConsoleParams.limit(ctx, 50));
        if (ctx.queryParam("since") != null && !ctx.queryParam("since").isBlank()) {
            query = query.since(Times.parse("since", ctx.queryParam("since")));
        }
        if (ctx.queryParam("until") != null && !ctx.queryParam("until").isBlank()) {
            query = query.until(Times.parse("until", ctx.queryParam("until")));
        }
        if (ctx.queryParam("actor") != null && !ctx.queryParam("actor").isBlank()) {
            query = query.actor(ctx.queryParam("actor"));
        }
        if (ctx.queryParam("operation") != null && !ctx.queryParam("operation").isBlank()) {
            query = query.operation(ctx.queryParam("operation"));
        }
        Long before = ConsoleParams.revision(ctx, "before");
        if (before != null) {
            query = query.beforeRevision(before);
        }
        String key = ctx.queryParam("key");
        if ((key == null || key.isBlank()) && ctx.queryParam("document") != null
                && !ctx.queryParam("document").isBlank()) {
            throw new Refusal(400, "'document' chooses whose key 'key' is; the revisions list is of the whole store");
        }
        if (key != null && !key.isBlank()) {
            String document = Optional.ofNullable(ctx.queryParam("document")).filter(name -> !name.isBlank())
                    .orElse(ConfigStore.MAIN_DOCUMENT);
            rows(ctx, HistoryCommand.ofKey(store, document, key, query));
        } else {
            rows(ctx, HistoryCommand.revisions(store, query));
        }
    }

    /** {@code diff FROM TO [--profile D] --format json}; {@code to} defaults to the head. */
    private void diff(Context ctx) {
        Long from = ConsoleParams.revision(ctx, "from");
        if (from == null) {
            throw new Refusal(400, "diff needs 'from', a revision number");
        }
        Long to = ConsoleParams.revision(ctx, "to");
        long target = to == null ? store.refresh() : to;
        String document = ctx.queryParam("document");
        rows(ctx, DiffCommand.rows(document == null || document.isBlank() ? store.history().diff(from, target)
                : store.history().diff(document, from, target)));
    }

    private void createBackup(Context ctx) {
        ObjectNode body = ConsoleParams.body(ctx);
        String name = ConsoleParams.text(body, "name", true);
        String note = body.hasNonNull("note") ? ConsoleParams.text(body, "note", false) : "";
        int priority = body.hasNonNull("priority") ? ConsoleParams.integer(body, "priority") : 0;
        String document = body.hasNonNull("document") ? ConsoleParams.text(body, "document", false) : null;
        RestorePoint point = document == null || document.isEmpty() ? store.backups().create(name, priority, note)
                : store.backups().create(document, name, priority, note);
        ctx.status(201);
        rows(ctx, BackupCommand.rows(List.of(point)));
    }

    /**
     * Restores a point. The page sends the head revision its dry-run diff was made at; if a
     * document the restore changes changed since, the diff it showed is not what would happen,
     * so nothing is written (checked in the restore's transaction).
     */
    private void restore(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = ConsoleParams.body(ctx);
        WriteResult result = body.hasNonNull("expect_revision")
                ? store.backups().restore(name, ConsoleParams.revision(body, "expect_revision"))
                : store.backups().restore(name);
        json(ctx, object().put("revision", result.revision()).put("changed", result.changed())
                .put("keys_changed", result.keysChanged()));
    }

    private void deleteBackup(Context ctx) {
        String name = ctx.pathParam("name");
        store.backups().delete(name);
        json(ctx, object().put("deleted", name));
    }

    private void chart(Context ctx) {
        ctx.contentType("image/svg+xml").result(charts.render(ctx.pathParam("chart")));
    }

    @Override
    public void close() {
        events.close();
    }

    /** The live feed's handler (see {@link ConsoleEvents}). */
    void events(SseClient client) {
        events.open(client);
    }

    /** How many pages follow the store through the live feed now. */
    int following() {
        return events.following();
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static void rows(Context ctx, Rows rows) {
        json(ctx, rows.json());
    }

    private static void json(Context ctx, JsonNode node) {
        ctx.contentType("application/json").result(Render.json(node));
    }

    /** Parses a request body that must be one JSON object. */
    static ObjectNode parseObject(String text) {
        try {
            JsonNode node = SetCommand.PARSER.readTree(text);
            if (node == null || !node.isObject()) {
                throw new Refusal(400, "the request body must be one JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new Refusal(400, "the request body is not JSON: " + e.getOriginalMessage().replace('\n', ' '));
        }
    }
}
