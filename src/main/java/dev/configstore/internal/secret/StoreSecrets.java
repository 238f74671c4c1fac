package dev.configstore.internal.secret;

import static dev.configstore.internal.jooq.Tables.CS_ENTRY;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.Change;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.document.Keyring;
import dev.configstore.internal.document.Leaf;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.write.Edits;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.internal.write.Write;
import dev.configstore.secret.KeyProvider;
import dev.configstore.secret.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.Cursor;
import org.jooq.Record4;

/** Secrets over the write path: reveal, patterns, rotation and the check of every ciphertext. Thread-safe. */
public final class StoreSecrets implements Secrets {

    private final RevisionWriter writer;
    private final HeadCache cache;
    private final Keyring keyring;

    public StoreSecrets(RevisionWriter writer) {
        this.writer = writer;
        this.cache = writer.head();
        this.keyring = writer.keyring();
    }

    @Override
    public Optional<JsonNode> reveal(String document, String key) {
        String name = DocumentNames.check(document);
        String path = KeyPaths.canonical(key);
        writer.ensureOpen();
        return writer.logged("reveal", name, () -> {
            List<Inheritance.Source> chain = cache.chain(name);
            if (chain.isEmpty()) {
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + name + "' does not exist");
            }
            KeyProvider keys = keyring.present() ? keyring.keys() : null;
            TreeMap<String, Inheritance.Supplied> opened = new TreeMap<>();
            Inheritance.resolve(chain, path).forEach((leafPath, supplied) -> {
                JsonNode value = supplied.leaf().value();
                JsonNode plain = SecretBox.isSecret(value)
                        ? SecretBox.open(keys, supplied.document(), leafPath, value) : value;
                opened.put(leafPath, new Inheritance.Supplied(new Leaf(plain, supplied.leaf().json(),
                        supplied.leaf().since()), supplied.document()));
            });
            return Inheritance.valueAt(opened, path);
        });
    }

    @Override
    public WriteResult addPattern(String document, String pattern) {
        String name = DocumentNames.check(document);
        String checked = SecretBox.checkPattern(pattern);
        keyring.keys(); // a pattern needs a key to encrypt with: made now, not at the first matching write
        return writer.run(new Write("secret-add", name, "secret pattern " + checked, -1, null), (context, head) -> {
            DocumentMeta meta = head.meta(name).orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND,
                    "document '" + name + "' does not exist"));
            if (meta.secretPatterns().contains(checked)) {
                return new Edits(List.of(), Map.of());
            }
            List<String> patterns = new ArrayList<>(meta.secretPatterns());
            patterns.add(checked);
            List<Change> changes = new ArrayList<>();
            head.source(name).leaves().forEach((path, leaf) -> {
                if (!SecretBox.isSecret(leaf.value()) && new DocumentMeta(null, "", List.of(), null, List.of(checked))
                        .isSecretPath(path, leaf.value())) {
                    changes.add(new Change.Set(name, ConfigKey.parse(path), keyring.seal(name, path, leaf.value())));
                }
            });
            return new Edits(changes, Map.of(name, meta.withSecretPatterns(patterns)), true);
        });
    }

    @Override
    public List<String> patterns(String document) {
        String name = DocumentNames.check(document);
        writer.ensureOpen();
        return cache.meta(name).orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + name
                + "' does not exist")).secretPatterns();
    }

    @Override
    public String addKey() {
        writer.ensureOpen();
        return keyring.addKey();
    }

    @Override
    public WriteResult rotate() {
        KeyProvider keys = keyring.keys();
        return writer.run(new Write("secret-rotate", null, "secrets encrypted again under key '"
                + keys.activeKeyId() + "'", -1, null), (context, head) -> {
            List<Change> changes = new ArrayList<>();
            for (String document : head.metas().keySet()) {
                head.source(document).leaves().forEach((path, leaf) -> {
                    if (SecretBox.isSecret(leaf.value()) && !SecretBox.keyId(leaf.value()).equals(keys.activeKeyId())) {
                        changes.add(new Change.Set(document, ConfigKey.parse(path), SecretBox.seal(keys, document, path,
                                SecretBox.open(keys, document, path, leaf.value()))));
                    }
                });
            }
            return new Edits(changes, Map.of(), true);
        });
    }

    @Override
    public long signHistory() {
        java.util.function.UnaryOperator<String> mac = hash -> SecretBox.mac(keyring.keys(), hash);
        return writer.loggedWrite("sign-history", null, context -> {
            writer.database().lockOutOtherWriters(context);
            dev.configstore.health.ChainVerification chain =
                    dev.configstore.internal.health.ChainVerifier.verify(context, -1, null, null);
            if (!chain.isIntact()) {
                throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "the history's hash chain is broken at"
                        + " revision " + chain.firstBrokenRevision().getAsLong() + " (" + chain.problem() + "); nothing"
                        + " was signed");
            }
            long unsigned = context.fetchCount(dev.configstore.internal.jooq.Tables.CS_REVISION,
                    dev.configstore.internal.jooq.Tables.CS_REVISION.CHAIN_MAC.isNull()
                            .and(dev.configstore.internal.jooq.Tables.CS_REVISION.CHAIN_HASH.isNotNull()));
            dev.configstore.internal.rows.ChainRows.fillMacs(context, mac);
            return unsigned;
        });
    }

    @Override
    public void retireKey(String keyId) {
        writer.ensureOpen();
        writer.logged("secret-retire", null, () -> {
            if (keyring.keys().activeKeyId().equals(keyId)) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + keyId + "' is the active key:"
                        + " rotate to a new key first");
            }
            long[] users = {0, 0};
            writer.database().read(context -> {
                eachSecret(context, (document, path, revision, secret) -> {
                    if (SecretBox.keyId(secret).equals(keyId)) {
                        users[0]++;
                        users[1] = Math.max(users[1], revision);
                    }
                });
                return null;
            });
            if (users[0] > 0) {
                throw new ConfigStoreException(ErrorCode.CONFLICT, users[0] + " stored values (the newest written at"
                        + " revision " + users[1] + ") are encrypted under key '" + keyId + "': rotate, then compact"
                        + " the history before the rotation, then retire it");
            }
            keyring.removeKey(keyId);
            return null;
        });
    }

    @Override
    public List<String> verify() {
        writer.ensureOpen();
        KeyProvider keys = keyring.present() ? keyring.keys() : null;
        return writer.logged("verify-secrets", null, () -> writer.database().read(context -> {
            List<String> failures = new ArrayList<>();
            eachSecret(context, (document, path, revision, secret) -> {
                try {
                    SecretBox.open(keys, document, path, secret);
                } catch (ConfigStoreException e) {
                    failures.add("document '" + document + "' key '" + path + "' at revision " + revision + ": "
                            + e.getMessage());
                }
            });
            return failures;
        }));
    }

    /** A stored secret: its document, key path, the revision that wrote it and its stored form. */
    private interface SecretRow {
        void accept(String document, String path, long revision, JsonNode secret);
    }

    /** Every secret the rows hold, at every revision, read with a cursor. */
    private static void eachSecret(org.jooq.DSLContext context, SecretRow each) {
        String prefix = secretPrefix();
        try (Cursor<Record4<String, String, Long, String>> rows = context.select(CS_ENTRY.DOCUMENT,
                CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALUE_JSON).from(CS_ENTRY).fetchLazy()) {
            for (Record4<String, String, Long, String> row : rows) {
                if (row.value4().startsWith(prefix)) {
                    each.accept(row.value1(), row.value2(), row.value3(), Json.parse(row.value4(), "secret"));
                }
            }
        }
    }

    /** How the canonical JSON of every stored secret begins. */
    private static String secretPrefix() {
        com.fasterxml.jackson.databind.node.ObjectNode sample = Json.NODES.objectNode();
        sample.put(SecretBox.FIELD, "");
        String canonical = Json.canonical(sample);
        return canonical.substring(0, canonical.length() - 3);
    }
}
