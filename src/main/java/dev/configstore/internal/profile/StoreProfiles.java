package dev.configstore.internal.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.Change;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance.Source;
import dev.configstore.internal.document.Inheritance.Supplied;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.Leaf;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.read.HeadReads;
import dev.configstore.internal.read.RevisionReads;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.AutomaticPoint;
import dev.configstore.internal.write.Edits;
import dev.configstore.internal.write.Write;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.profile.Profile;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.profile.Profiles;
import dev.configstore.profile.ResolvedKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Profiles over the head cache and the write path. Thread-safe. */
public final class StoreProfiles implements Profiles {

    private static final String MAIN = ConfigStore.MAIN_DOCUMENT;

    private final RevisionWriter writer;
    private final HeadReads head;
    private final StoreDatabase database;
    private final HeadCache cache;

    public StoreProfiles(RevisionWriter writer, HeadReads head) {
        this.writer = writer;
        this.head = head;
        this.database = writer.database();
        this.cache = writer.head();
    }

    @Override
    public WriteResult create(ProfileDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        String name = profileName(definition.name());
        String parent = definition.parent().map(DocumentNames::check).orElse(null);
        DocumentMeta meta = DocumentMeta.of(parent, definition.description(), definition.tags());
        return writer.run(new Write("profile-create", name, null, -1, null), (context, head) -> {
            if (head.meta(name).isPresent()) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "profile '" + name + "' already exists");
            }
            return new Edits(List.of(new Change.Replace(name, Json.mapper().createObjectNode())), Map.of(name, meta));
        });
    }

    @Override
    public List<Profile> list() {
        return cache.profiles();
    }

    @Override
    public Optional<Profile> find(String name) {
        return cache.profile(DocumentNames.check(name)); // current too: it is a document like any other
    }

    @Override
    public Optional<Document> raw(String name) {
        String document = DocumentNames.check(name);
        head.requireUndamaged(document);
        return cache.rawDocument(document);
    }

    @Override
    public Optional<Document> raw(String name, long revision) {
        String document = DocumentNames.check(name);
        return database.read(context -> {
            RevisionReads.checkRevision(context, revision);
            Source source = StoreRows.sourceAt(context, document, revision);
            RevisionReads.checkRevision(context, revision); // a compaction may have removed the rows meanwhile
            if (source == null) {
                return Optional.empty();
            }
            return Optional.of(new Document(document, revision, source.lastChanged(),
                    (ObjectNode) SecretBox.mask(Json.build(values(source)))));
        });
    }

    @Override
    public List<ResolvedKey> explain(String name) {
        String document = DocumentNames.check(name);
        List<Source> chain = cache.chain(document);
        if (chain.isEmpty()) {
            throw notFound(document);
        }
        List<ResolvedKey> keys = new ArrayList<>();
        Inheritance.resolve(chain, null).forEach((path, supplied) -> keys.add(new ResolvedKey(ConfigKey.parse(path),
                SecretBox.mask(supplied.leaf().value()), supplied.document(), supplied.leaf().since())));
        return keys;
    }

    @Override
    public WriteResult setParent(String name, String parent) {
        String document = DocumentNames.check(name);
        String newParent = DocumentNames.check(parent);
        return writer.run(new Write("profile-set-parent", document, null, -1, null), (context, head) ->
                new Edits(List.of(), Map.of(document, existing(head, document).withParent(newParent))));
    }

    @Override
    public WriteResult clearParent(String name) {
        String document = DocumentNames.check(name);
        return writer.run(new Write("profile-set-parent", document, null, -1, null), (context, head) ->
                new Edits(List.of(), Map.of(document, existing(head, document).withParent(null))));
    }

    @Override
    public WriteResult describe(String name, String description, List<String> tags) {
        String document = DocumentNames.check(name);
        return writer.run(new Write("profile-describe", document, null, -1, null), (context, head) -> {
            DocumentMeta meta = existing(head, document);
            return new Edits(List.of(), Map.of(document,
                    DocumentMeta.of(meta.parent(), description, tags).withSchema(meta.schema())
                            .withSecretPatterns(meta.secretPatterns())));
        });
    }

    @Override
    public WriteResult rename(String from, String to) {
        String source = DocumentNames.check(from);
        String target = DocumentNames.check(to);
        if (source.equals(MAIN) || target.equals(MAIN)) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "'" + MAIN + "' is the main document; it cannot"
                    + " be renamed and no profile can take its name");
        }
        return writer.run(new Write("profile-rename", source, "rename '" + source + "' to '" + target + "'", -1, null),
                (context, head) -> {
                    DocumentMeta meta = existing(head, source);
                    if (head.meta(target).isPresent()) {
                        throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "cannot rename '" + source + "' to '"
                                + target + "': a document named '" + target + "' already exists");
                    }
                    // its own leaves as stored: a secret is encrypted again for its new document
                    List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>();
                    head.source(source).leaves().forEach((path, leaf) -> leaves.add(Map.entry(path,
                            SecretBox.rebind(writer.keyring(), source, target, path, leaf.value()))));
                    Map<String, DocumentMeta> metas = new HashMap<>();
                    metas.put(target, meta);
                    head.metas().forEach((document, other) -> {
                        if (source.equals(other.parent())) {
                            metas.put(document, other.withParent(target));
                        }
                    });
                    return new Edits(List.of(new Change.Replace(target, Json.build(leaves)), new Change.Delete(source)),
                            metas, true);
                });
    }

    @Override
    public WriteResult delete(String name) {
        String document = profileName(name);
        return writer.run(new Write("profile-delete", document, null, -1, new AutomaticPoint(document)), (context, head) -> {
            existing(head, document);
            return new Edits(List.of(new Change.Delete(document)), Map.of());
        });
    }

    @Override
    public WriteResult apply(String name, dev.configstore.profile.ApplyMode mode) {
        java.util.Objects.requireNonNull(mode, "mode");
        boolean replace = mode == dev.configstore.profile.ApplyMode.REPLACE;
        String profile = profileName(name);
        return writer.run(new Write(replace ? "apply-replace" : "apply", MAIN, "apply profile '" + profile + "'"
                        + (replace ? " (replace)" : ""), -1, new AutomaticPoint(MAIN)),
                (context, head) -> {
                    List<Source> chain = head.chain(profile);
                    if (chain.isEmpty()) {
                        throw notFound(profile);
                    }
                    TreeMap<String, Supplied> resolved = new TreeMap<>();
                    Inheritance.resolve(chain, null).forEach((path, supplied) -> resolved.put(path, new Supplied(
                            new Leaf(SecretBox.rebind(writer.keyring(), supplied.document(), MAIN, path,
                                    supplied.leaf().value()), supplied.leaf().json(), supplied.leaf().since()),
                            MAIN))); // a secret the profile supplies is encrypted again for the main document
                    if (replace) {
                        return new Edits(List.of(new Change.Replace(MAIN, Json.build(Inheritance.values(resolved)))),
                                Map.of(), true);
                    }
                    // the resolved profile laid over the main document's own content, the profile winning
                    TreeMap<String, Leaf> profileLeaves = new TreeMap<>();
                    resolved.forEach((path, supplied) -> profileLeaves.put(path, supplied.leaf()));
                    List<Source> main = head.chain(MAIN);
                    ObjectNode merged = Inheritance.merge(new Source(profile, 0, DocumentMeta.NONE, profileLeaves),
                            main.isEmpty() ? null : main.get(0)); // its own content: what it inherits stays inherited
                    return new Edits(List.of(new Change.Replace(MAIN, merged)), Map.of(), true);
                });
    }

    private static List<Map.Entry<String, JsonNode>> values(Source source) {
        List<Map.Entry<String, JsonNode>> values = new ArrayList<>();
        source.leaves().forEach((path, leaf) -> values.add(Map.entry(path, leaf.value())));
        return values;
    }

    /** A profile name: a valid document name other than the main document's. */
    private static String profileName(String name) {
        String checked = DocumentNames.check(name);
        if (checked.equals(MAIN)) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "'" + MAIN + "' is the main document, not a"
                    + " profile; it cannot be created, deleted or applied as one");
        }
        return checked;
    }

    private static DocumentMeta existing(HeadCache head, String document) {
        return head.meta(document).orElseThrow(() -> notFound(document));
    }

    private static ConfigStoreException notFound(String document) {
        return new ConfigStoreException(ErrorCode.NOT_FOUND, "profile '" + document + "' does not exist");
    }
}
