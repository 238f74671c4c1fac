package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Writes and reads the members of a store archive (ZIP or TAR.GZ through Apache Commons
 * Compress) with a manifest that lists every member with its size and SHA-256. Reading is
 * defensive: member names must be plain relative paths, and the entry count, each member's
 * size, the total size and the compression ratio are bounded while the bytes stream in, so a
 * zip bomb is refused after at most a few megabytes. The manifest must match the members exactly.
 */
public final class ArchiveCodec {

    public static final String MANIFEST = "manifest.json";
    public static final String FORMAT = "configstore-archive";
    public static final int VERSION = 1;
    /** Ratio checks start once a member has this many bytes: small files compress well too. */
    static final long RATIO_FLOOR = 1 << 20;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");

    /** Bounds on what a read accepts. */
    public record Limits(int maxEntries, long maxMemberBytes, long maxTotalBytes, int maxRatio) {
    }

    private ArchiveCodec() {
    }

    /** Writes the members and a manifest naming them, sorted, with fixed timestamps. */
    public static void write(ArchiveKind kind, Map<String, byte[]> members, ObjectNode manifestFields, Instant time,
                             OutputStream out) {
        ObjectNode manifest = manifestFields.deepCopy();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        ObjectNode listed = manifest.putObject("members");
        new TreeMap<>(members).forEach((name, bytes) -> listed.putObject(name).put("bytes", bytes.length)
                .put("sha256", Json.sha256(bytes)));
        Map<String, byte[]> all = new TreeMap<>(members);
        all.put(MANIFEST, json(manifest));
        try {
            if (kind == ArchiveKind.ZIP) {
                try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(CloseShieldOutputStream.wrap(out))) {
                    for (Map.Entry<String, byte[]> member : all.entrySet()) {
                        ZipArchiveEntry entry = new ZipArchiveEntry(member.getKey());
                        entry.setTime(time.toEpochMilli());
                        putMember(zip, entry, member.getValue());
                    }
                }
            } else {
                try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(CloseShieldOutputStream.wrap(out));
                     TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    for (Map.Entry<String, byte[]> member : all.entrySet()) {
                        TarArchiveEntry entry = new TarArchiveEntry(member.getKey());
                        entry.setSize(member.getValue().length);
                        entry.setModTime(time.toEpochMilli());
                        entry.setMode(0600);
                        putMember(tar, entry, member.getValue());
                    }
                }
            }
            out.flush(); // the shield kept the caller's stream open, and unflushed
        } catch (IOException e) {
            throw new UncheckedIOException("writing the archive", e);
        }
    }

    private static <E extends ArchiveEntry> void putMember(ArchiveOutputStream<E> archive, E entry, byte[] bytes)
            throws IOException {
        archive.putArchiveEntry(entry);
        archive.write(bytes);
        archive.closeArchiveEntry();
    }

    /**
     * Reads every member into memory under the limits, then checks the manifest against them:
     * the same names, sizes and SHA-256. Returns the members without the manifest, and the
     * manifest apart.
     */
    public static Read read(ArchiveKind kind, InputStream in, String source, Limits limits) {
        // counts the compressed bytes consumed, for the ratio check; the caller owns the stream
        BoundedInputStream raw;
        try {
            raw = BoundedInputStream.builder().setInputStream(in).setPropagateClose(false).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only a path or a URI as the origin can fail here
        }
        Map<String, byte[]> members = new TreeMap<>();
        long total = 0;
        try (ArchiveInputStream<?> archive = kind == ArchiveKind.ZIP ? new ZipArchiveInputStream(raw)
                : new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            ArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    throw new ImportException(source, 0, 0, "member '" + name.replaceAll("\\p{Cntrl}", "?")
                            + "' is a directory; a store archive has none");
                }
                checkName(name, source);
                if (members.size() >= limits.maxEntries()) {
                    throw new ImportException(source, 0, 0, "more than " + limits.maxEntries() + " members");
                }
                if (members.containsKey(name)) {
                    throw new ImportException(source + "!" + name, 0, 0, "the member appears twice");
                }
                if (!archive.canReadEntryData(entry)) {
                    throw new ImportException(source + "!" + name, 0, 0, "the member cannot be read (encrypted or"
                            + " an unsupported compression method)");
                }
                long compressedStart = raw.getCount();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                long size = 0;
                int read;
                while ((read = archive.read(buffer)) > 0) {
                    size += read;
                    total += read;
                    if (size > limits.maxMemberBytes()) {
                        throw new ImportException(source + "!" + name, 0, 0, "the member is larger than "
                                + limits.maxMemberBytes() + " bytes uncompressed");
                    }
                    if (total > limits.maxTotalBytes()) {
                        throw new ImportException(source, 0, 0, "the archive expands to more than "
                                + limits.maxTotalBytes() + " bytes");
                    }
                    long compressed = Math.max(1, raw.getCount() - compressedStart);
                    if (size > RATIO_FLOOR && size / compressed > limits.maxRatio()) {
                        throw new ImportException(source + "!" + name, 0, 0, "the member expands more than "
                                + limits.maxRatio() + " times its compressed size; refused as a possible zip bomb");
                    }
                    bytes.write(buffer, 0, read);
                }
                members.put(name, bytes.toByteArray());
            }
        } catch (IOException e) {
            throw new ImportException(source, 0, 0, "not a readable " + (kind == ArchiveKind.ZIP ? "ZIP" : "TAR.GZ")
                    + " archive: " + e.getMessage());
        }
        byte[] manifestBytes = members.remove(MANIFEST);
        if (manifestBytes == null) {
            throw new ImportException(source, 0, 0, "the archive has no " + MANIFEST);
        }
        JsonNode manifest;
        try {
            manifest = Json.parse(new String(manifestBytes, StandardCharsets.UTF_8), MANIFEST);
        } catch (RuntimeException e) {
            throw new ImportException(source + "!" + MANIFEST, 0, 0, e.getMessage());
        }
        if (!FORMAT.equals(manifest.path("format").asText()) || manifest.path("version").asInt() != VERSION) {
            throw new ImportException(source + "!" + MANIFEST, 0, 0, "not a " + FORMAT + " version " + VERSION
                    + " manifest");
        }
        JsonNode listed = manifest.path("members");
        for (Iterator<String> names = listed.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            byte[] bytes = members.get(name);
            if (bytes == null) {
                throw new ImportException(source, 0, 0, "member '" + name + "' is listed in the manifest but missing");
            }
            JsonNode expected = listed.get(name);
            if (expected.path("bytes").asLong(-1) != bytes.length
                    || !Json.sha256(bytes).equals(expected.path("sha256").asText())) {
                throw new ImportException(source + "!" + name, 0, 0, "the member does not match its SHA-256 or size"
                        + " in the manifest (damaged or altered)");
            }
        }
        for (String name : members.keySet()) {
            if (!listed.has(name)) {
                throw new ImportException(source + "!" + name, 0, 0, "the member is not listed in the manifest");
            }
        }
        return new Read(manifest, members);
    }

    /** What a read returns: the manifest and the verified members. */
    public record Read(JsonNode manifest, Map<String, byte[]> members) {
    }

    private static void checkName(String name, String source) {
        boolean climbs = name.equals("..") || name.startsWith("../") || name.contains("/../") || name.endsWith("/..");
        if (name.startsWith("/") || name.contains("\\") || name.contains(":") || climbs
                || !SAFE_NAME.matcher(name).matches()) {
            throw new ImportException(source, 0, 0, "member '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' has an absolute, climbing or unusual path; refused");
        }
    }

    public static byte[] json(JsonNode node) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
