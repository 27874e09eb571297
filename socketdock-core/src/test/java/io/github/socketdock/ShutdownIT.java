package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.BusyClient;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Graceful shutdown: the drain runs while the server still serves, within the shutdown timeout. */
class ShutdownIT {

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

    private void start(SocketDock.Builder builder, HttpBackendOptions.Builder options) throws Exception {
        dock = closer.add(builder.port(0).backend(Backends.http(options.build())).build().start());
        client = closer.add(new TestClient());
    }

    private HttpBackendOptions.Builder options() {
        return HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect"))
                .disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(20)));
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
    }

    @Test
    void theDrainDoesNotWaitForHeldAnswersOfDeliveredMessages() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers("/message"));
        // were the drain to wait for the held answers, it would take a minute
        start(SocketDock.builder().shutdownTimeout(Duration.ofMinutes(1)), options().timeout(Duration.ofMinutes(1)));
        TestClient.Socket s = client.connect(ws());
        for (int i = 0; i < 3; i++) {
            s.sendText("answer held " + i);
        }
        backend.await("/message", 3);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(dock::close);
        closed.get(20, TimeUnit.SECONDS);
        assertThat(backend.heldCount()).as("still held when the drain ended").isEqualTo(3);
        assertThat(backend.requests("/disconnect")).hasSize(1);
        assertThat(dock.drained()).as("every disconnect taken in time").isTrue();
        assertThat(s.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
    }

    @Test
    void closingWith500ConnectionsPostsEveryDisconnectAndEveryClientSees1001() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        start(SocketDock.builder(), options());
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sockets.add(client.connect(ws()));
        }
        backend.await("/connect", 500);

        dock.close();

        List<RecordingBackendServer.Recorded> disconnects = backend.requests("/disconnect");
        assertThat(disconnects).hasSize(500);
        Set<String> ids = new HashSet<>();
        for (RecordingBackendServer.Recorded d : disconnects) {
            assertThat(d.json().get("code").getAsInt()).isEqualTo(1001);
            assertThat(d.json().get("reason").getAsString()).isEqualTo("going away");
            ids.add(d.json().get("connection_id").getAsString());
        }
        assertThat(ids).hasSize(500);
        for (TestClient.Socket s : sockets) {
            assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1001);
        }
    }

    @Test
    void everyBusyClientGetsItsCloseFrameBeforeItsConnectionCloses() throws Exception {
        // the loopback backend echoes, so the relay writes as much as it reads: at the drain each
        // socket has unread input and unsent output, which is when a close without the handshake
        // resets the connection and loses the close frame still queued behind the echoes
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.loopback()).build().start());
        try (BusyClient.Crowd clients = BusyClient.Crowd.start(dock.port(), 100, 2048)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(clients.framesReceived())
                    .as("frames each client received").allMatch(n -> n > 0));

            dock.close();

            assertThat(clients.endedOtherwiseThan(1001)).as("clients without a 1001 close frame followed by EOF")
                    .isEmpty();
        }
    }

    @Test
    void aClientThatNeverRepliesToTheCloseIsDroppedInTimeForItsDisconnectToBePosted() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        // the ping timeout (the usual bound on a close reply) is longer than the whole shutdown
        start(SocketDock.builder().keepAlive(KeepAlive.defaults().withPingTimeout(Duration.ofMinutes(10)))
                .shutdownTimeout(Duration.ofSeconds(4)), options());
        try (RawSocket silent = new RawSocket(dock.port())) {
            assertThat(silent.upgrade()).startsWith("HTTP/1.1 101");
            backend.await("/connect", 1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(dock::close);
            byte[] close = silent.readFrame();
            assertThat(close[0]).isEqualTo((byte) 0x8);
            // it reads but never replies: dropped after half the shutdown timeout, its disconnect
            // posted while the backend and the drain are still up
            closing.get(30, TimeUnit.SECONDS);
            assertThat(backend.requests("/disconnect")).singleElement()
                    .satisfies(d -> assertThat(d.json().get("code").getAsInt()).isEqualTo(1001));
            assertThat(silent.closedByServer()).isTrue();
        }
    }

    @Test
    void duringTheDrainUpgradesGet503AndSendsToClosedSocketsGet410() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers("/disconnect"));
        start(SocketDock.builder(), options());
        client.connect(ws());
        String id = backend.await("/connect", 1).get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();
        URI send = URI.create(dock.endpoint() + "/socket/" + id + "/send");
        int port = dock.port();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(dock::close);
        backend.await("/disconnect", 1);
        try (RawSocket late = new RawSocket(port)) {
            assertThat(late.upgrade()).startsWith("HTTP/1.1 503");
        }
        assertThat(Http.postText(send, "too late").statusCode()).isEqualTo(410);
        assertThat(closing).isNotDone();

        backend.releaseHeld();
        closing.get(30, TimeUnit.SECONDS);
    }

    @Test
    void disconnectsAreRetriedDuringTheDrainUntilTheBackendIsBack() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        start(SocketDock.builder(), options());
        for (int i = 0; i < 5; i++) {
            client.connect(ws());
        }
        backend.await("/connect", 5);
        backend.kill();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(dock::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> dock.stats().backendRetries() >= 5);
        backend.restart();
        closing.get(30, TimeUnit.SECONDS);
        assertThat(backend.requests("/disconnect")).hasSize(5);
    }

    @Test
    void theShutdownTimeoutBoundsTheDrainWhenTheBackendNeverAnswers() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers("/disconnect"));
        start(SocketDock.builder().shutdownTimeout(Duration.ofMillis(500)), options());
        client.connect(ws());
        backend.await("/connect", 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(dock::close);
        // bounded by the 500 ms shutdown timeout (plus Jetty's stop): far below the 30 s the held
        // disconnect answer would otherwise take
        closing.get(10, TimeUnit.SECONDS);
        assertThat(backend.requests("/disconnect")).hasSize(1);
        assertThat(dock.drained()).as("the disconnect's call still under way at the timeout").isFalse();
    }
}
