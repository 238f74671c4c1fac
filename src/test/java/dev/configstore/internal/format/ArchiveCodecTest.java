package dev.configstore.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ImportException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** The archive reader's limits, at their default sizes. */
class ArchiveCodecTest {

    static final ArchiveCodec.Limits DEFAULTS = new ArchiveCodec.Limits(10_000, 256L << 20, 256L << 20, 200);

    @Test
    void aHighlyCompressedMember_isRefusedByRatio_longBeforeTheSizeLimit() throws IOException {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bomb)) {
            zip.putArchiveEntry(new ZipArchiveEntry("documents/current.json"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(zeros);
            }
            zip.closeArchiveEntry();
        }
        long start = System.nanoTime();

        assertThatThrownBy(() -> ArchiveCodec.read(ArchiveKind.ZIP, new ByteArrayInputStream(bomb.toByteArray()),
                "bomb.zip", DEFAULTS))
                .isInstanceOf(ImportException.class)
                .hasMessage("bomb.zip!documents/current.json: the member expands more than 200 times its compressed"
                        + " size; refused as a possible zip bomb");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void tooManyMembers_areRefused() {
        Map<String, byte[]> members = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            members.put("documents/d" + i + ".json", "{}".getBytes());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveCodec.write(ArchiveKind.TAR_GZ, members, JsonNodeFactory.instance.objectNode(), Instant.EPOCH, out);

        assertThatThrownBy(() -> ArchiveCodec.read(ArchiveKind.TAR_GZ, new ByteArrayInputStream(out.toByteArray()),
                "many.tar.gz", new ArchiveCodec.Limits(10, 1 << 20, 1 << 20, 200)))
                .hasMessage("many.tar.gz: more than 10 members");
        // within the limits the same archive reads, manifest checked
        var read = ArchiveCodec.read(ArchiveKind.TAR_GZ, new ByteArrayInputStream(out.toByteArray()), "many.tar.gz",
                DEFAULTS);
        assertThat(read.members()).hasSize(20);
    }
}
