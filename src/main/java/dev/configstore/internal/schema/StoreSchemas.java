package dev.configstore.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SchemaBook;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.rows.SchemaRows;
import dev.configstore.internal.write.Edits;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.internal.write.Write;
import dev.configstore.schema.SchemaSetResult;
import dev.configstore.schema.SchemaViolation;
import dev.configstore.schema.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** JSON Schemas per document over the write path; the check itself runs in the writer. Thread-safe. */
public final class StoreSchemas implements Schemas {

    private final RevisionWriter writer;
    private final SchemaBook book;
    private final HeadCache cache;
    private final Function<String, String> texts;

    public StoreSchemas(RevisionWriter writer) {
        this.writer = writer;
        this.book = writer.schemas();
        this.cache = writer.head();
        this.texts = hash -> writer.database().read(context -> SchemaRows.text(context, hash));
    }

    @Override
    public SchemaSetResult set(String document, JsonNode schema, boolean force) {
        String name = DocumentNames.check(document);
        SchemaBook.Prepared prepared = book.prepare(schema);
        List<SchemaViolation> violations = new ArrayList<>();
        WriteResult result = writer.run(new Write("schema-set", name, null, -1, null), (context, head) -> {
            DocumentMeta meta = head.meta(name).orElseThrow(() -> notFound(name));
            SchemaRows.store(context, prepared.hash(), prepared.json());
            violations.clear();
            if (force) { // the writer skips the check; say what it would have found
                ObjectNode content = (ObjectNode) SecretBox.mask(Json.build(Inheritance.resolvedValues(
                        Inheritance.chain(name, head::source))));
                violations.addAll(book.validate(name, content, prepared.hash(), hash -> prepared.json()));
            }
            return new Edits(List.of(), Map.of(name, meta.withSchema(prepared.hash())), false,
                    force ? Set.of(name) : Set.of());
        });
        return new SchemaSetResult(result, violations);
    }

    @Override
    public Optional<JsonNode> get(String document) {
        String name = DocumentNames.check(document);
        writer.ensureOpen();
        DocumentMeta meta = cache.meta(name).orElseThrow(() -> notFound(name));
        return Optional.ofNullable(meta.schema()).map(hash -> SchemaBook.parse(texts.apply(hash)));
    }

    @Override
    public WriteResult remove(String document) {
        String name = DocumentNames.check(document);
        return writer.run(new Write("schema-remove", name, null, -1, null), (context, head) ->
                new Edits(List.of(), Map.of(name, head.meta(name).orElseThrow(() -> notFound(name)).withSchema(null))));
    }

    @Override
    public List<SchemaViolation> validate(String document) {
        String name = DocumentNames.check(document);
        List<Inheritance.Source> chain = chainOf(name);
        return check(name, chain);
    }

    @Override
    public List<SchemaViolation> validate(String document, ObjectNode content) {
        Objects.requireNonNull(content, "content");
        String name = DocumentNames.check(document);
        List<Inheritance.Source> chain = new ArrayList<>(chainOf(name));
        Inheritance.Source own = chain.get(0);
        chain.set(0, new Inheritance.Source(name, 0, own.meta(), Inheritance.fromTree(name, content).leaves()));
        return check(name, chain);
    }

    @Override
    public ObjectNode withDefaults(String document, ObjectNode tree) {
        Objects.requireNonNull(tree, "tree");
        return get(document).map(schema -> SchemaBook.withDefaults(schema, tree)).orElseGet(tree::deepCopy);
    }

    private List<Inheritance.Source> chainOf(String name) {
        writer.ensureOpen();
        List<Inheritance.Source> chain = cache.chain(name);
        if (chain.isEmpty()) {
            throw notFound(name);
        }
        return chain;
    }

    private List<SchemaViolation> check(String name, List<Inheritance.Source> chain) {
        String hash = chain.get(0).meta().schema();
        if (hash == null) {
            return List.of();
        }
        return book.validate(name, (ObjectNode) SecretBox.mask(Json.build(Inheritance.resolvedValues(chain))), hash, texts);
    }

    private static ConfigStoreException notFound(String document) {
        return new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + document + "' does not exist");
    }
}
