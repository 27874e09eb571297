package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar as a drop-in for the original SocketDock: the command lines of the original's
 * compose files and of Credo's development setup start it, {@code --log-file} and
 * {@code --log-config} work (the original's YAML config is ignored with one warning), the
 * variables Kubernetes injects for a Service named {@code socketdock} are ignored while a
 * misspelled variable stops the start, and the exit codes say how it ended.
 */
class CliDropInIT {

    @TempDir
    Path dir;

    /** The original's demo compose file: {@code --bindip 0.0.0.0 --backend loopback --endpoint http://socketdock:8765}. */
    @Test
    void theOriginalsDemoCommandLineRunsTheLoopbackEcho() throws Exception {
        int port = JarProcess.freePort();
        // the compose file binds 0.0.0.0 inside its container; the test keeps to loopback
        try (JarProcess dock = start(Map.of(), "--bindip", "127.0.0.1", "--bindport", String.valueOf(port),
                "--backend", "loopback", "--endpoint", "http://socketdock:8765");
             TestClient client = new TestClient()) {
            dock.awaitStderr("listening on");
            assertThat(dock.stderr()).contains("callbacks at http://socketdock:8765");
            TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            s.sendText("hello");
            assertThat(s.nextText()).isEqualTo("hello");
            s.sendText("");
            assertThat(s.nextText()).as("an empty message is echoed too").isEmpty();
            assertThat(dock.stop()).as(dock.stderr()).isZero();
        }
    }

    /**
     * The original's load-test compose file (the http backend's three URIs, {@code --endpoint
     * http://websocket-gateway:8765 --log-level WARNING}) and Credo's development setup ({@code
     * --backend http --message-uri http://localhost:3000/message --connect-uri … --disconnect-uri …}),
     * here with a real backend in place of the mediator.
     */
    @Test
    void theLoadTestAndCredoCommandLinesRelayToTheBackend() throws Exception {
        try (RecordingBackendServer backend = RecordingBackendServer.start()) {
            String base = "http://localhost:" + backend.port();
            List<List<String>> lines = List.of(
                    List.of("--backend", "http", "--connect-uri", base + "/connect", "--message-uri", base + "/message",
                            "--disconnect-uri", base + "/disconnect", "--endpoint", "http://websocket-gateway:8765",
                            "--log-level", "WARNING"),
                    List.of("--backend", "http", "--message-uri", base + "/message", "--connect-uri", base + "/connect",
                            "--disconnect-uri", base + "/disconnect"));
            int round = 0;
            for (List<String> line : lines) {
                round++;
                int port = JarProcess.freePort();
                List<String> args = new ArrayList<>(line);
                args.addAll(List.of("--bindip", "127.0.0.1", "--bindport", String.valueOf(port)));
                Path runDir = Files.createDirectories(dir.resolve("run" + round));
                try (JarProcess dock = JarProcess.start(command(args), Map.of(), runDir);
                     TestClient client = new TestClient()) {
                    await().atMost(JarProcess.WAIT).until(() -> isListening(port) || !dock.process().isAlive());
                    TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
                    s.sendText("round " + round);
                    backend.await("/message", round);
                    s.close();
                    backend.await("/disconnect", round);
                    assertThat(dock.stop()).as(dock.stderr()).isZero();
                    if (round == 1) {
                        assertThat(dock.stderr()).as("--log-level WARNING: no INFO line").doesNotContain(" INFO ");
                    }
                }
            }
            assertThat(backend.requests("/connect")).hasSize(2);
        }
    }

    @Test
    void logFileGetsTheLogAndTheOriginalsYamlLogConfigIsIgnoredWithOneWarning() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yml"), "version: 1\nhandlers:\n  console:\n    class: logging.StreamHandler\n");
        Path file = dir.resolve("relay.log");
        int port = JarProcess.freePort();
        try (JarProcess dock = start(Map.of(), "--bindip", "127.0.0.1", "--bindport", String.valueOf(port),
                "--log-config", yaml.toString(), "--log-file", file.toString())) {
            dock.awaitStderr("listening on");
            assertThat(dock.stop()).isZero();
            assertThat(dock.stderr().lines().filter(l -> l.contains("WARN"))).singleElement().asString()
                    .contains("--log-config " + yaml + " ignored: not a Logback configuration");
            assertThat(Files.readString(file)).as("the file has what stderr has")
                    .contains("listening on ws://127.0.0.1:" + port + "/ws", "SocketDock stopped")
                    .isEqualTo(dock.stderr());
        }
    }

    @Test
    void aLogbackLogConfigReplacesTheShippedOne() throws Exception {
        Path out = dir.resolve("custom.log");
        Path xml = Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="CUSTOM" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>custom|%%level|%%logger|%%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="CUSTOM"/></root>
                </configuration>
                """.formatted(out));
        int port = JarProcess.freePort();
        try (JarProcess dock = start(Map.of(), "--bindip", "127.0.0.1", "--bindport", String.valueOf(port),
                "--log-config", xml.toString())) {
            await().atMost(JarProcess.WAIT).until(() -> Files.exists(out) && Files.readString(out).contains("listening on"));
            assertThat(dock.stop()).isZero();
            assertThat(Files.readString(out)).contains("custom|INFO|io.github.socketdock.cli.SocketDockCommand|SocketDock ");
            assertThat(dock.stderr()).as("nothing on stderr: the configuration has no console").isEmpty();
        }
    }

    @Test
    void theVariablesKubernetesInjectsAreIgnoredAndAMisspelledOneStopsTheStart() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> injected = Map.of("SOCKETDOCK_SERVICE_HOST", "10.96.0.12", "SOCKETDOCK_SERVICE_PORT", "8765",
                "SOCKETDOCK_SERVICE_PORT_WS", "8765", "SOCKETDOCK_PORT", "tcp://10.96.0.12:8765",
                "SOCKETDOCK_PORT_8765_TCP", "tcp://10.96.0.12:8765", "SOCKETDOCK_PORT_8765_TCP_PROTO", "tcp",
                "SOCKETDOCK_PORT_8765_TCP_PORT", "8765", "SOCKETDOCK_PORT_8765_TCP_ADDR", "10.96.0.12",
                "SOCKETDOCK_BINDPORT", String.valueOf(port));
        try (JarProcess dock = start(injected)) {
            dock.awaitStderr("listening on ws://127.0.0.1:" + port + "/ws");
            assertThat(dock.stop()).isZero();
        }

        Path misspelled = Files.createDirectories(dir.resolve("misspelled"));
        try (JarProcess dock = JarProcess.start(command(List.of()), Map.of("SOCKETDOCK_PINGINTERVAL", "bad"), misspelled)) {
            assertRefused(dock, "socketdock: unknown variable SOCKETDOCK_PINGINTERVAL "
                    + "(every SOCKETDOCK_ variable must name an option); did you mean SOCKETDOCK_PING_INTERVAL?");
        }
    }

    @Test
    void anHttpBackendOptionWithTheLoopbackBackendStopsTheStartWithExitCode2() throws Exception {
        try (JarProcess dock = start(Map.of(), "--message-uri", "http://mediator:3000/message")) {
            assertRefused(dock, "socketdock: --message-uri is an http backend option, "
                    + "but the backend is loopback (which would ignore it); add --backend http");
        }
    }

    @Test
    void aDrainCutShortByTheShutdownTimeoutExitsWith1() throws Exception {
        try (RecordingBackendServer backend = RecordingBackendServer.start().holdAnswers("/disconnect");
             TestClient client = new TestClient()) {
            int port = JarProcess.freePort();
            try (JarProcess dock = start(Map.of(), "--bindip", "127.0.0.1", "--bindport", String.valueOf(port),
                    "--backend", "http", "--message-uri", backend.uri("/message").toString(),
                    "--disconnect-uri", backend.uri("/disconnect").toString(), "--shutdown-timeout", "1s")) {
                dock.awaitStderr("listening on");
                TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
                s.sendText("hello");
                backend.await("/message", 1);

                int code = dock.stop();
                assertThat(backend.requests("/disconnect")).as("posted, its answer held").hasSize(1);
                assertThat(code).as(dock.stderr()).isEqualTo(1);
                assertThat(dock.stderr()).contains("exit code 1");
            } finally {
                backend.releaseHeld();
            }
        }
    }

    /** Asserts the process ended with exit code 2 and {@code line} as all its stderr. */
    private static void assertRefused(JarProcess dock, String line) throws InterruptedException {
        assertThat(dock.process().waitFor(JarProcess.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(dock.process().exitValue()).isEqualTo(2);
        assertThat(dock.stderr().lines()).containsExactly(line);
    }

    private JarProcess start(Map<String, String> env, String... args) throws Exception {
        return JarProcess.start(command(List.of(args)), env, dir);
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(JarProcess.command());
        command.addAll(args);
        return command;
    }

    private static boolean isListening(int port) {
        try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
