package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.history.KeyChange;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The console's live feed ({@code /api/events}): one watch per open page, closed when the page
 * goes. A page that went away is noticed only when something is written to it, so each stream
 * gets a comment every {@code ping} (10 seconds for the command).
 */
final class ConsoleEvents implements AutoCloseable {

    private final ConfigStore store;
    private final Duration ping;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "configstore-console-ping");
        thread.setDaemon(true);
        return thread;
    });

    ConsoleEvents(ConfigStore store, Duration ping) {
        this.store = store;
        this.ping = ping;
    }

    /**
     * The live feed: server-sent events fed by a watch of one document, one event per revision
     * (its id the revision) whose data is the {@code watch --format json} lines of that revision,
     * as a JSON array. A browser that reconnects sends the last id it had ({@code Last-Event-ID}),
     * and the watch starts after it, so nothing committed meanwhile is missed.
     */
    void open(SseClient client) {
        Context ctx = client.ctx();
        String document = Optional.ofNullable(ConsoleParams.given(ctx, "document")).orElse(ConfigStore.MAIN_DOCUMENT);
        Watch watch;
        try {
            Long from = ConsoleParams.revision(ctx, "from");
            String lastSeen = ctx.header("Last-Event-ID");
            if (from == null && lastSeen != null && lastSeen.matches("[0-9]{1,18}")) {
                from = Long.parseLong(lastSeen);
            }
            watch = store.watch(new WatchRequest(document, Optional.empty(), from == null ? WatchRequest.HEAD : from),
                    listener(client));
        } catch (RuntimeException e) { // the stream has begun: the refusal is its only event
            client.sendEvent("failure", Render.compact(ConsoleApi.object().put("error",
                    String.valueOf(e.getMessage()))));
            client.close();
            return;
        }
        client.keepAlive();
        watches.add(watch);
        // a closed page is noticed only when something is written to it
        var pinging = pings.scheduleWithFixedDelay(() -> {
            synchronized (client) {
                if (!client.terminated()) {
                    client.sendComment("ping");
                }
            }
        }, ping.toMillis(), ping.toMillis(), TimeUnit.MILLISECONDS);
        client.onClose(() -> { // one callback: a second onClose would replace the first
            pinging.cancel(false);
            watches.remove(watch);
            watch.close();
        });
        synchronized (client) {
            client.sendEvent("ready", Render.compact(ConsoleApi.object().put("revision", store.revision())));
        }
    }

    /** How many pages follow the store now (each has its watch). */
    int following() {
        return watches.size();
    }

    private static WatchListener listener(SseClient client) {
        return new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                ArrayNode lines = JsonNodeFactory.instance.arrayNode();
                for (KeyChange change : event.changes()) {
                    lines.add(WatchCommand.line(event, change));
                }
                synchronized (client) {
                    if (!client.terminated()) {
                        client.sendEvent("revision", Render.compact(lines), String.valueOf(event.revision()));
                    }
                }
            }

            @Override
            public void onFailure(ConfigStoreException e) {
                synchronized (client) {
                    if (!client.terminated()) {
                        client.sendEvent("failure", Render.compact(ConsoleApi.object().put("error", e.getMessage())));
                        client.close();
                    }
                }
            }
        };
    }

    @Override
    public void close() {
        pings.shutdownNow();
        watches.forEach(Watch::close);
    }
}
