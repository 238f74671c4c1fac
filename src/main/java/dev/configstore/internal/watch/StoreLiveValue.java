package dev.configstore.internal.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.read.HeadReads;
import dev.configstore.watch.LiveValue;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchListener;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live value: the resolved leaves of one subtree, kept current by a watch's events (which
 * carry every resolved change inside the subtree), converted once per revision and published
 * whole. Readers read one immutable snapshot, so they never see half of a revision.
 */
final class StoreLiveValue<T> implements LiveValue<T>, WatchListener {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLiveValue.class);

    private record Snapshot<T>(T value, long revision) {
    }

    private final String document;
    private final String key;
    private final Class<T> type;
    private final BiConsumer<String, Throwable> failures;
    /** The subtree's resolved leaves by stored key; only the watch's run touches it. */
    private final TreeMap<String, JsonNode> leaves;
    private final AtomicReference<Snapshot<T>> current;
    private final List<Listener<T>> listeners = new CopyOnWriteArrayList<>();
    private volatile Watch watch;

    private StoreLiveValue(String document, String key, Class<T> type, TreeMap<String, JsonNode> leaves, T value,
                           long revision, BiConsumer<String, Throwable> failures) {
        this.document = document;
        this.key = key;
        this.type = type;
        this.leaves = leaves;
        this.failures = failures;
        this.current = new AtomicReference<>(new Snapshot<>(value, revision));
    }

    /**
     * Converts the value the subtree has at {@code revision}.
     *
     * @throws ConfigStoreException NOT_FOUND if the key is absent, INVALID_INPUT if its value does
     *     not convert to the type
     */
    static <T> StoreLiveValue<T> create(String document, String key, Class<T> type, long revision,
                                        Map<String, Inheritance.Supplied> resolved, BiConsumer<String, Throwable> failures) {
        TreeMap<String, JsonNode> leaves = new TreeMap<>();
        resolved.forEach((path, supplied) -> leaves.put(path, SecretBox.mask(supplied.leaf().value())));
        T value = convert(document, key, type, leaves);
        return new StoreLiveValue<>(document, key, type, leaves, value, revision, failures);
    }

    void watching(Watch watch) {
        this.watch = watch;
    }

    private static <T> T convert(String document, String key, Class<T> type, TreeMap<String, JsonNode> leaves) {
        JsonNode value = Inheritance.valueAt(leaves, key, leaf -> leaf).orElseThrow(() -> new ConfigStoreException(
                ErrorCode.NOT_FOUND, "key '" + key + "' of document '" + document + "' is absent, so it cannot be read"
                + " as " + type.getSimpleName()));
        return HeadReads.convert(document, key, value, type);
    }

    @Override
    public void onEvent(WatchEvent event) {
        for (KeyChange change : event.changes()) {
            String path = change.key().toString();
            if (change.newValue().isPresent()) {
                leaves.put(path, change.newValue().get());
            } else {
                leaves.remove(path);
            }
        }
        T value;
        try {
            value = convert(document, key, type, leaves);
        } catch (ConfigStoreException e) {
            failures.accept("live-value-conversion", e);
            for (Listener<T> listener : listeners) {
                try {
                    listener.rejected(e, event.revision());
                } catch (RuntimeException | Error thrown) {
                    listenerThrew(thrown, event.revision());
                }
            }
            return;
        }
        Snapshot<T> old = current.getAndSet(new Snapshot<>(value, event.revision()));
        for (Listener<T> listener : listeners) {
            try {
                listener.changed(old.value(), value, event.revision());
            } catch (RuntimeException | Error thrown) {
                listenerThrew(thrown, event.revision());
            }
        }
    }

    private void listenerThrew(Throwable thrown, long revision) {
        LOG.warn("a live value listener of '{}:{}' threw at revision {}", document, key, revision, thrown);
        failures.accept("live-value", thrown);
    }

    @Override
    public T get() {
        return current.get().value();
    }

    @Override
    public long revision() {
        return current.get().revision();
    }

    @Override
    public LiveValue<T> onChange(Listener<T> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    @Override
    public void close() {
        Watch running = watch;
        if (running != null) {
            running.close();
        }
    }
}
