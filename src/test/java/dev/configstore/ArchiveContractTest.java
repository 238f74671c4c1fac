package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.backup.RestorePoint;
import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ArchiveResult;
import dev.configstore.format.ImportException;
import dev.configstore.profile.Profile;
import dev.configstore.profile.ProfileDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole-store archives, written once and run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class ArchiveContractTest {

    @RegisterExtension
    final StoreExtension extension;
    private final Backend.Kind backend;

    ArchiveContractTest(Backend.Kind backend) {
        this.backend = backend;
        this.extension = new StoreExtension(backend.create(), builder -> builder.maxImportBytes(LIMIT));
    }

    /** The import limit of the suite's stores: archives may expand to 16 times this. */
    static final int LIMIT = 64 * 1024;

    StoreExtension extension() {
        return extension;
    }

    /** A second, independent place for a store on the same backend. */
    Backend freshBackend() {
        return backend.create();
    }

    @TempDir
    Path temp;

    private Backend target;
    private ConfigStore targetStore;

    ConfigStore store() {
        return extension().store();
    }

    ConfigStore target() {
        if (targetStore == null) {
            target = freshBackend();
            targetStore = target.newStore(temp.resolve("target")).actor("importer").maxImportBytes(LIMIT).open();
        }
        return targetStore;
    }

    @AfterEach
    void closeTarget() {
        if (targetStore != null) {
            targetStore.close();
            target.cleanUp();
        }
    }

    static JsonNode json(String text) {
        return StoreAssertions.json(text);
    }

    /** Profiles, several revisions, a deletion, restore points of both scopes. */
    void someHistory() {
        store().profiles().create(ProfileDefinition.named("base").describedAs("all tables").taggedWith(List.of("lab")));
        store().batch().set("base", "camera.fps", 30).set("base", "camera.modes", json("[1,2]")).commit();
        store().profiles().create(ProfileDefinition.named("table-3").extending("base"));
        store().put("table-3", "camera.id", 3);
        store().put("camera.id", 1);
        store().backups().create("before-tuning", 4, "known good");
        store().put("camera.id", 2);
        store().put("scratch", "x", true);
        store().delete("scratch");
        store().backups().create("table-3", "t3", 1, "");
        store().put("table-3", "camera.id", 33);
    }

    private byte[] exportArchive(ArchiveKind kind, boolean withHistory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store().formats().exportArchive(kind, out, withHistory ? ArchiveContent.FULL_HISTORY : ArchiveContent.HEAD);
        return out.toByteArray();
    }

    private ArchiveResult importInto(ConfigStore into, ArchiveKind kind, byte[] bytes, boolean dryRun) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return dryRun ? into.formats().previewArchive(kind, in, "store." + suffix(kind))
                : into.formats().importArchive(kind, in, "store." + suffix(kind));
    }

    static String suffix(ArchiveKind kind) {
        return kind == ArchiveKind.ZIP ? "zip" : "tar.gz";
    }

    @ParameterizedTest
    @EnumSource(ArchiveKind.class)
    void withHistory_intoAnEmptyStore_givesBackEveryRevisionRestorePointAndChecksum(ArchiveKind kind) {
        someHistory();

        ArchiveResult result = importInto(target(), kind, exportArchive(kind, true), false);

        assertThat(result.wholeStore()).isTrue();
        assertThat(result.revision()).isEqualTo(store().revision());
        assertThat(target().revision()).isEqualTo(store().revision());
        assertSameDocuments(store(), target());
        for (long revision = 0; revision <= store().revision(); revision++) {
            assertThat(target().document("table-3", revision)).isEqualTo(store().document("table-3", revision));
            assertThat(target().document("current", revision)).isEqualTo(store().document("current", revision));
        }
        assertThat(target().history().revisions(100)).isEqualTo(store().history().revisions(100));
        assertThat(target().backups().list()).isEqualTo(store().backups().list());
        assertThat(target().profiles().list()).isEqualTo(store().profiles().list());
        assertThat(target().history().ofKey("current", "camera.id", 10))
                .isEqualTo(store().history().ofKey("current", "camera.id", 10));
        assertThat(target().health().verify().isClean()).isTrue();
        // the restored store keeps working: restore points restore, writes continue the numbering
        target().backups().restore("before-tuning");
        assertThat(target().find("camera.id")).contains(json("1"));
        assertThat(target().revision()).isEqualTo(store().revision() + 1);
    }

    @ParameterizedTest
    @EnumSource(ArchiveKind.class)
    void withoutHistory_keepsTheHeadAndThePinnedRevisionsOnly(ArchiveKind kind) {
        someHistory();
        long pinned = store().backups().find("before-tuning").orElseThrow().revision();

        importInto(target(), kind, exportArchive(kind, false), false);

        assertSameDocuments(store(), target());
        assertThat(target().document("current", pinned)).isEqualTo(store().document("current", pinned));
        assertThatThrownBy(() -> target().document("current", 1)).hasMessageContaining("was compacted");
        assertThat(target().backups().list()).extracting(RestorePoint::name).containsExactly("before-tuning",
                "auto-7-delete", "t3");
        assertThat(target().health().verify().isClean()).isTrue();
    }

    @Test
    void intoAStoreWithRevisions_mergesTheDocumentsInOneRevision() {
        someHistory();
        target().batch().set("current", "camera.id", 7).set("current", "local", "kept").commit();

        ArchiveResult result = importInto(target(), ArchiveKind.ZIP, exportArchive(ArchiveKind.ZIP, false), false);

        assertThat(result.wholeStore()).isFalse();
        assertThat(result.revision()).isEqualTo(2);
        assertThat(target().find("camera.id")).contains(json("2"));
        assertThat(target().find("local")).contains(json("\"kept\""));
        assertThat(target().document("table-3")).map(Document::tree).isEqualTo(store().document("table-3").map(Document::tree));
        assertThat(target().profiles().find("table-3").map(Profile::parent).orElseThrow()).contains("base");
        assertThat(target().backups().list()).isEmpty();
        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("3 restore points were not imported"));
    }

    @Test
    void dryRun_checksEverything_andWritesNothing() {
        someHistory();

        ArchiveResult result = importInto(target(), ArchiveKind.TAR_GZ, exportArchive(ArchiveKind.TAR_GZ, true), true);

        assertThat(result.revisions()).isEqualTo(store().revision());
        assertThat(target().refresh()).isZero();
        assertThat(target().list()).isEmpty();
    }

    private static void assertSameDocuments(ConfigStore expected, ConfigStore actual) {
        assertThat(actual.list()).isEqualTo(expected.list());
        for (DocumentInfo info : expected.list()) {
            assertThat(actual.document(info.name())).isEqualTo(expected.document(info.name()));
        }
    }

    // ---- damaged and hostile archives: refused before anything is written ----

    /** Rewrites an archive's members through {@code change} and writes them back as the same kind. */
    static byte[] rewrite(ArchiveKind kind, byte[] archive, Consumer<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> members = new TreeMap<>();
        if (kind == ArchiveKind.ZIP) {
            try (ZipArchiveInputStream in = new ZipArchiveInputStream(new ByteArrayInputStream(archive))) {
                for (ZipArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                    members.put(entry.getName(), in.readAllBytes());
                }
            }
        } else {
            try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new ByteArrayInputStream(archive)))) {
                for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                    members.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        change.accept(members);
        return pack(kind, members);
    }

    static byte[] pack(ArchiveKind kind, Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (kind == ArchiveKind.ZIP) {
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
                for (Map.Entry<String, byte[]> member : members.entrySet()) {
                    zip.putArchiveEntry(new ZipArchiveEntry(member.getKey()));
                    zip.write(member.getValue());
                    zip.closeArchiveEntry();
                }
            }
        } else {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
                for (Map.Entry<String, byte[]> member : members.entrySet()) {
                    TarArchiveEntry entry = new TarArchiveEntry(member.getKey(), true);
                    entry.setSize(member.getValue().length);
                    tar.putArchiveEntry(entry);
                    tar.write(member.getValue());
                    tar.closeArchiveEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private void assertRefused(ArchiveKind kind, byte[] bytes, String... messageParts) {
        ConfigStore into = target();
        into.put("existing", 1);
        assertThatThrownBy(() -> importInto(into, kind, bytes, false))
                .isInstanceOfSatisfying(ImportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage()).startsWith("store." + suffix(kind)).doesNotContain("\n");
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
        assertThat(into.refresh()).isEqualTo(1);
        assertThat(into.list()).extracting(DocumentInfo::name).containsExactly("current");
        assertThat(into.backups().list()).isEmpty();
        assertThat(temp.getParent().resolve("evil.json")).doesNotExist();
        assertThat(temp.resolve("evil.json")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(ArchiveKind.class)
    void membersThatClimbOutOrAreAbsolute_areRefused(ArchiveKind kind) throws IOException {
        someHistory();
        byte[] archive = exportArchive(kind, false);
        assertRefused(kind, rewrite(kind, archive, members -> members.put("../evil.json", "{}".getBytes())),
                "member '../evil.json' has an absolute, climbing or unusual path");
        assertRefused(kind, rewrite(kind, archive, members -> members.put("documents/../../evil.json", new byte[0])),
                "climbing");
        if (kind == ArchiveKind.ZIP) { // a TAR writer strips the leading slash itself
            assertRefused(kind, rewrite(kind, archive, members -> members.put("/tmp/evil.json", new byte[0])),
                    "member '/tmp/evil.json' has an absolute");
        }
    }

    @ParameterizedTest
    @EnumSource(ArchiveKind.class)
    void aManifestThatDoesNotMatch_orAMissingOrExtraMember_isRefused(ArchiveKind kind) throws IOException {
        someHistory();
        byte[] archive = exportArchive(kind, true);
        assertRefused(kind, rewrite(kind, archive, members -> members.put("documents/current.json",
                        "{\"camera\":{\"id\":666}}".getBytes(StandardCharsets.UTF_8))),
                "store." + suffix(kind) + "!documents/current.json: the member does not match its SHA-256");
        assertRefused(kind, rewrite(kind, archive, members -> members.remove("rows/entries.jsonl")),
                "member 'rows/entries.jsonl' is listed in the manifest but missing");
        assertRefused(kind, rewrite(kind, archive, members -> members.put("extra.txt", new byte[] {1})),
                "!extra.txt: the member is not listed in the manifest");
        assertRefused(kind, rewrite(kind, archive, members -> members.remove("manifest.json")), "has no manifest.json");
        assertRefused(kind, "not an archive at all".getBytes(StandardCharsets.UTF_8), "store." + suffix(kind));
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes members and rewrites the manifest to match, as a forger would: only validation can refuse it. */
    static byte[] forge(ArchiveKind kind, byte[] archive, Consumer<Map<String, byte[]>> change) throws IOException {
        return rewrite(kind, archive, members -> {
            change.accept(members);
            var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) StoreAssertions.json(
                    new String(members.get("manifest.json"), StandardCharsets.UTF_8));
            var listed = manifest.putObject("members");
            members.forEach((name, bytes) -> {
                if (!name.equals("manifest.json")) {
                    listed.putObject(name).put("bytes", bytes.length)
                            .put("sha256", sha256(bytes));
                }
            });
            members.put("manifest.json", StoreAssertions.bytes(manifest));
        });
    }

    private static void appendLine(Map<String, byte[]> members, String member, String line) {
        members.put(member, (new String(members.get(member), StandardCharsets.UTF_8) + line + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void forgedArchivesWithAMatchingManifest_areRefusedByTheStructureChecks() throws IOException {
        someHistory();
        ArchiveKind kind = ArchiveKind.ZIP;
        byte[] archive = exportArchive(kind, true);
        long head = store().revision();
        assertRefused(kind, forge(kind, archive, members -> appendLine(members, "rows/entries.jsonl",
                "{\"document\":\"current\",\"keyPath\":\"later\",\"validFrom\":" + (head + 5)
                        + ",\"validTo\":9223372036854775807,\"value\":\"1\"}")),
                "rows/entries.jsonl: revision " + (head + 5) + " is outside 1.." + head);
        assertRefused(kind, forge(kind, archive, members -> appendLine(members, "rows/entries.jsonl",
                "{\"document\":\"current\",\"keyPath\":\"camera.id\",\"validFrom\":" + head
                        + ",\"validTo\":9223372036854775807,\"value\":\"9\"}")), "two rows of key 'current:camera.id' overlap");
        assertRefused(kind, forge(kind, archive, members -> appendLine(members, "rows/entries.jsonl",
                "{\"document\":\"current\",\"keyPath\":\"camera.id.deeper\",\"validFrom\":" + head
                        + ",\"validTo\":9223372036854775807,\"value\":\"1\"}")), "and keys below it");
        assertRefused(kind, forge(kind, archive, members -> members.put("restore-points.json",
                ("[{\"name\":\"future\",\"document\":null,\"revision\":" + (head + 1) + ",\"note\":null,"
                        + "\"priority\":0,\"automatic\":false,\"createdAt\":\"2026-11-22T10:00Z\","
                        + "\"actor\":\"x\"}]").getBytes(StandardCharsets.UTF_8))), "is outside 0.." + head);
        assertRefused(kind, forge(kind, archive, members -> appendLine(members, "rows/document-versions.jsonl",
                "{\"document\":\"x\",\"revision\":1,\"deleted\":false,\"keyCount\":0,\"checksum\":\"0\","
                        + "\"parent\":\"../etc\",\"description\":null,\"tags\":null}")), "bad metadata");
        assertRefused(kind, rewrite(kind, archive, members -> members.put("documents/", new byte[0])), "directory");
    }

    @Test
    void restoringIntoAStoreAnotherInstanceHasOpen_isRefusedOnH2() {
        someHistory();
        if (!(freshBackend() instanceof Backend.H2)) {
            return; // PostgreSQL locks the revision table instead; nothing to refuse
        }
        ConfigStore into = target();
        try (ConfigStore other = target.sameStore().open()) {
            assertThat(other.revision()).isZero();
            assertThatThrownBy(() -> importInto(into, ArchiveKind.ZIP, exportArchive(ArchiveKind.ZIP, true), false))
                    .isInstanceOfSatisfying(ConfigStoreException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("another process has this store open");
        }
        assertThat(into.refresh()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ArchiveKind.class)
    void aZeroFilledEntryOf200MB_isRefusedQuickly_withoutReadingItWhole(ArchiveKind kind) throws IOException {
        Path bomb = temp.resolve("bomb." + suffix(kind));
        long size = 200L << 20;
        byte[] zeros = new byte[1 << 20];
        try (var out = Files.newOutputStream(bomb)) {
            if (kind == ArchiveKind.ZIP) {
                try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
                    zip.putArchiveEntry(new ZipArchiveEntry("documents/current.json"));
                    for (long written = 0; written < size; written += zeros.length) {
                        zip.write(zeros);
                    }
                    zip.closeArchiveEntry();
                }
            } else {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
                    TarArchiveEntry entry = new TarArchiveEntry("documents/current.json");
                    entry.setSize(size);
                    tar.putArchiveEntry(entry);
                    for (long written = 0; written < size; written += zeros.length) {
                        tar.write(zeros);
                    }
                    tar.closeArchiveEntry();
                }
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        long start = System.nanoTime();

        assertRefused(kind, Files.readAllBytes(bomb), "store." + suffix(kind));

        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to refuse").isLessThan(5_000);
    }
}
