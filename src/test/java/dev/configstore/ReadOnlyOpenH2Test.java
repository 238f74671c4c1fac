package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConfigStoreBuilder#readOnly()} on an H2 store directory: a store nobody holds is read
 * without a lock file or an auto-server and left byte for byte as it was, an application that
 * opens it meanwhile waits for the reader, and a store another process holds is joined.
 */
class ReadOnlyOpenH2Test {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Test
    void onH2_aStoreNobodyHolds_isReadWithoutALockFileOrServer_andAnApplicationThatStartsMeanwhileWaitsForIt() throws Exception {
        Path directory = ((Backend.H2) extension.backend()).directory();
        extension.store().put("n", 1);
        ConfigStore reader = extension.reopen(ConfigStoreBuilder::readOnly);
        assertThat(Files.exists(directory.resolve("store.lock.db"))).as("the reader takes no lock").isFalse();

        // an application starts while the reader reads: it waits for the reader, then takes the file
        Process application = ChildProcess.start("write", directory.toString(), "SYNC");
        try {
            Thread.sleep(300);
            assertThat(reader.find("n")).contains(IntNode.valueOf(1));
            assertThat(reader.revision()).isEqualTo(1);
            reader.close();
            BufferedReader lines = ChildProcess.lines(application);
            assertThat(lines.readLine()).isEqualTo("READY");
            assertThat(lines.readLine()).startsWith("ACK 2 ");
        } finally {
            application.destroyForcibly();
            application.waitFor(30, TimeUnit.SECONDS);
        }
        ConfigStore after = extension.reopen();
        assertThat(after.revision()).isGreaterThanOrEqualTo(2);
        assertThat(after.health().verify().isClean()).isTrue();
    }

    @Test
    void onH2_aReadOnlyOpenOfAStoreAtRest_leavesItsFileAndMarkByteForByte_andTheNextOneToo() throws Exception {
        Path directory = ((Backend.H2) extension.backend()).directory();
        extension.store().put("n", 1);
        extension.store().close();
        byte[] file = Files.readAllBytes(directory.resolve("store.mv.db"));
        var modified = Files.getLastModifiedTime(directory.resolve("store.mv.db"));
        byte[] marker = Files.readAllBytes(directory.resolve("configstore.properties"));
        for (int i = 0; i < 2; i++) {
            ConfigStore reader = extension.reopen(ConfigStoreBuilder::readOnly);
            assertThat(reader.find("n")).contains(IntNode.valueOf(1));
            assertThat(Files.exists(directory.resolve("store.lock.db"))).isFalse();
            reader.close();
            assertThat(Files.readAllBytes(directory.resolve("store.mv.db"))).isEqualTo(file);
            assertThat(Files.getLastModifiedTime(directory.resolve("store.mv.db"))).isEqualTo(modified);
            assertThat(Files.readAllBytes(directory.resolve("configstore.properties"))).isEqualTo(marker);
        }
        extension.reopen().put("n", 2); // a usual open after it finds the store as it left it
        assertThat(extension.store().health().verify().isClean()).isTrue();
    }

    /**
     * A command that reads once holds its output until it closed the store: a pager that stops
     * reading does not keep the file. The writer below opens the store and writes at its first
     * character; while the CLI's read-only store were open in this JVM, H2 would hand that open
     * the same read-only database and the write would fail.
     */
    @Test
    void theCliPrintsAfterItClosedTheStore_soAWriterAtItsFirstLineIsNotInItsWay() {
        Path directory = extension.backend() instanceof Backend.H2 h2 ? h2.directory() : null;
        extension.store().put("n", 1);
        extension.store().close();
        java.util.List<Long> written = new java.util.ArrayList<>();
        java.io.Writer pager = new java.io.Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                if (written.isEmpty()) {
                    try (ConfigStore writer = ConfigStore.builder().path(directory).open()) {
                        written.add(writer.put("n", 2).revision());
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        int exit = dev.configstore.cli.Main.run(new String[] {"--store", directory.toString(), "get", "n"},
                new java.io.PrintWriter(pager), new java.io.PrintWriter(new java.io.StringWriter()), java.util.Map.of());
        assertThat(exit).isZero();
        assertThat(written).containsExactly(2L);
    }

    @Test
    void onH2_aStoreAnotherProcessHolds_isJoined_andFollowsItsCommits() throws Exception {
        Path directory = ((Backend.H2) extension.backend()).directory();
        extension.store().close();
        Process application = ChildProcess.start("write", directory.toString(), "SYNC");
        try {
            BufferedReader lines = ChildProcess.lines(application);
            assertThat(lines.readLine()).isEqualTo("READY");
            assertThat(lines.readLine()).startsWith("ACK");
            ConfigStore reader = extension.reopen(ConfigStoreBuilder::readOnly);
            long first = reader.refresh();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reader.refresh() == first && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reader.revision()).as("a joined reader follows the holder's commits").isGreaterThan(first);
            assertThatThrownBy(() -> reader.put("x", 1)).isInstanceOf(IllegalStateException.class);
        } finally {
            application.destroyForcibly();
            application.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(extension.reopen().health().verify().isClean()).isTrue(); // takes the file over from the holder
    }
}
