package dev.configstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.KeyChange;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * The console's routes: the page, its two assets, and a JSON API whose answers are the CLI's
 * {@code --format json} output for the same question (the same {@link Rows} and JSON objects),
 * so a script can use either. Writes ({@link ConsoleWrites}) go through the store's own
 * validation, the CLI's rules for typed values, the document's schema and compare-and-set, as the
 * CLI's do.
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
    private final ConsoleWrites writes;

    ConsoleApi(ConfigStore store, boolean readOnly, String csrf, java.time.Duration ping) {
        this.store = store;
        this.readOnly = readOnly;
        this.csrf = csrf;
        this.charts = new ConsoleCharts(store);
        this.events = new ConsoleEvents(store, ping);
        this.writes = new ConsoleWrites(store);
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
                route(HandlerType.PUT, "/api/documents/{name}/value", writes::set, true),
                route(HandlerType.DELETE, "/api/documents/{name}/value", writes::unset, true),
                route(HandlerType.GET, "/api/history", this::history, false),
                route(HandlerType.GET, "/api/history/keys", this::keysChanged, false),
                route(HandlerType.GET, "/api/operations", ctx -> rows(ctx, HistoryCommand.operations(store,
                        HistoryQuery.newest(ConsoleParams.limit(ctx, 50)))), false),
                route(HandlerType.GET, "/api/diff", this::diff, false),
                route(HandlerType.GET, "/api/backups", ctx -> rows(ctx, BackupCommand.rows(store.backups().list())),
                        false),
                route(HandlerType.POST, "/api/backups", writes::createBackup, true),
                route(HandlerType.GET, "/api/backups/{name}/preview", ctx -> rows(ctx,
                        DiffCommand.rows(store.backups().preview(ctx.pathParam("name")))), false),
                route(HandlerType.POST, "/api/backups/{name}/restore", writes::restore, true),
                route(HandlerType.DELETE, "/api/backups/{name}", writes::deleteBackup, true),
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
        Document document = ShowCommand.document(store, ctx.pathParam("name"), ConsoleParams.revision(ctx, "revision"),
                ConsoleParams.flag(ctx, "raw"));
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
        json(ctx, GetCommand.value(store, ctx.pathParam("name"), ConsoleParams.required(ctx, "key"),
                ConsoleParams.revision(ctx, "revision")));
    }

    /** Revisions ({@code history --format json}), or one key's changes with {@code key}. */
    private void history(Context ctx) {
        HistoryQuery query = HistoryCommand.query(ConsoleParams.limit(ctx, 50), "", ConsoleParams.given(ctx, "since"),
                ConsoleParams.given(ctx, "until"), ConsoleParams.given(ctx, "actor"),
                ConsoleParams.given(ctx, "operation"), ConsoleParams.revision(ctx, "before"));
        String key = ConsoleParams.given(ctx, "key");
        String document = ConsoleParams.given(ctx, "document");
        if (key == null && document != null) {
            throw new Refusal(400, "'document' chooses whose key 'key' is; the revisions list is of the whole store");
        }
        rows(ctx, key == null ? HistoryCommand.revisions(store, query) : HistoryCommand.ofKey(store,
                document == null ? ConfigStore.MAIN_DOCUMENT : document, key, query));
    }

    /**
     * For the timeline, the keys each revision in {@code (from, to]} changed (what
     * {@code diff R-1 R} lists): per revision, how many and the first 20 as {@code document:key}.
     * At most {@link #MAX_PAGE} revisions at a time; a revision whose predecessor was compacted
     * away is left out.
     */
    private void keysChanged(Context ctx) {
        Long from = ConsoleParams.revision(ctx, "from");
        Long to = ConsoleParams.revision(ctx, "to");
        if (from == null || to == null || to < from || to - from > MAX_PAGE) {
            throw new Refusal(400, "keys changed needs 'from' and 'to', revision numbers at most " + MAX_PAGE
                    + " apart with from <= to");
        }
        long head = store.refresh();
        if (to > head) {
            throw new Refusal(404, "revision " + to + " does not exist; the head revision is " + head);
        }
        ArrayNode revisions = JsonNodeFactory.instance.arrayNode();
        for (long revision = to; revision > from && revision >= 1; revision--) {
            List<KeyChange> changes;
            try {
                changes = store.history().diff(revision - 1, revision).changes();
            } catch (ConfigStoreException compacted) {
                if (compacted.code() == ErrorCode.NOT_FOUND) {
                    continue;
                }
                throw compacted;
            }
            ArrayNode keys = JsonNodeFactory.instance.arrayNode();
            changes.stream().limit(20).forEach(change -> keys.add(change.document() + ":" + change.key()));
            revisions.addObject().put("revision", revision).put("keys_changed", changes.size()).set("keys", keys);
        }
        json(ctx, revisions);
    }

    /** {@code diff FROM TO [--profile D] --format json}; {@code to} defaults to the head. */
    private void diff(Context ctx) {
        Long from = ConsoleParams.revision(ctx, "from");
        if (from == null) {
            throw new Refusal(400, "diff needs 'from', a revision number");
        }
        Long to = ConsoleParams.revision(ctx, "to");
        long target = to == null ? store.refresh() : to;
        String document = ConsoleParams.given(ctx, "document");
        rows(ctx, DiffCommand.rows(document == null ? store.history().diff(from, target)
                : store.history().diff(document, from, target)));
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

    static void rows(Context ctx, Rows rows) {
        json(ctx, rows.json());
    }

    static void json(Context ctx, JsonNode node) {
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
