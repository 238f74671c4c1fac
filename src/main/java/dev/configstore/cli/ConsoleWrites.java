package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.configstore.Batch;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.Document;
import dev.configstore.VersionConflictException;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoint;
import dev.configstore.secret.Secrets;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * The console's writes: a value set or unset, a restore point created, restored or deleted.
 * Each goes through the store's own checks and the CLI's rules for typed text, with the
 * revision the page showed as the expected revision, and is answered as JSON.
 */
final class ConsoleWrites {

    private final ConfigStore store;

    ConsoleWrites(ConfigStore store) {
        this.store = store;
    }

    void set(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = ConsoleParams.body(ctx);
        String key = ConsoleParams.text(body, "key", true);
        JsonNode value;
        if (body.has("value")) {
            value = body.get("value"); // exactly the JSON a script sent
        } else {
            String typed = ConsoleParams.text(body, "text", true);
            if (body.hasNonNull("string") && !body.get("string").isBoolean()) {
                throw new ConsoleApi.Refusal(400, "the field 'string' must be true or false, was "
                        + ConsoleParams.shortened(body.get("string").toString()));
            }
            value = body.path("string").asBoolean(false) ? TextNode.valueOf(typed) : SetCommand.parse(typed);
        }
        refuseSecret(name, key, value);
        refuseIfChainChanged(name, body);
        write(ctx, store.batch().set(name, key, value), body);
    }

    /**
     * The console never writes over a secret: a page shows a secret as its mask, so
     * saving what it shows would replace the secret with the mask's text; a value written at a
     * secret, above one (replacing the subtree that holds it) or below one (turning it into an
     * object) would lose it. Unsetting is an explicit removal and is allowed, as in the CLI.
     */
    private void refuseSecret(String name, String key, JsonNode value) {
        String hint = "; write secrets with 'configstore set KEY VALUE --secret'";
        if (holdsMask(value)) {
            throw new ConsoleApi.Refusal(400, "'" + Secrets.MASK + "' is what a secret reads as, not a value to store"
                    + hint);
        }
        if (store.find(name, key).filter(ConsoleWrites::holdsMask).isPresent()) {
            throw new ConsoleApi.Refusal(400, "key '" + key + "' of '" + name + "' holds a secret (at it or below"
                    + " it), which the console does not write over" + hint);
        }
        List<String> segments = ConfigKey.parse(key).segments();
        for (int length = 1; length < segments.size(); length++) {
            String above = new ConfigKey(segments.subList(0, length)).toString();
            if (store.find(name, above).filter(node -> node.isTextual() && node.asText().equals(Secrets.MASK))
                    .isPresent()) {
                throw new ConsoleApi.Refusal(400, "writing '" + key + "' in '" + name + "' would turn the secret at '"
                        + above + "' into an object" + hint);
            }
        }
    }

    private static boolean holdsMask(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().equals(Secrets.MASK);
        }
        for (JsonNode child : node) {
            if (holdsMask(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A page shows a profile resolved through its parents, and sends the revision it showed: a
     * parent changed since is a conflict too (the batch itself checks only the document it writes).
     */
    private void refuseIfChainChanged(String name, ObjectNode body) {
        if (body.hasNonNull("expect_revision")) {
            long expected = ConsoleParams.revision(body, "expect_revision");
            store.refresh();
            Optional<Document> resolved = store.document(name);
            if (resolved.isPresent() && resolved.get().lastChanged() > expected) {
                throw new VersionConflictException(name, expected, resolved.get().lastChanged());
            }
        }
    }

    void unset(Context ctx) {
        String name = ctx.pathParam("name");
        String key = ConsoleParams.required(ctx, "key");
        ObjectNode body = ConsoleApi.object();
        Long expected = ConsoleParams.revision(ctx, "expect_revision");
        if (expected != null) {
            body.put("expect_revision", expected);
        }
        refuseIfChainChanged(name, body);
        write(ctx, store.batch().unset(name, key), body);
    }

    /** Commits a batch with the body's expected revision and message, and answers with the outcome. */
    private void write(Context ctx, Batch batch, ObjectNode body) {
        if (body.hasNonNull("expect_revision")) {
            batch.expectRevision(ConsoleParams.revision(body, "expect_revision"));
        }
        if (body.hasNonNull("message")) {
            batch.message(ConsoleParams.text(body, "message", false));
        }
        answer(ctx, batch.commit());
    }

    /** A write's outcome: {@code {revision, changed, keys_changed}}. */
    private static void answer(Context ctx, WriteResult result) {
        ConsoleApi.json(ctx, ConsoleApi.object().put("revision", result.revision()).put("changed", result.changed())
                .put("keys_changed", result.keysChanged()));
    }

    void createBackup(Context ctx) {
        ObjectNode body = ConsoleParams.body(ctx);
        String name = ConsoleParams.text(body, "name", true);
        String note = body.hasNonNull("note") ? ConsoleParams.text(body, "note", false) : "";
        int priority = body.hasNonNull("priority") ? ConsoleParams.integer(body, "priority") : 0;
        String document = body.hasNonNull("document") ? ConsoleParams.text(body, "document", false) : null;
        RestorePoint point = document == null || document.isEmpty() ? store.backups().create(name, priority, note)
                : store.backups().create(document, name, priority, note);
        ctx.status(201);
        ConsoleApi.rows(ctx, BackupCommand.rows(List.of(point)));
    }

    /**
     * Restores a point. The page sends the head revision its dry-run diff was made at; if a
     * document the restore changes changed since, the diff it showed is not what would happen,
     * so nothing is written (checked in the restore's transaction).
     */
    void restore(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = ConsoleParams.body(ctx);
        answer(ctx, body.hasNonNull("expect_revision")
                ? store.backups().restore(name, ConsoleParams.revision(body, "expect_revision"))
                : store.backups().restore(name));
    }

    void deleteBackup(Context ctx) {
        String name = ctx.pathParam("name");
        store.backups().delete(name);
        ConsoleApi.json(ctx, ConsoleApi.object().put("deleted", name));
    }
}
