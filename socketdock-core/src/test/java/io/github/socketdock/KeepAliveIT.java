package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.testing.CapturingBackend;
import io.github.socketdock.testing.RawSocket;
import io.github.socketdock.testing.TestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pings from either side, the ping timeout, the idle timeout and the slow-client timeout. */
class KeepAliveIT {

    /** Loopback that records each disconnect's status and can hold a message's stage. */
    static final class Recording implements Backend {
        final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();
        final List<Connection> connections = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> onConnect(Connection c) {
            connections.add(c);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> onMessage(Connection c, Message m) {
            return gate.thenCompose(v -> c.send(m));
        }

        @Override
        public CompletionStage<Void> onDisconnect(Connection c, CloseStatus status) {
            disconnects.add(status);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final Recording backend = new Recording();
    private SocketDock dock;
    private TestClient client;

    @AfterEach
    void stop() throws Exception {
        backend.gate.complete(null);
        if (client != null) {
            client.close();
        }
        if (dock != null) {
            dock.close();
        }
    }

    private void start(SocketDock.Builder builder) throws Exception {
        dock = builder.port(0).backend(backend).build().start();
        client = new TestClient();
    }

    private TestClient.Socket connect() throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
    }

    @Test
    void aClientPingIsAnsweredAndTheSocketKeepsRelaying() throws Exception {
        dock = SocketDock.builder().port(0).backend(new CapturingBackend(Backends.loopback())).build().start();
        client = new TestClient();
        TestClient.Socket s = connect();
        s.ping(new byte[] {1, 2, 3});
        assertThat(s.nextPong()).containsExactly(1, 2, 3);
        s.sendText("after ping");
        assertThat(s.nextText()).isEqualTo("after ping");
        s.ping(new byte[] {4});
        s.ping(new byte[] {5});
        s.sendText("after two pings");
        assertThat(s.nextText()).isEqualTo("after two pings");
        assertThat(s.nextPong()).containsExactly(4);
        assertThat(s.nextPong()).containsExactly(5);
    }

    @Test
    void aClientThatAnswersPingsStaysConnectedAndKeepsRelaying() throws Exception {
        start(SocketDock.builder().pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(200)));
        TestClient.Socket s = connect();
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> !s.closed().isDone());
        s.sendText("still here");
        assertThat(s.nextText()).isEqualTo("still here");
        assertThat(backend.disconnects).isEmpty();
    }

    @Test
    void aClientThatDoesNotAnswerPingsIsDroppedAndItsDisconnectSaysPingTimeout() throws Exception {
        start(SocketDock.builder().pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(300)));
        try (RawSocket silent = new RawSocket(dock.port())) {
            assertThat(silent.upgrade()).startsWith("HTTP/1.1 101");
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.disconnects.size() == 1);
            assertThat(backend.disconnects.get(0)).isEqualTo(new CloseStatus(1006, "ping timeout"));
            assertThat(silent.closedByServer()).isTrue();
        }
    }

    @Test
    void thePingTimeoutDoesNotRunWhileTheBackendHoldsTheReading() throws Exception {
        start(SocketDock.builder().pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(200)));
        backend.gate = new CompletableFuture<>();
        try (RawSocket silent = new RawSocket(dock.port())) {
            assertThat(silent.upgrade()).startsWith("HTTP/1.1 101");
            silent.write(RawSocket.frame(true, 1, "held".getBytes(StandardCharsets.UTF_8)));
            await().until(() -> backend.connections.size() == 1);
            await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> backend.disconnects.isEmpty());

            backend.gate.complete(null);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.disconnects.size() == 1);
            assertThat(backend.disconnects.get(0).reason()).isEqualTo("ping timeout");
        }
    }

    @Test
    void aSocketWithoutDataFramesIsClosedByTheIdleTimeoutEvenWhilePongsCome() throws Exception {
        start(SocketDock.builder().pingInterval(Duration.ofMillis(50)).idleTimeout(Duration.ofMillis(400)));
        TestClient.Socket s = connect();
        TestClient.Closed closed = s.closed().get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(closed.reason()).isEqualTo("idle timeout");
        await().until(() -> backend.disconnects.size() == 1);
        assertThat(backend.disconnects.get(0)).isEqualTo(new CloseStatus(1001, "idle timeout"));
    }

    @Test
    void dataFramesKeepTheIdleTimeoutAway() throws Exception {
        start(SocketDock.builder().idleTimeout(Duration.ofMillis(600)));
        TestClient.Socket s = connect();
        java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            ticker.scheduleAtFixedRate(() -> s.session().sendText("tick", org.eclipse.jetty.websocket.api.Callback.NOOP),
                    0, 100, TimeUnit.MILLISECONDS);
            await().during(Duration.ofMillis(1800)).atMost(Duration.ofSeconds(5)).until(() -> !s.closed().isDone());
        } finally {
            ticker.shutdownNow();
        }
        assertThat(backend.disconnects).isEmpty();
    }

    @Test
    void aClientThatReadsNothingWhileFramesWaitIsClosedAsASlowClient() throws Exception {
        start(SocketDock.builder().slowClientTimeout(Duration.ofMillis(500)).pingInterval(Duration.ZERO));
        try (RawSocket stalled = new RawSocket(dock.port()).smallReceiveBuffer()) {
            assertThat(stalled.upgrade()).startsWith("HTTP/1.1 101");
            await().until(() -> backend.connections.size() == 1);
            Connection c = backend.connections.get(0);
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 64 && c.isOpen(); i++) {
                c.send(chunk);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.disconnects.size() == 1);
            assertThat(backend.disconnects.get(0)).isEqualTo(new CloseStatus(1008, "slow client"));
        }
    }
}
