package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.ManualTicker;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ConnectMode.AUTHORIZE}: the backend decides on each upgrade. */
class ConnectGatingIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;

    /** Lets held answers go before the closer closes the dock, which would wait for them. */
    @AfterEach
    void releaseHeldAnswers() {
        if (backend != null) {
            backend.releaseHeld();
        }
    }

    private final ManualTicker ticker = new ManualTicker();

    private void start(Backend b) throws Exception {
        dock = closer.add(SocketDock.builder().port(0).connectMode(ConnectMode.AUTHORIZE).backend(b).ticker(ticker).build().start());
        client = closer.add(new TestClient());
    }

    private void startHttp() throws Exception {
        start(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withRetries(1).withBackoff(Duration.ofMillis(10))).build()));
    }

    private String upgrade() throws Exception {
        try (RawSocket raw = new RawSocket(dock.port())) {
            return raw.upgrade("Authorization: Bearer agent-credential");
        }
    }

    @Test
    void a2xxAnswerAcceptsAndTheSocketRelaysWithoutASecondConnect() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        startHttp();
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        s.sendText("after the gate");
        var message = backend.await("/message", 1).get(0).json();
        var connect = backend.requests("/connect");
        assertThat(connect).hasSize(1);
        String id = connect.get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();
        assertThat(message.getAsJsonObject("meta").get("connection_id").getAsString()).isEqualTo(id);
        assertThat(Http.postText(URI.create(dock.endpoint() + "/socket/" + id + "/send"), "hi").statusCode()).isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("hi");
        s.close();
        assertThat(backend.await("/disconnect", 1)).hasSize(1);
    }

    @Test
    void a4xxAnswerRefusesTheHandshakeWithThatStatusAndNoDisconnectFollows() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/connect", 403));
        startHttp();
        assertThat(upgrade()).startsWith("HTTP/1.1 403");
        backend.answer("/connect", 401);
        assertThat(upgrade()).startsWith("HTTP/1.1 401");
        assertThat(backend.requests("/connect")).hasSize(2);
        assertThat(backend.requests("/connect").get(0).json().getAsJsonObject("meta").getAsJsonObject("headers")
                .get("authorization").getAsString()).isEqualTo("Bearer agent-credential");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> backend.requests("/disconnect").isEmpty() && dock.connectionCount() == 0);
    }

    @Test
    void anUpgradeWithSeveralUpgradeHeadersCannotSkipTheGate() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/connect", 403));
        startHttp();
        for (String[] headers : List.of(new String[] {"Upgrade: h2c"}, new String[] {"Upgrade: h2c, websocket"})) {
            try (RawSocket raw = new RawSocket(dock.port())) {
                String answer = raw.upgrade(headers);
                assertThat(answer).as(String.join(" ", headers)).doesNotStartWith("HTTP/1.1 101");
            }
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> backend.requests("/disconnect").isEmpty() && dock.connectionCount() == 0);
    }

    @Test
    void simultaneousUpgradesFromOneAddressAreLimitedBeforeTheBackendIsAsked() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers("/connect"));
        dock = closer.add(SocketDock.builder().port(0).connectMode(ConnectMode.AUTHORIZE)
                .limits(Limits.defaults().withMaxConnectionsPerAddress(1))
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                        .connectUri(backend.uri("/connect")).build())).build().start());
        client = closer.add(new TestClient());
        List<RawSocket> raws = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                RawSocket raw = new RawSocket(dock.port());
                raws.add(raw);
                raw.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            }
            backend.await("/connect", 1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> backend.requests("/connect").size() == 1);
            backend.releaseHeld();
            List<String> statuses = new ArrayList<>();
            for (RawSocket raw : raws) {
                statuses.add(raw.readHead().substring(0, 12));
            }
            assertThat(statuses).as("the backend was asked only about the admitted one")
                    .containsOnly("HTTP/1.1 101", "HTTP/1.1 429").filteredOn(h -> h.endsWith("429")).hasSize(5);
            await().until(() -> dock.connectionCount() == 1);
        } finally {
            for (RawSocket raw : raws) {
                raw.close();
            }
        }
    }

    @Test
    void a5xxAnswerOrAnUnreachableBackendRefusesWith503() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/connect", 500));
        startHttp();
        assertThat(upgrade()).startsWith("HTTP/1.1 503");
        backend.kill(); // refuses, its port held: no server of another test can answer in its place
        // unreachable: the connect is retried after its backoff, which passes on the relay's ticker
        CompletableFuture<String> unreachable = CompletableFuture.supplyAsync(() -> {
            try {
                return upgrade();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        await().until(() -> {
            ticker.advance(Duration.ofMillis(20));
            return unreachable.isDone();
        });
        assertThat(unreachable.get()).startsWith("HTTP/1.1 503");
        backend = null;
    }

    @Test
    void aSendDuringTheConnectPostWaitsForTheUpgrade() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        List<CompletableFuture<Integer>> sends = new ArrayList<>();
        backend.onRequest(r -> {
            if (r.path().equals("/connect")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                // fired, not awaited: awaiting it inside the connect handler would wait for itself
                sends.add(CompletableFuture.supplyAsync(() -> Http.postText(URI.create(send), "welcome").statusCode()));
            }
        });
        startHttp();
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        assertThat(s.nextText()).isEqualTo("welcome");
        assertThat(sends.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void aSendForARefusedConnectionGets410() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/connect", 403));
        List<CompletableFuture<Integer>> sends = new ArrayList<>();
        backend.onRequest(r -> {
            if (r.path().equals("/connect")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                sends.add(CompletableFuture.supplyAsync(() -> Http.postText(URI.create(send), "never").statusCode()));
            }
        });
        startHttp();
        assertThat(upgrade()).startsWith("HTTP/1.1 403");
        assertThat(sends.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(410);
    }

    @Test
    void anInProcessSendBeforeTheUpgradeCompletesIsHeldAndWrittenFirstOrFailsIfRefused() throws Exception {
        List<CompletableFuture<Void>> early = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(new Backend() {
            @Override
            public CompletionStage<Void> onConnect(Connection c) {
                early.add(c.send("welcome 1").toCompletableFuture());
                early.add(c.send("welcome 2").toCompletableFuture());
                assertThat(c.isOpen()).as("not open while it is being decided").isFalse();
                return c.headers().containsKey("authorization") ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new ConnectionRefusedException(401, "no credential"));
            }

            @Override
            public CompletionStage<Void> onMessage(Connection c, Message m) {
                return c.send(m);
            }
        });
        ClientUpgradeRequest withCredential = new ClientUpgradeRequest();
        withCredential.setHeader("Authorization", "Bearer agent-credential");
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"), withCredential);
        s.sendText("after");
        assertThat(List.of(s.nextText(), s.nextText(), s.nextText())).containsExactly("welcome 1", "welcome 2", "after");
        CompletableFuture.allOf(early.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        early.clear();
        try (RawSocket raw = new RawSocket(dock.port())) {
            assertThat(raw.upgrade()).startsWith("HTTP/1.1 401");
        }
        assertThat(early).hasSize(2).allSatisfy(f -> assertThat(f).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(ConnectionClosedException.class));
    }

    @Test
    void anUpgradeNotDecidedWithinTheConnectDecisionTimeoutGets503AndItsWaitingSendsGet410() throws Exception {
        List<Connection> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CloseStatus> disconnects = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(new Backend() {
            @Override
            public CompletionStage<Void> onConnect(Connection c) {
                asked.add(c);
                CompletableFuture<Void> decision = new CompletableFuture<>();
                decisions.add(decision);
                return decision;
            }

            @Override
            public CompletionStage<Void> onMessage(Connection c, Message m) {
                return c.send(m);
            }

            @Override
            public CompletionStage<Void> onDisconnect(Connection c, CloseStatus status) {
                disconnects.add(status);
                return null;
            }
        });
        try (RawSocket raw = new RawSocket(dock.port())) {
            raw.write(RawSocket.upgradeRequest(new byte[16]));
            await().until(() -> asked.size() == 1);
            CompletableFuture<Integer> send = CompletableFuture.supplyAsync(
                    () -> Http.postText(asked.get(0).sendUri(), "waits for the upgrade").statusCode());
            ticker.advance(Duration.ofSeconds(59));
            assertThat(send).as("waits while the decision may still come").isNotDone();
            ticker.advance(Duration.ofSeconds(1));
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 503");
            assertThat(send.get(30, TimeUnit.SECONDS)).isEqualTo(410);
        }
        decisions.get(0).complete(null);
        await().until(() -> disconnects.size() == 1);
        assertThat(disconnects.get(0)).as("accepted too late: the backend still hears it ended")
                .isEqualTo(new CloseStatus(1006, "upgrade did not complete"));
    }

    @Test
    void anEmbeddedBackendRefusesTheSameWay() throws Exception {
        start(new Backend() {
            @Override
            public CompletionStage<Void> onConnect(Connection c) {
                String credential = c.headers().get("authorization");
                if (credential == null) {
                    return CompletableFuture.failedFuture(new ConnectionRefusedException(401, "no credential"));
                }
                if (credential.endsWith("broken")) {
                    return CompletableFuture.failedFuture(new IllegalStateException("store down"));
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> onMessage(Connection c, Message m) {
                return c.send(m);
            }
        });
        try (RawSocket raw = new RawSocket(dock.port())) {
            assertThat(raw.upgrade()).startsWith("HTTP/1.1 401");
        }
        try (RawSocket raw = new RawSocket(dock.port())) {
            assertThat(raw.upgrade("Authorization: Bearer broken")).startsWith("HTTP/1.1 503");
        }
        assertThat(upgrade()).startsWith("HTTP/1.1 101");
    }

    @Test
    void manyGatedUpgradesWaitingTogetherHoldNoThreads() throws Exception {
        List<CompletableFuture<Void>> decisions = new ArrayList<>();
        start(new Backend() {
            @Override
            public CompletionStage<Void> onConnect(Connection c) {
                CompletableFuture<Void> d = new CompletableFuture<>();
                synchronized (decisions) {
                    decisions.add(d);
                }
                return d;
            }

            @Override
            public CompletionStage<Void> onMessage(Connection c, Message m) {
                return c.send(m);
            }
        });
        List<RawSocket> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                RawSocket raw = new RawSocket(dock.port());
                waiting.add(raw);
                raw.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                synchronized (decisions) {
                    return decisions.size() == 300;
                }
            });
            assertThat(Http.call("GET", URI.create("http://127.0.0.1:" + dock.port() + "/nothing")).statusCode())
                    .as("the server still answers while 300 upgrades wait").isEqualTo(404);
            synchronized (decisions) {
                decisions.forEach(d -> d.complete(null));
            }
            for (RawSocket raw : waiting) {
                assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
            }
            await().until(() -> dock.connectionCount() == 300);
        } finally {
            for (RawSocket raw : waiting) {
                raw.close();
            }
        }
    }
}
