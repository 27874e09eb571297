package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.socketdock.testing.TestClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format json} on the real jar: every line on stderr, from start to stop, is one JSON
 * object with level, logger and message, and nothing of it is written on stdout.
 */
class CliLogFormatIT {

    @TempDir
    Path dir;

    @Test
    void jsonFormatWritesOneJsonObjectPerStderrLineFromStartToStop() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess dock = JarProcess.start(List.of(JarProcess.java(), "-jar", JarProcess.jar().toString(),
                "--bindip", "127.0.0.1", "--bindport", String.valueOf(port), "--log-format", "json",
                "--log-level", "DEBUG"), Map.of(), dir);
                TestClient client = new TestClient()) {
            dock.awaitStderr("listening on");
            TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            s.sendText("echo me");
            assertThat(s.nextText()).isEqualTo("echo me");
            s.close();

            assertThat(dock.stop()).isIn(0, 143);
            List<JsonObject> lines = jsonLines(dock.stderr());
            assertThat(dock.stdout()).isEmpty();
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.keySet()).contains("timestamp", "level", "loggerName", "message", "formattedMessage");
                assertThat(line.get("level").getAsString()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            });
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.get("loggerName").getAsString()).isEqualTo(SocketDockCommand.class.getName());
                assertThat(line.get("message").getAsString())
                        .startsWith("SocketDock " + VersionProvider.version() + " listening on ws://127.0.0.1:" + port);
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage").getAsString())
                    .isEqualTo("SocketDock stopped"));
            assertThat(lines).as("logs of the relay itself at DEBUG")
                    .anySatisfy(line -> assertThat(line.get("loggerName").getAsString())
                            .startsWith("io.github.socketdock.").isNotEqualTo(SocketDockCommand.class.getName()));
            assertThat(lines).as("Jetty stays at WARN").noneSatisfy(line -> {
                assertThat(line.get("loggerName").getAsString()).startsWith(LogLevels.JETTY);
                assertThat(line.get("level").getAsString()).isIn("TRACE", "DEBUG", "INFO");
            });
        }
    }

    /** Parses every line as one JSON object; fails naming the first line that is not one. */
    static List<JsonObject> jsonLines(String stderr) {
        List<String> lines = stderr.lines().toList();
        assertThat(lines).as("log lines").isNotEmpty();
        return lines.stream().map(line -> {
            JsonElement parsed;
            try {
                parsed = JsonParser.parseString(line);
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
            assertThat(parsed.isJsonObject()).as("a JSON object: %s", line).isTrue();
            return parsed.getAsJsonObject();
        }).toList();
    }
}
