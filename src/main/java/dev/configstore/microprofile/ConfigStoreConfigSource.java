package dev.configstore.microprofile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.history.KeyChange;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Serves one document (or profile, resolved) of a store as MicroProfile Config properties, and
 * stays current: a watch applies every revision, and the properties are replaced whole per
 * revision, so a reader never sees part of one.
 *
 * <p>Property names are the store's keys in dotted form ({@code vision.camera.fps}). Values:
 * strings as they are, numbers and booleans as their JSON text, arrays in MicroProfile's list
 * form (elements joined by commas, a comma inside an element escaped as {@code \,}; nested
 * objects or arrays as JSON text; an empty array is the empty string, which MicroProfile reads
 * as a missing property); a JSON null and an empty object are no property. If the watch stops
 * (its history was compacted while it lagged, or the store failed), the failure is logged and the
 * last properties stay.
 *
 * <p>Register it with the config builder of your MicroProfile implementation, for example
 * {@code new SmallRyeConfigBuilder().withSources(ConfigStoreConfigSource.of(store)).build()};
 * close it (or the store) to stop following. Thread-safe.
 */
public final class ConfigStoreConfigSource implements ConfigSource, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigStoreConfigSource.class);

    private final String document;
    private final int ordinal;
    private final Watch watch;
    private volatile Map<String, String> properties;

    private ConfigStoreConfigSource(ConfigStore store, String document, int ordinal) {
        this.document = document;
        this.ordinal = ordinal;
        long revision = store.revision();
        Map<String, String> initial = new HashMap<>();
        store.document(document, revision).ifPresent(found -> flatten(new ArrayList<>(), found.tree(), initial));
        this.properties = Collections.unmodifiableMap(initial);
        // after the properties are set: the watch's first event may come at once, on its own thread
        this.watch = store.watch(WatchRequest.everything().in(document).after(revision), new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                apply(event);
            }

            @Override
            public void onFailure(ConfigStoreException failure) {
                LOG.warn("configstore:{} stopped following the store; its properties stay as of revision {}",
                        document, position(), failure);
            }
        });
    }

    /**
     * Serves the main document with MicroProfile's default ordinal for custom sources (100).
     *
     * @param store the store, open; the source follows it until either is closed
     * @return the source
     */
    public static ConfigStoreConfigSource of(ConfigStore store) {
        return of(store, ConfigStore.MAIN_DOCUMENT, ConfigSource.DEFAULT_ORDINAL);
    }

    /**
     * Serves a document or profile (resolved) with an ordinal.
     *
     * @param store the store, open
     * @param document the document or profile
     * @param ordinal the source's ordinal: higher wins over other sources
     * @return the source
     * @throws ConfigStoreException with {@link ErrorCode#NOT_FOUND} if there is no such document
     */
    public static ConfigStoreConfigSource of(ConfigStore store, String document, int ordinal) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(document, "document");
        return new ConfigStoreConfigSource(store, document, ordinal);
    }

    private void apply(WatchEvent event) {
        Map<String, String> next = new HashMap<>(properties);
        for (KeyChange change : event.changes()) {
            String name = change.key().toString();
            next.remove(name);
            change.newValue().ifPresent(value -> put(name, value, next));
        }
        properties = Collections.unmodifiableMap(next);
    }

    private static void flatten(List<String> path, JsonNode node, Map<String, String> into) {
        if (node.isObject() && node.size() > 0) {
            node.fields().forEachRemaining(field -> {
                path.add(field.getKey());
                flatten(path, field.getValue(), into);
                path.remove(path.size() - 1);
            });
        } else if (!path.isEmpty()) {
            put(new ConfigKey(path).toString(), node, into);
        }
    }

    private static void put(String name, JsonNode value, Map<String, String> into) {
        String text = text(value);
        if (text != null) {
            into.put(name, text);
        }
    }

    /** The property value of a leaf, or null for no property. */
    static String text(JsonNode value) {
        if (value.isNull() || value.isObject()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            List<String> elements = new ArrayList<>();
            for (JsonNode element : value) {
                String text = element.isContainerNode() ? element.toString() : element.isNull() ? "" : text(element);
                elements.add(text.replace("\\", "\\\\").replace(",", "\\,"));
            }
            return String.join(",", elements);
        }
        return value.toString(); // numbers exactly as stored, booleans
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "configstore:" + document;
    }

    @Override
    public int getOrdinal() {
        return ordinal;
    }

    /** Stops following the store; the last properties stay. */
    @Override
    public void close() {
        watch.close();
    }

    /** The revision the properties were last brought to. */
    long position() {
        return watch.position();
    }
}
