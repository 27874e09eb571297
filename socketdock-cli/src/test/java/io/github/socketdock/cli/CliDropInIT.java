package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as a drop-in for the original SocketDock, run in-process as the jar runs it: the
 * command lines of the original's compose files and of Credo's development setup work,
 * {@code --log-file} and {@code --log-config} work (the original's YAML config is ignored with one
 * warning), the variables Kubernetes injects for a Service named {@code socketdock} are ignored, and
 * the exit code says how the drain ended. (SocketDockCommandTest refuses a misspelled variable and
 * an http option with the loopback backend; CliJarIT runs the jar itself.)
 */
class CliDropInIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    @TempDir
    Path dir;

    /** The original's demo compose file: {@code --bindip 0.0.0.0 --backend loopback --endpoint http://socketdock:8765}. */
    @Test
    void theOriginalsDemoCommandLineRunsTheLoopbackEcho() throws Exception {
        // the compose file binds 0.0.0.0 inside its container; the test keeps to loopback
        Cli.Running dock = closer.add(Cli.start(Map.of(), "--bindip", "127.0.0.1", "--bindport", "0",
                "--backend", "loopback", "--endpoint", "http://socketdock:8765"));
        assertThat(dock.stderr()).contains("listening on " + dock.ws(), "callbacks at http://socketdock:8765");
        TestWebSocket ws = closer.add(TestWebSocket.connect(dock.ws()));
        ws.send("hello");
        assertThat(ws.takeText(WAIT)).isEqualTo("hello");
        ws.send("");
        assertThat(ws.takeText(WAIT)).as("an empty message is echoed too").isEmpty();
        assertThat(dock.stop()).as(dock.stderr()).isZero();
    }

    /**
     * The original's load-test compose file (the http backend's three URIs, {@code --endpoint
     * http://websocket-gateway:8765 --log-level WARNING}) and Credo's development setup ({@code
     * --backend http --message-uri http://localhost:3000/message --connect-uri … --disconnect-uri …}),
     * here with the kit's {@link MockMediator} in place of the mediator.
     */
    @Test
    void theLoadTestAndCredoCommandLinesRelayToTheBackend() throws Exception {
        MockMediator mediator = closer.add(MockMediator.start());
        String base = "http://localhost:" + mediator.uri("").getPort();
        List<List<String>> lines = List.of(
                List.of("--backend", "http", "--connect-uri", base + "/connect", "--message-uri", base + "/message",
                        "--disconnect-uri", base + "/disconnect", "--endpoint", "http://websocket-gateway:8765",
                        "--log-level", "WARNING"),
                List.of("--backend", "http", "--message-uri", base + "/message", "--connect-uri", base + "/connect",
                        "--disconnect-uri", base + "/disconnect"));
        int round = 0;
        for (List<String> line : lines) {
            round++;
            List<String> args = new ArrayList<>(line);
            args.addAll(List.of("--bindip", "127.0.0.1", "--bindport", "0"));
            try (Cli.Running dock = Cli.start(Map.of(), args.toArray(String[]::new))) {
                try (TestWebSocket ws = TestWebSocket.connect(dock.ws())) {
                    ws.send("round " + round);
                    assertThat(mediator.takeEnvelope(Kind.MESSAGE, WAIT).message()).isEqualTo("round " + round);
                }
                assertThat(mediator.takeEnvelope(Kind.DISCONNECT, WAIT).path()).isEqualTo("/disconnect");
                assertThat(dock.stop()).as(dock.stderr()).isZero();
                if (round == 1) {
                    assertThat(dock.stderr()).as("--log-level WARNING: no INFO line").doesNotContain(" INFO ");
                } else {
                    assertThat(dock.stderr()).contains(" INFO ", "listening on");
                }
            }
        }
        assertThat(mediator.envelopes().stream().filter(e -> e.kind() == Kind.CONNECT).map(MockMediator.Envelope::path))
                .containsExactly("/connect", "/connect");
    }

    @Test
    void logFileGetsTheLogAndTheOriginalsYamlLogConfigIsIgnoredWithOneWarning() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yml"), "version: 1\nhandlers:\n  console:\n    class: logging.StreamHandler\n");
        Path file = dir.resolve("relay.log");
        Cli.Running dock = closer.add(Cli.start(Map.of(), "--bindip", "127.0.0.1", "--bindport", "0",
                "--log-config", yaml.toString(), "--log-file", file.toString()));
        assertThat(dock.stop()).isZero();
        assertThat(dock.stderr().lines().filter(l -> l.contains("WARN"))).singleElement().asString()
                .contains("--log-config " + yaml + " ignored: not a Logback configuration");
        assertThat(Files.readString(file)).as("the file has what stderr has")
                .contains("listening on " + dock.ws(), "SocketDock stopped")
                .isEqualTo(dock.stderr());
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
        Cli.Running dock = closer.add(Cli.start(Map.of(), "--bindip", "127.0.0.1", "--bindport", "0",
                "--log-config", xml.toString()));
        assertThat(dock.stop()).isZero();
        assertThat(Files.readString(out)).contains("custom|INFO|io.github.socketdock.cli.SocketDockCommand|SocketDock ",
                "custom|INFO|io.github.socketdock.cli.SocketDockCommand|SocketDock stopped");
        assertThat(dock.stderr()).as("nothing on stderr: the configuration has no console").isEmpty();
    }

    @Test
    void theVariablesKubernetesInjectsAreIgnored() {
        Map<String, String> injected = Map.of("SOCKETDOCK_SERVICE_HOST", "10.96.0.12", "SOCKETDOCK_SERVICE_PORT", "8765",
                "SOCKETDOCK_SERVICE_PORT_WS", "8765", "SOCKETDOCK_PORT", "tcp://10.96.0.12:8765",
                "SOCKETDOCK_PORT_8765_TCP", "tcp://10.96.0.12:8765", "SOCKETDOCK_PORT_8765_TCP_PROTO", "tcp",
                "SOCKETDOCK_PORT_8765_TCP_PORT", "8765", "SOCKETDOCK_PORT_8765_TCP_ADDR", "10.96.0.12",
                "SOCKETDOCK_BINDPORT", "0");
        Cli.Running dock = closer.add(Cli.start(injected));
        assertThat(dock.ws().getHost()).isEqualTo("127.0.0.1");
        assertThat(dock.ws().getPort()).as("SOCKETDOCK_BINDPORT=0 taken: a port the system chose, not the default")
                .isNotEqualTo(SocketDock.DEFAULT_PORT);
        assertThat(dock.stderr()).contains("listening on " + dock.ws());
        assertThat(dock.stop()).isZero();
    }

    @Test
    void aDrainCutShortByTheShutdownTimeoutExitsWith1() throws Exception {
        MockMediator mediator = closer.add(MockMediator.start().hold(Kind.DISCONNECT));
        Cli.Running dock = closer.add(Cli.start(Map.of(), "--bindip", "127.0.0.1", "--bindport", "0",
                "--backend", "http", "--message-uri", mediator.uri("/message").toString(),
                "--disconnect-uri", mediator.uri("/disconnect").toString(), "--shutdown-timeout", "1s"));
        TestWebSocket ws = closer.add(TestWebSocket.connect(dock.ws()));
        ws.send("hello");
        mediator.takeEnvelope(Kind.MESSAGE, WAIT);

        int code = dock.stop();
        assertThat(mediator.takeEnvelope(Kind.DISCONNECT, WAIT).code()).as("posted, its answer held").isEqualTo(1001);
        assertThat(code).as(dock.stderr()).isEqualTo(1);
        assertThat(dock.stderr()).contains("SocketDock stopped before every disconnect was taken; exit code 1");
        assertThat(dock.stop()).as("a second stop gives the same code").isEqualTo(1);
    }
}
