package dev.configstore.internal.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.Batch;
import dev.configstore.Change;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Changes collected by the caller and committed as one revision through the write kernel. Not thread-safe. */
public final class StoreBatch implements Batch {

    private final RevisionWriter writer;
    private final List<Change> changes = new ArrayList<>();
    private long expectedRevision = -1;
    private String message;
    private boolean committed;

    public StoreBatch(RevisionWriter writer) {
        this.writer = writer;
    }

    @Override
    public Batch set(String document, String key, Object value) {
        return add(new Change.Set(DocumentNames.check(document), ConfigKey.parse(key), Json.toTree(value)));
    }

    @Override
    public Batch setSecret(String document, String key, Object value) {
        String name = DocumentNames.check(document);
        ConfigKey parsed = ConfigKey.parse(key);
        return add(new Change.Set(name, parsed, dev.configstore.internal.document.SecretBox.seal(writer.keyring().keys(),
                name, parsed.toString(), Json.toTree(value))));
    }

    @Override
    public Batch unset(String document, String key) {
        return add(new Change.Unset(DocumentNames.check(document), ConfigKey.parse(key)));
    }

    @Override
    public Batch replace(String document, Object tree) {
        JsonNode node = Json.toTree(tree);
        if (!node.isObject()) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a document must be a JSON object, got "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return add(new Change.Replace(DocumentNames.check(document), (ObjectNode) node));
    }

    @Override
    public Batch delete(String document) {
        return add(new Change.Delete(DocumentNames.check(document)));
    }

    @Override
    public Batch add(Change change) {
        Objects.requireNonNull(change, "change");
        DocumentNames.check(change.document());
        changes.add(change);
        return this;
    }

    @Override
    public Batch expectRevision(long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException("expected revision must be >= 0, was " + revision);
        }
        this.expectedRevision = revision;
        return this;
    }

    @Override
    public Batch message(String message) {
        Objects.requireNonNull(message, "message");
        if (message.length() > 2000) {
            throw new IllegalArgumentException("message must be at most 2000 characters, was " + message.length());
        }
        this.message = message;
        return this;
    }

    @Override
    public WriteResult commit() {
        if (committed) {
            throw new IllegalStateException("this batch was already committed; start a new one");
        }
        if (changes.isEmpty()) {
            throw new IllegalStateException("the batch has no changes");
        }
        committed = true;
        return writer.commit(List.copyOf(changes), expectedRevision, message, operationName());
    }

    private String operationName() {
        if (changes.size() > 1) {
            return "batch";
        }
        Change change = changes.get(0);
        if (change instanceof Change.Set) {
            return "set";
        } else if (change instanceof Change.Unset) {
            return "unset";
        } else if (change instanceof Change.Replace) {
            return "replace";
        }
        return "delete";
    }
}
