package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.socketdock.testing.TestWebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --log-format json}, the command run in-process as the jar runs it: every line on stderr, from start to stop, is one JSON
 * object with an ISO-8601 timestamp, level, logger and message, a connection's lines carry its
 * {@code connection_id} and {@code remote}, and nothing of it is written on stdout.
 */
class CliLogFormatIT {

    @Test
    void jsonFormatWritesOneJsonObjectPerStderrLineFromStartToStop() throws Exception {
        try (Cli.Running dock = Cli.start(Map.of(), "--bindip", "127.0.0.1", "--bindport", "0", "--log-format", "json",
                "--log-level", "DEBUG")) {
            int port = dock.ws().getPort();
            try (TestWebSocket ws = TestWebSocket.connect(dock.ws())) {
                ws.send("echo me");
                assertThat(ws.takeText(Duration.ofSeconds(30))).isEqualTo("echo me");
                ws.close(1000, "done");
                ws.awaitClose(Duration.ofSeconds(30));
            }
            // the client's close was taken before the stop: the stop's drain would close it with 1001
            await().atMost(Duration.ofSeconds(30)).until(() -> dock.stderr().contains(" closed: 1000 "));

            assertThat(dock.stop()).as("a clean drain").isZero();
            List<JsonObject> lines = jsonLines(dock.stderr());
            assertThat(dock.stdout()).isEmpty();
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.keySet()).contains("@timestamp", "level", "logger_name", "thread_name", "message");
                assertThat(line.get("level").getAsString()).isIn("DEBUG", "INFO", "WARN", "ERROR");
                assertThat(line.get("@timestamp").getAsString()).as("ISO-8601 in UTC")
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            });
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.get("logger_name").getAsString()).isEqualTo(SocketDockCommand.class.getName());
                assertThat(line.get("message").getAsString())
                        .startsWith("SocketDock " + VersionProvider.version() + " listening on ws://127.0.0.1:" + port);
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.get("message").getAsString())
                    .isEqualTo("SocketDock stopped"));
            List<JsonObject> opened = lines.stream()
                    .filter(line -> line.get("message").getAsString().matches("connection [0-9a-f]{32} opened from .*"))
                    .toList();
            assertThat(opened).as("the connection's open line").singleElement().satisfies(line -> {
                assertThat(line.get("logger_name").getAsString()).isEqualTo("io.github.socketdock.connections");
                assertThat(line.get("message").getAsString()).contains(line.get("connection_id").getAsString());
                assertThat(line.get("remote").getAsString()).startsWith("127.0.0.1:");
            });
            assertThat(lines).as("the connection's close line, with its fields")
                    .anySatisfy(line -> {
                        assertThat(line.get("message").getAsString()).contains(" closed: 1000 ", "1 message in, 1 out");
                        assertThat(line.get("connection_id").getAsString()).isEqualTo(opened.get(0).get("connection_id").getAsString());
                    });
            assertThat(lines).as("logs of the relay itself at DEBUG").anySatisfy(line -> {
                assertThat(line.get("logger_name").getAsString()).startsWith("io.github.socketdock.");
                assertThat(line.get("level").getAsString()).isEqualTo("DEBUG");
            });
            assertThat(lines).as("Jetty stays at WARN").noneSatisfy(line -> {
                assertThat(line.get("logger_name").getAsString()).startsWith(LogLevels.JETTY);
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
