package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line: what it says, how often it is rewritten, and that it stays silent off a terminal. */
class ProgressTest {

    @Test
    void theLine_saysDoneOfTotal_theRate_andTheTimeLeft() {
        Progress bytes = new Progress(new PrintWriter(new StringWriter()), "reading a.json", "bytes", 10_000_000, true,
                () -> 0);
        assertThat(bytes.line(2_000_000, 1_000_000_000L)).isEqualTo("reading a.json 2.0 of 10.0 MB (20%), 2.0 MB/s,"
                + " 4 s left");
        Progress documents = new Progress(new PrintWriter(new StringWriter()), "verified", "documents", 0, true, () -> 0);
        assertThat(documents.line(30, 2_000_000_000L)).isEqualTo("verified 30 documents, 15 documents/s");
    }

    @Test
    void onATerminal_theLineIsRewrittenInPlace_atMostFiveTimesASecond_andEndedOnClose() throws Exception {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        try (Progress progress = new Progress(new PrintWriter(err), "reading x", "bytes", 3_000, true, now::get)) {
            InputStream in = progress.reading(new ByteArrayInputStream(new byte[3_000]));
            in.read(new byte[1_000]); // shown: the first update
            now.addAndGet(100_000_000L);
            in.read(new byte[1_000]); // 100 ms later: not shown
            now.addAndGet(150_000_000L);
            in.read(new byte[1_000]); // 250 ms after the first: shown
        }
        assertThat(err.toString()).startsWith("\rreading x 1.0 of 3.0 KB (33%)").contains("\rreading x 3.0 of 3.0 KB (100%)")
                .endsWith(System.lineSeparator()).doesNotContain("(66%)");
    }

    @Test
    void offATerminal_nothingIsPrinted() throws Exception {
        StringWriter err = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(err), "reading x", "bytes", 3_000, false, () -> 0)) {
            progress.reading(new ByteArrayInputStream(new byte[3_000])).readAllBytes();
            progress.update(3_000);
        }
        assertThat(err.toString()).isEmpty();
    }
}
