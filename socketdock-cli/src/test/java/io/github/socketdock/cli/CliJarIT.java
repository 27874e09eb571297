package io.github.socketdock.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.socketdock.fixtures.BusyClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executable jar, started as a process with the original SocketDock's flags, between a
 * real WebSocket client and a real HTTP backend that answers like the original's lambda-style
 * mediators: on each message POST it reads {@code meta.send} and POSTs its reply there.
 */
class CliJarIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * How long the backend holds its answer to a going-away (1001) disconnect, the drain's: a
     * SocketDock that did not wait for its disconnects on SIGTERM would have exited long before
     * (with {@code --shutdown-timeout 0} it does, within about a second, and the test fails).
     */
    private static final Duration DISCONNECT_HOLD = Duration.ofSeconds(3);

    @TempDir
    Path logDir;

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> messagePosts = new LinkedBlockingQueue<>();
    private final BlockingQueue<DisconnectPost> disconnectPosts = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> sendAnswers = new LinkedBlockingQueue<>();
    private final HttpClient httpClient = new HttpClient();
    private final WebSocketClient wsClient = new WebSocketClient();
    private final Server backend = new Server();
    private int backendPort;

    @BeforeEach
    void startBackend() throws Exception {
        httpClient.start();
        wsClient.start();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        backend.addConnector(connector);
        backend.setHandler(new Recorder());
        backend.start();
        backendPort = connector.getLocalPort();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        wsClient.stop();
        httpClient.stop();
        backend.stop();
    }

    @Test
    void relaysBetweenAWebSocketClientAndAnHttpBackendAndStopsOnSigterm() throws Exception {
        int port = freePort();
        String backendUrl = "http://127.0.0.1:" + backendPort;
        Path log = logDir.resolve("socketdock.log");
        Process dock = startJar(log, "--bindip", "127.0.0.1", "--bindport", String.valueOf(port), "--backend", "http",
                "--message_uri", backendUrl + "/message", "--disconnect_uri", backendUrl + "/disconnect",
                "--endpoint", "http://127.0.0.1:" + port);
        await().atMost(WAIT).until(() -> read(log).contains("listening on") || !dock.isAlive());
        assertThat(dock.isAlive()).as(read(log)).isTrue();
        assertThat(read(log)).contains("listening on ws://127.0.0.1:" + port + "/ws (backend: http -> "
                + backendUrl + "/message; callbacks at http://127.0.0.1:" + port + ")");
        String started = read(log);
        assertThat(started.indexOf(" INFO  SocketDockCommand - settings listen: "))
                .as("the effective settings (EffectiveSettingsTest), then where it listens").isNotNegative().isLessThan(started.indexOf("listening on"));
        ContentResponse page = httpClient.GET("http://127.0.0.1:" + port + "/metrics");
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentAsString()).as("the shaded jar's Prometheus page (CliMetricsIT checks it in full)")
                .contains("socketdock_connections_active 0.0", "jvm_memory_used_bytes{");

        ClientListener client = new ClientListener();
        Session session = wsClient.connect(client, URI.create("ws://127.0.0.1:" + port + "/ws")).get(30, SECONDS);
        session.sendText("hello dock", org.eclipse.jetty.websocket.api.Callback.NOOP);

        JsonObject posted = JsonParser.parseString(messagePosts.poll(30, SECONDS)).getAsJsonObject();
        assertThat(posted.keySet()).containsExactlyInAnyOrder("meta", "message");
        assertThat(posted.get("message").getAsString()).isEqualTo("hello dock");
        JsonObject meta = posted.getAsJsonObject("meta");
        assertThat(meta.keySet()).containsExactlyInAnyOrder("send", "disconnect", "connection_id");
        String id = meta.get("connection_id").getAsString();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(meta.get("send").getAsString()).isEqualTo("http://127.0.0.1:" + port + "/socket/" + id + "/send");
        assertThat(meta.get("disconnect").getAsString())
                .isEqualTo("http://127.0.0.1:" + port + "/socket/" + id + "/disconnect");
        assertThat(sendAnswers.poll(30, SECONDS)).isEqualTo(200);
        assertThat(client.texts.poll(30, SECONDS)).isEqualTo("reply to hello dock");

        session.close(1000, "bye", org.eclipse.jetty.websocket.api.Callback.NOOP);
        JsonObject disconnect = disconnectPosts.poll(30, SECONDS).json();
        assertThat(disconnect.get("connection_id").getAsString()).isEqualTo(id);
        client.closed.get(30, SECONDS);

        // a connection still open at SIGTERM: the drain closes it with 1001 and the backend hears of it
        ClientListener stayer = new ClientListener();
        Session stayerSession = wsClient.connect(stayer, URI.create("ws://127.0.0.1:" + port + "/ws"))
                .get(30, SECONDS);
        stayerSession.sendText("still here", org.eclipse.jetty.websocket.api.Callback.NOOP);
        JsonObject stayerPost = JsonParser.parseString(messagePosts.poll(30, SECONDS)).getAsJsonObject();
        String stayerId = stayerPost.getAsJsonObject("meta").get("connection_id").getAsString();
        assertThat(stayer.texts.poll(30, SECONDS)).isEqualTo("reply to still here");
        assertThat(stayerSession.isOpen()).isTrue();

        dock.destroy(); // SIGTERM
        assertThat(stayer.closed.get(30, SECONDS)).as(read(log)).isEqualTo(1001);
        DisconnectPost drained = disconnectPosts.poll(30, SECONDS);
        assertThat(drained).as(read(log)).isNotNull();
        assertThat(drained.json().get("connection_id").getAsString()).isEqualTo(stayerId);
        assertThat(drained.json().get("code").getAsInt()).isEqualTo(1001);
        assertThat(drained.dockAliveWhenAnswered())
                .as("SocketDock still running once the backend answered the disconnect, after holding it %s",
                        DISCONNECT_HOLD)
                .isTrue();
        assertThat(dock.waitFor(30, SECONDS)).as(read(log)).isTrue();
        assertThat(dock.exitValue()).as(read(log)).isZero();
        assertThat(read(log)).contains("shutting down", "SocketDock stopped");
        assertThat(disconnectPosts).isEmpty();
    }

    @Test
    void onSigtermUnderLoadEveryBusyClientGetsItsCloseFrameBeforeItsConnectionEnds() throws Exception {
        int port = freePort();
        Path log = logDir.resolve("socketdock.log");
        Process dock = startJar(log, "--bindip", "127.0.0.1", "--bindport", String.valueOf(port), "--backend", "loopback");
        await().atMost(WAIT).until(() -> read(log).contains("listening on") || !dock.isAlive());
        assertThat(dock.isAlive()).as(read(log)).isTrue();
        try (BusyClient.Crowd clients = BusyClient.Crowd.start(port, 100, 2048)) {
            // loopback echoes: every socket is being read and written when SIGTERM comes
            await().atMost(WAIT).until(() -> clients.framesReceived().stream().allMatch(n -> n > 0));

            dock.destroy(); // SIGTERM

            assertThat(clients.endedOtherwiseThan(1001)).as("clients without a 1001 close frame followed by EOF")
                    .isEmpty();
            assertThat(dock.waitFor(30, SECONDS)).as(read(log)).isTrue();
            assertThat(dock.exitValue()).as(read(log)).isZero();
        }
    }

    @Test
    void badFlagExitsWith2AndOneLineOnStderr() throws Exception {
        Process p = startJar(null, "--bindport", "abc");

        assertThat(p.waitFor(30, SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines())
                .containsExactly("socketdock: invalid value for --bindport: 'abc' is not a port number (0-65535)");
        assertThat(p.getInputStream().readAllBytes()).isEmpty();
    }

    /** The exit code of a drain cut short, as the shutdown hook ends the process with it (CliDropInIT: in-process). */
    @Test
    void onSigtermADrainCutShortByTheShutdownTimeoutExitsWith1() throws Exception {
        int port = freePort();
        Path log = logDir.resolve("socketdock.log");
        String backendUrl = "http://127.0.0.1:" + backendPort;
        Process dock = startJar(log, "--bindip", "127.0.0.1", "--bindport", String.valueOf(port), "--backend", "http",
                "--message-uri", backendUrl + "/message", "--disconnect-uri", backendUrl + "/disconnect",
                "--shutdown-timeout", "1s");
        await().atMost(WAIT).until(() -> read(log).contains("listening on") || !dock.isAlive());
        ClientListener client = new ClientListener();
        Session session = wsClient.connect(client, URI.create("ws://127.0.0.1:" + port + "/ws")).get(30, SECONDS);
        session.sendText("hold my disconnect", org.eclipse.jetty.websocket.api.Callback.NOOP);
        assertThat(client.texts.poll(30, SECONDS)).isEqualTo("reply to hold my disconnect");

        dock.destroy(); // SIGTERM: the drain posts a 1001 disconnect, which the backend holds longer than 1 s
        assertThat(dock.waitFor(30, SECONDS)).as(read(log)).isTrue();
        assertThat(dock.exitValue()).as(read(log)).isEqualTo(1);
        assertThat(read(log)).contains("SocketDock stopped before every disconnect was taken; exit code 1");
    }

    @Test
    void portInUseExitsWith1AndOneLineNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Process p = startJar(null, "--bindip", "127.0.0.1", "--bindport", String.valueOf(taken.getLocalPort()));

            assertThat(p.waitFor(30, SECONDS)).isTrue();
            List<String> err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.exitValue()).as(String.join("\n", err)).isEqualTo(1);
            assertThat(err.stream().filter(l -> l.startsWith("socketdock: ")))
                    .singleElement().asString().contains(String.valueOf(taken.getLocalPort()));
        }
    }

    /**
     * Starts the jar. With a log file, stdout and stderr both go there (a file, because
     * {@link Process#destroy()} closes the pipes and the shutdown's log lines would be lost);
     * without, they stay pipes to read once the process has ended.
     */
    private Process startJar(Path log, String... args) throws IOException {
        List<String> command = JarProcess.command(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvDefaultProvider.PREFIX));
        if (log != null) {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The mediator: records message and disconnect POSTs, and answers each message through meta.send. */
    private final class Recorder extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            switch (Request.getPathInContext(request)) {
                case "/message" -> {
                    messagePosts.add(body);
                    JsonObject json = JsonParser.parseString(body).getAsJsonObject();
                    String send = json.getAsJsonObject("meta").get("send").getAsString();
                    ContentResponse answer = httpClient.POST(send)
                            .body(new StringRequestContent("text/plain; charset=utf-8",
                                    "reply to " + json.get("message").getAsString()))
                            .timeout(30, SECONDS)
                            .send();
                    sendAnswers.add(answer.getStatus());
                }
                case "/disconnect" -> {
                    Runnable answer = () -> {
                        boolean alive = !processes.isEmpty() && processes.stream().allMatch(Process::isAlive);
                        disconnectPosts.add(new DisconnectPost(body, alive));
                        response.setStatus(200);
                        callback.succeeded();
                    };
                    if (JsonParser.parseString(body).getAsJsonObject().get("code").getAsInt() == 1001) {
                        // hold the drain's answer without holding a thread: answer it later
                        CompletableFuture.delayedExecutor(DISCONNECT_HOLD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                                .execute(answer);
                    } else {
                        answer.run();
                    }
                    return true;
                }
                default -> {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
            }
            response.setStatus(200);
            callback.succeeded();
            return true;
        }
    }

    /**
     * A disconnect POST as the backend received it, and whether the SocketDock process was still
     * running when the backend answered it (a going-away one after holding it {@link #DISCONNECT_HOLD}).
     */
    private record DisconnectPost(String body, boolean dockAliveWhenAnswered) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    /** The WebSocket client's side: the texts it received and when it closed. */
    public static final class ClientListener extends Session.Listener.AbstractAutoDemanding {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String text) {
            texts.add(text);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, org.eclipse.jetty.websocket.api.Callback callback) {
            closed.complete(statusCode);
            callback.succeed();
        }
    }
}
