package dev.configstore.internal.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentWrite;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.document.Leaf;
import dev.configstore.internal.document.LeafWrite;
import dev.configstore.internal.document.SchemaBook;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.schema.SchemaViolation;
import dev.configstore.schema.SchemaViolationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The schema rule of the write path: after a write is planned and before it commits, every
 * document that has a schema and whose resolved content the write changes (it is written, or
 * it extends a written document) is validated against its schema. A document known valid at
 * head under a schema whose root judges each top-level key alone is checked on the top-level
 * keys the write changes; otherwise the whole resolved document is. A write that touches no
 * document with a schema costs one pass over the documents' metadata.
 */
final class SchemaCheck {

    /** Above this many changed top-level keys the whole document is checked: it is about as cheap. */
    private static final int MAX_LOCAL_KEYS = 256;

    private SchemaCheck() {
    }

    /**
     * Throws a {@link SchemaViolationException} listing every violation, or returns. The cache
     * is at the head the plan was made against and does not move meanwhile (the caller holds
     * the writers' turn). {@code unchecked} documents are skipped (a schema set with force).
     * Returns the documents found valid, each with its schema's hash: the caller remembers them
     * ({@link SchemaBook#rememberValid}) once the write committed, and not before, since an
     * attempt that fails (another process took its revision number) must not vouch for it.
     */
    static Map<String, String> check(HeadCache cache, List<DocumentWrite> writes, Set<String> unchecked,
                                     SchemaBook book, Function<String, String> texts) {
        Map<String, DocumentWrite> written = new HashMap<>();
        writes.forEach(write -> written.put(write.document(), write));
        Map<String, DocumentMeta> after = new TreeMap<>(cache.metas());
        for (DocumentWrite write : writes) {
            if (write.exists()) {
                after.put(write.document(), write.meta());
            } else {
                after.remove(write.document());
            }
        }
        Map<String, String> valid = new TreeMap<>();
        if (after.values().stream().allMatch(meta -> meta.schema() == null)) {
            return valid;
        }
        Function<String, Inheritance.Source> lookup = name -> {
            DocumentWrite write = written.get(name);
            return write == null ? cache.source(name) : sourceAfter(cache.source(name), write);
        };
        Map<String, DocumentWrite> visible = new HashMap<>(); // what readers (and the schema) see changes
        written.forEach((name, write) -> {
            if (visiblyChanged(cache, write)) {
                visible.put(name, write);
            }
        });
        List<SchemaViolation> violations = new ArrayList<>();
        after.forEach((document, meta) -> {
            if (meta.schema() == null || unchecked.contains(document) || !touches(document, after, visible)) {
                return;
            }
            List<Inheritance.Source> before = Inheritance.chain(document, cache::source);
            Set<String> tops = localTops(meta.schema(), document, before, written, book, texts);
            List<SchemaViolation> found = tops != null
                    ? book.validateKeys(document, masked(partial(before, written, tops)), tops, meta.schema(), texts)
                    : book.validate(document, masked(Json.build(Inheritance.resolvedValues(
                            Inheritance.chain(document, lookup)))), meta.schema(), texts);
            if (found.isEmpty()) {
                valid.put(document, meta.schema());
            }
            violations.addAll(found);
        });
        if (!violations.isEmpty()) {
            throw new SchemaViolationException(violations);
        }
        return valid;
    }

    /**
     * The top-level keys the write changes in the document's resolved content, when checking
     * those alone gives the whole document's verdict: the schema is local, the document was
     * valid against it at head ({@code before} is its chain there), and the write changes no
     * metadata along the chain. Otherwise null: the whole document is checked.
     */
    private static Set<String> localTops(String hash, String document, List<Inheritance.Source> before,
                                         Map<String, DocumentWrite> written, SchemaBook book,
                                         Function<String, String> texts) {
        if (before.isEmpty() || !book.isLocal(hash, texts)
                || !book.knownValid(document, hash, Inheritance.lastChanged(before))) {
            return null;
        }
        Set<String> tops = new TreeSet<>();
        for (Inheritance.Source source : before) {
            DocumentWrite write = written.get(source.name());
            if (write == null) {
                continue;
            }
            if (!write.exists() || !source.meta().equals(write.meta())) {
                return null;
            }
            for (LeafWrite leaf : write.leaves()) {
                tops.add(SchemaBook.topOf(leaf.path()));
            }
            if (tops.size() > MAX_LOCAL_KEYS) {
                return null;
            }
        }
        return tops;
    }

    /**
     * The resolved values under the given top-level keys after the write, as a tree: the chain
     * at head cut down to those subtrees, with the write's leaf changes laid on. The work is
     * proportional to the subtrees, not to the documents.
     */
    private static ObjectNode partial(List<Inheritance.Source> before, Map<String, DocumentWrite> written,
                                      Set<String> tops) {
        List<Inheritance.Source> cut = new ArrayList<>();
        for (Inheritance.Source source : before) {
            TreeMap<String, Leaf> leaves = new TreeMap<>();
            for (String top : tops) {
                Leaf own = source.leaves().get(top);
                if (own != null) {
                    leaves.put(top, own);
                }
                leaves.putAll(source.leaves().subMap(KeyPaths.descendantsFrom(top), KeyPaths.descendantsTo(top)));
            }
            DocumentWrite write = written.get(source.name());
            cut.add(write == null ? new Inheritance.Source(source.name(), 0, source.meta(), leaves)
                    : sourceAfter(new Inheritance.Source(source.name(), 0, source.meta(), leaves), write));
        }
        return Json.build(Inheritance.resolvedValues(cut));
    }

    /** A secret is checked as what every reader sees: its mask, a string. */
    private static ObjectNode masked(ObjectNode tree) {
        return (ObjectNode) SecretBox.mask(tree);
    }

    /**
     * Whether a document's write changes what a reader sees: its metadata or existence, or a
     * value other than a secret encrypted again as a secret (a rotation, a rename's re-binding).
     */
    private static boolean visiblyChanged(HeadCache cache, DocumentWrite write) {
        if (!write.exists() || !cache.meta(write.document()).map(write.meta()::equals).orElse(false)) {
            return true;
        }
        for (LeafWrite leaf : write.leaves()) {
            if (leaf.oldLeaf() == null || !SecretBox.isSecret(leaf.oldLeaf().value())
                    || !SecretBox.isSecret(leaf.newValue())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the write changes the document or any document up its chain. */
    private static boolean touches(String document, Map<String, DocumentMeta> after, Map<String, DocumentWrite> written) {
        String next = document;
        for (int hops = 0; next != null && hops <= after.size(); hops++) {
            if (written.containsKey(next)) {
                return true;
            }
            DocumentMeta meta = after.get(next);
            next = meta == null ? null : meta.parent();
        }
        return false;
    }

    /** A document as the write leaves it: its leaves at head with the write's leaf changes. */
    private static Inheritance.Source sourceAfter(Inheritance.Source before, DocumentWrite write) {
        if (!write.exists()) {
            return null;
        }
        TreeMap<String, Leaf> leaves = before == null ? new TreeMap<>() : new TreeMap<>(before.leaves());
        for (LeafWrite leaf : write.leaves()) {
            if (leaf.newValue() == null) {
                leaves.remove(leaf.path());
            } else {
                leaves.put(leaf.path(), new Leaf(leaf.newValue(), leaf.newJson(), 0));
            }
        }
        return new Inheritance.Source(write.document(), 0, write.meta(), leaves);
    }
}
