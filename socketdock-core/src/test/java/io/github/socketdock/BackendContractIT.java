package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The written contract of {@link Backend}, checked with an in-process backend and a real client. */
class BackendContractIT {

    @RegisterExtension
    final Closer closer = new Closer();

    /** Records every event as "connect:id", "message:id:text", "disconnect:id:code". */
    static class EventLog implements Backend {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Connection> connections = new CopyOnWriteArrayList<>();
        final ConcurrentHashMap<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
        volatile CompletableFuture<Void> connectGate = CompletableFuture.completedFuture(null);
        volatile boolean started;
        volatile boolean closed;

        @Override
        public void start() {
            started = true;
        }

        @Override
        public CompletionStage<Void> onConnect(Connection c) {
            connections.add(c);
            events.add("connect:" + c.id());
            return connectGate;
        }

        @Override
        public CompletionStage<Void> onMessage(Connection c, Message m) {
            String text = m.isText() ? m.text() : "binary" + m.bytes().length;
            events.add("message:" + c.id() + ":" + text);
            CompletableFuture<Void> gate = gates.get(text);
            return gate != null ? gate : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> onDisconnect(Connection c, CloseStatus status) {
            events.add("disconnect:" + c.id() + ":" + status.code());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }

        List<String> of(String id) {
            List<String> out = new ArrayList<>();
            for (String e : events) {
                if (e.contains(":" + id)) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    private final EventLog backend = new EventLog();
    private SocketDock dock;
    private TestClient client;

    private void start(Backend b) throws Exception {
        dock = closer.add(SocketDock.builder().port(0).backend(b).build().start());
        client = closer.add(new TestClient());
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
    }

    @Test
    void connectCompletesBeforeAnyMessageIsDelivered() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        backend.connectGate = gate;
        start(backend);
        TestClient.Socket s = client.connect(ws());
        s.sendText("one");
        s.sendText("two");
        await().until(() -> backend.connections.size() == 1);
        String id = backend.connections.get(0).id();
        assertThat(dock.connection(id)).isPresent();
        assertThat(backend.of(id)).containsExactly("connect:" + id);

        gate.complete(null);
        await().until(() -> backend.of(id).size() == 3);
        assertThat(backend.of(id)).containsExactly("connect:" + id, "message:" + id + ":one", "message:" + id + ":two");
    }

    @Test
    void messagesAreDeliveredOneAtATimeInOrderAndDisconnectOnceAfterThem() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        backend.gates.put("slow", gate);
        start(backend);
        TestClient.Socket s = client.connect(ws());
        s.sendText("slow");
        s.sendText("next");
        s.session().close(1000, "bye", org.eclipse.jetty.websocket.api.Callback.NOOP);
        await().until(() -> backend.connections.size() == 1);
        String id = backend.connections.get(0).id();
        await().until(() -> backend.of(id).size() == 2);
        assertThat(backend.of(id)).containsExactly("connect:" + id, "message:" + id + ":slow");

        gate.complete(null);
        await().until(() -> backend.of(id).size() == 4);
        assertThat(backend.of(id)).containsExactly("connect:" + id, "message:" + id + ":slow",
                "message:" + id + ":next", "disconnect:" + id + ":1000");
    }

    @Test
    void aPendingStageHoldsOnlyItsOwnConnection() throws Exception {
        CompletableFuture<Void> stuckGate = new CompletableFuture<>();
        backend.gates.put("never", stuckGate);
        start(backend);
        TestClient.Socket stuck = client.connect(ws());
        stuck.sendText("never");
        TestClient.Socket free = client.connect(ws());
        for (int i = 0; i < 50; i++) {
            free.sendText("m" + i);
        }
        await().until(() -> backend.events.stream().filter(e -> e.endsWith(":m49")).count() == 1);
        assertThat(backend.events.stream().filter(e -> e.startsWith("message:")).count()).isEqualTo(51);
        stuckGate.complete(null);
    }

    @Test
    void aFailedMessageStageClosesWith1011AndDisconnectFollows() throws Exception {
        backend.gates.put("fail", CompletableFuture.failedFuture(new IllegalStateException("mediator down")));
        start(backend);
        TestClient.Socket s = client.connect(ws());
        s.sendText("fail");
        TestClient.Closed closed = s.closed().get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1011);
        assertThat(closed.reason()).isEqualTo("backend unavailable");
        String id = backend.connections.get(0).id();
        await().until(() -> backend.of(id).contains("disconnect:" + id + ":1011"));
    }

    @Test
    void aBackendThatThrowsIsTreatedAsAFailedStage() throws Exception {
        start(new Backend() {
            @Override
            public CompletionStage<Void> onMessage(Connection c, Message m) {
                throw new IllegalStateException("boom");
            }
        });
        TestClient.Socket s = client.connect(ws());
        s.sendText("x");
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
    }

    @Test
    void disconnectIsDeliveredExactlyOnceWhenBothSidesClose() throws Exception {
        start(backend);
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sockets.add(client.connect(ws()));
        }
        await().until(() -> backend.connections.size() == 20);
        for (int i = 0; i < 20; i++) {
            Connection c = backend.connections.get(i);
            c.close(1000, "server side");
            if (i % 2 == 0) {
                sockets.get(i).abort();
            }
        }
        await().until(() -> backend.events.stream().filter(e -> e.startsWith("disconnect:")).count() == 20);
        await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> backend.events.stream().filter(e -> e.startsWith("disconnect:")).count() == 20);
        for (Connection c : backend.connections) {
            assertThat(Collections.frequency(backend.events.stream().map(e -> e.startsWith("disconnect:" + c.id()))
                    .toList(), true)).isEqualTo(1);
            assertThat(dock.connection(c.id())).isEmpty();
        }
    }

    @Test
    void connectionHandleSendsAndIsFoundLater() throws Exception {
        start(backend);
        TestClient.Socket s = client.connect(ws());
        await().until(() -> backend.connections.size() == 1);
        Connection c = dock.connection(backend.connections.get(0).id()).orElseThrow();
        c.send("text").toCompletableFuture().get(10, TimeUnit.SECONDS);
        c.send(new byte[] {1, 2}).toCompletableFuture().get(10, TimeUnit.SECONDS);
        c.send(java.nio.ByteBuffer.wrap(new byte[] {3})).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(s.nextText()).isEqualTo("text");
        assertThat(s.next().binary()).isEqualTo(new byte[] {1, 2});
        assertThat(s.next().binary()).isEqualTo(new byte[] {3});
        assertThat(c.headers()).containsKey("host");
        assertThat(c.remoteAddress().getAddress().isLoopbackAddress()).isTrue();

        c.close(4000, "done").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(s.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(4000);
        assertThat(c.isOpen()).isFalse();
        assertThat(dock.connection(c.id())).isEmpty();
        CompletableFuture<Void> late = c.send("late").toCompletableFuture();
        assertThat(late).failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void closeRefusesCodesAnApplicationMayNotSend() throws Exception {
        start(backend);
        client.connect(ws());
        await().until(() -> backend.connections.size() == 1);
        Connection c = backend.connections.get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.close(1006, "no"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1006");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.close(1000, "x".repeat(124)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("123");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void closingTheDockSendsGoingAwayDeliversEveryDisconnectAndClosesTheBackend() throws Exception {
        start(backend);
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sockets.add(client.connect(ws()));
        }
        await().until(() -> backend.connections.size() == 10);
        assertThat(backend.started).isTrue();
        dock.close();

        assertThat(backend.events.stream().filter(e -> e.startsWith("disconnect:") && e.endsWith(":1001")).count())
                .isEqualTo(10);
        assertThat(backend.closed).isTrue();
        for (TestClient.Socket s : sockets) {
            assertThat(s.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
        }
    }
}
