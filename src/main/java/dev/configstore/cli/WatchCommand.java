package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.history.KeyChange;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", description = "Print every change to KEY (and below; default the whole document) as it commits,"
        + " in revision order, one line per changed key, until stopped (SIGINT or SIGTERM: exit 0).")
final class WatchCommand extends StoreOptions implements Callable<Integer> {

    enum Format { json, text }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "the key to follow (default everything)")
    String key;

    @Option(names = "--profile", paramLabel = "P", description = "the document or profile, resolved (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--from-revision", paramLabel = "N", description = "also print every change committed after"
            + " revision N (the last one you handled); exit 3 if it was compacted")
    Long fromRevision;

    @Option(names = "--format", paramLabel = "F", description = "json (one object per line, default) or text")
    Format format = Format.json;

    @Option(names = "--max-events", paramLabel = "N", hidden = true, description = "stop after N events (for tests)")
    long maxEvents = Long.MAX_VALUE;

    @Override
    public Integer call() {
        if (fromRevision != null && fromRevision < 0) {
            throw new dev.configstore.ConfigStoreException(dev.configstore.ErrorCode.INVALID_INPUT,
                    "--from-revision must be 0 or more, was " + fromRevision);
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<ConfigStoreException> failure = new AtomicReference<>();
        PrintWriter out = spec.commandLine().getOut();
        WatchRequest request = new WatchRequest(profile, Optional.ofNullable(key).map(ConfigKey::parse),
                fromRevision == null ? WatchRequest.HEAD : fromRevision);
        long[] events = {0};
        try (Signals signals = Signals.onTermination(stop::countDown); ConfigStore store = openStore();
             Watch watch = store.watch(request, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                // one write per revision: a reader killed or stopped sees whole revisions (up to the pipe's atomic size)
                StringBuilder lines = new StringBuilder();
                for (KeyChange change : event.changes()) {
                    lines.append(format == Format.json ? Render.compact(line(event, change)) : text(event, change))
                            .append(System.lineSeparator());
                }
                out.print(lines);
                out.flush();
                if (++events[0] >= maxEvents || out.checkError()) {
                    stop.countDown(); // the reader went away (a closed pipe), or enough was printed
                }
            }

            @Override
            public void onFailure(ConfigStoreException e) {
                failure.set(e);
                stop.countDown();
            }
        })) {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return Main.OK;
    }

    /** One changed key as the documented JSON object; absent values are null (the kind tells which). */
    static ObjectNode line(WatchEvent event, KeyChange change) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("revision", event.revision());
        line.put("time", event.committedAt().toString());
        line.put("actor", event.actor());
        line.put("message", event.message().orElse(null));
        line.put("operation", event.operation());
        line.put("document", change.document());
        line.put("kind", change.kind().name());
        line.put("key", change.key().toString());
        line.set("old", change.oldValue().orElse(null));
        line.set("new", change.newValue().orElse(null));
        return line;
    }

    private static String text(WatchEvent event, KeyChange change) {
        return event.revision() + " " + event.committedAt() + " " + event.actor() + " " + change.kind() + " "
                + change.key() + " " + change.oldValue().map(Render::compact).orElse("-") + " -> "
                + change.newValue().map(Render::compact).orElse("-");
    }
}
