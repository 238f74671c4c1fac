package dev.configstore.internal.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.DocumentInfo;
import dev.configstore.ErrorCode;
import dev.configstore.internal.db.SqlErrors;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.write.DocumentDamage;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.RevisionWriter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads at head, served from the write kernel's cache without touching the database. Keys and
 * document names an application reads over and over are checked once. Thread-safe.
 */
public final class HeadReads {

    /** Keys and names already checked are remembered up to this many. */
    private static final int CHECKED_LIMIT = 10_000;

    private final RevisionWriter writer;
    private final ConcurrentHashMap<String, String> canonicalKeys = new ConcurrentHashMap<>();
    private final Set<String> checkedNames = ConcurrentHashMap.newKeySet();

    public HeadReads(RevisionWriter writer) {
        this.writer = writer;
    }

    public Optional<JsonNode> find(String document, String key) {
        writer.ensureOpen();
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(key, "key");
        String name = checkedName(document);
        String path = canonicalKey(key);
        requireUndamaged(name);
        return writer.head().find(name, path);
    }

    public <T> Optional<T> find(String document, String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return find(document, key).map(value -> convert(document, key, value, type));
    }

    public Optional<Document> document(String name) {
        writer.ensureOpen();
        String document = DocumentNames.check(name);
        requireUndamaged(document);
        return writer.head().document(document);
    }

    public List<DocumentInfo> list() {
        writer.ensureOpen();
        return writer.head().list();
    }

    /** How many leaves a document (or, for null, every document) holds at head. */
    public long keyCount(String document) {
        return document == null ? writer.head().keyCount() : writer.head().keyCount(document);
    }

    /** Refuses to serve a document (or one it inherits from) whose rows do not match its checksum. */
    public void requireUndamaged(String document) {
        HeadCache.DocumentState damaged = writer.head().damageIn(document);
        if (damaged != null) {
            throw DocumentDamage.refused(damaged);
        }
    }

    private String canonicalKey(String key) {
        String canonical = canonicalKeys.get(key);
        if (canonical == null) {
            canonical = KeyPaths.canonical(key); // throws for a malformed key, which is never cached
            if (canonicalKeys.size() < CHECKED_LIMIT) {
                canonicalKeys.put(key, canonical);
            }
        }
        return canonical;
    }

    private String checkedName(String document) {
        if (!checkedNames.contains(document)) {
            DocumentNames.check(document);
            if (checkedNames.size() < CHECKED_LIMIT) {
                checkedNames.add(document);
            }
        }
        return document;
    }

    public static <T> T convert(String document, String key, JsonNode value, Class<T> type) {
        try {
            return Json.mapper().treeToValue(value, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            String shown = Json.shorten(value.toString());
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + key + "' of document '" + document
                    + "' holds " + shown + ", which cannot be read as " + type.getSimpleName() + ": "
                    + SqlErrors.firstLine(e.getMessage()), e);
        }
    }
}
