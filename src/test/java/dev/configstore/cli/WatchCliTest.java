package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch command in process: its JSON lines, the text form, and its errors. */
class WatchCliTest {

    @TempDir
    Path temp;

    Cli.Result run(String... args) {
        return new Cli(temp.resolve("config")).run(args);
    }

    @Test
    void watchFromARevision_printsOneTypedJsonLinePerChangedKey() throws Exception {
        run("set", "vision.camera.fps", "30");
        run("set", "audio.volume", "3");
        run("set", "vision.camera.device", "\"cam-1\"", "-m", "new camera");
        run("unset", "vision.camera.fps");

        Cli.Result watched = run("watch", "vision", "--from-revision", "0", "--max-events", "3");

        assertThat(watched.exit()).isZero();
        List<String> lines = watched.out().lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode first = mapper.readTree(lines.get(0));
        assertThat(first.get("revision").isNumber()).isTrue();
        assertThat(first.get("revision").asLong()).isEqualTo(1);
        assertThat(first.get("kind").asText()).isEqualTo("ADDED");
        assertThat(first.get("key").asText()).isEqualTo("vision.camera.fps");
        assertThat(first.get("old").isNull()).isTrue();
        assertThat(first.get("new").isNumber()).isTrue();
        assertThat(first.get("new").asInt()).isEqualTo(30);
        assertThat(first.get("document").asText()).isEqualTo("current");
        assertThat(first.get("operation").asText()).isEqualTo("set");
        assertThat(first.has("time") && first.has("actor") && first.has("message")).isTrue();
        JsonNode second = mapper.readTree(lines.get(1));
        assertThat(second.get("revision").asLong()).isEqualTo(3);
        assertThat(second.get("message").asText()).isEqualTo("new camera");
        assertThat(second.get("new").asText()).isEqualTo("cam-1");
        JsonNode third = mapper.readTree(lines.get(2));
        assertThat(third.get("kind").asText()).isEqualTo("REMOVED");
        assertThat(third.get("old").asInt()).isEqualTo(30);
        assertThat(third.get("new").isNull()).isTrue();
    }

    @Test
    void theTextForm_isOneReadableLinePerChange() {
        run("set", "a", "1");
        run("set", "a", "2");

        Cli.Result watched = run("watch", "--from-revision", "1", "--format", "text", "--max-events", "1");

        assertThat(watched.exit()).isZero();
        assertThat(watched.out()).matches("2 \\S+ \\S+ CHANGED a 1 -> 2\\R");
    }

    @Test
    void aCompactedStart_exits3_namingTheFloor() {
        for (int i = 0; i < 6; i++) {
            run("set", "a", Integer.toString(i));
        }
        assertThat(run("compact", "--keep-revisions", "2").exit()).isZero();

        Cli.Result watched = run("watch", "--from-revision", "1");

        assertThat(watched.exit()).isEqualTo(3);
        assertThat(watched.out()).isEmpty();
        assertThat(watched.err()).contains("revision 1 was compacted").contains("starts at revision 5");
    }

    @Test
    void badInput_isAClearError() {
        run("set", "a", "1");

        assertThat(run("watch", "a..b").exit()).isEqualTo(5);
        assertThat(run("watch", "--from-revision", "-3").exit()).isEqualTo(5);
        Cli.Result minusOne = run("watch", "--from-revision", "-1");
        assertThat(minusOne.exit()).isEqualTo(5);
        assertThat(minusOne.err()).contains("--from-revision must be 0 or more, was -1");
        Cli.Result future = run("watch", "--from-revision", "99");
        assertThat(future.exit()).isEqualTo(5);
        assertThat(future.err()).contains("head is revision 1");
        Cli.Result unknown = run("watch", "--profile", "nope");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("'nope'");
    }
}
