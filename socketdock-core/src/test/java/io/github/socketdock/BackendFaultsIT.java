package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.DeadPort;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backend faults provoked for real: a backend that is stopped, resets connections, answers 503 or
 * 500, holds its answer past the timeout, or restarts while a disconnect waits.
 */
class BackendFaultsIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;
    private ServerSocket resetter;

    /** Lets held answers go before the closer closes the dock, which would wait for them. */
    @AfterEach
    void releaseHeldAnswers() {
        if (backend != null) {
            backend.releaseHeld();
        }
    }

    private TestClient.Socket connect(HttpBackendOptions.Builder options) throws Exception {
        return connect(SocketDock.builder(), options);
    }

    private TestClient.Socket connect(SocketDock.Builder builder, HttpBackendOptions.Builder options) throws Exception {
        dock = closer.add(builder.port(0).backend(Backends.http(options.build())).build().start());
        client = closer.add(new TestClient());
        return client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
    }

    private URI deadUri(String path) throws Exception {
        return closer.add(DeadPort.open()).uri(path);
    }

    @Test
    void aStoppedBackendIsRetriedThenTheSocketClosesWith1011AndTheDisconnectIsPosted() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        TestClient.Socket s = connect(HttpBackendOptions.builder(deadUri("/message"))
                .disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withRetries(3).withBackoff(Duration.ofMillis(10))));
        s.sendText("nobody listens");

        TestClient.Closed closed = s.closed().get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1011);
        assertThat(closed.reason()).isEqualTo("backend unavailable");
        JsonObject disconnect = backend.await("/disconnect", 1).get(0).json();
        assertThat(disconnect.get("code").getAsInt()).isEqualTo(1011);
        assertThat(dock.stats().backendRetries()).isEqualTo(3);
        assertThat(dock.stats().undeliveredMessages()).isEqualTo(1);
    }

    @Test
    void aBackendThatDoesNotAcceptWithinTheConnectTimeoutIsRetriedThenGivenUp() throws Exception {
        // a listening socket that never accepts, its accept queue filled: further SYNs go unanswered
        resetter = closer.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
        java.util.List<Socket> fillers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket f = new Socket();
                try {
                    f.connect(resetter.getLocalSocketAddress(), 200);
                    fillers.add(f);
                } catch (java.io.IOException full) {
                    f.close();
                    break;
                }
            }
            TestClient.Socket s = connect(HttpBackendOptions.builder(
                    URI.create("http://127.0.0.1:" + resetter.getLocalPort() + "/message"))
                    .connectTimeout(Duration.ofMillis(200))
                    .retry(Retry.defaults().withRetries(1).withBackoff(Duration.ofMillis(10))));
            s.sendText("cannot connect");
            assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
            assertThat(dock.stats().backendRetries()).isEqualTo(1);
            assertThat(dock.stats().undeliveredMessages()).isEqualTo(1);
        } finally {
            for (Socket f : fillers) {
                f.close();
            }
        }
    }

    @Test
    void aConnectionResetBeforeTheRequestWasFullySentIsRetried() throws Exception {
        // a tiny receive window and a body far larger than any socket buffer: the reset is certain
        // to come while the request is still being written
        resetter = closer.add(new ServerSocket());
        resetter.setReceiveBufferSize(4096);
        resetter.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        AtomicInteger accepted = new AtomicInteger();
        Thread t = new Thread(() -> {
            while (!resetter.isClosed()) {
                try (Socket c = resetter.accept()) {
                    accepted.incrementAndGet();
                    c.setSoLinger(true, 0);
                    InputStream in = c.getInputStream();
                    in.readNBytes(512);
                } catch (Exception e) {
                    // closed
                }
            }
        }, "resetting-backend");
        t.setDaemon(true);
        t.start();
        TestClient.Socket s = connect(SocketDock.builder()
                .limits(Limits.defaults().withMaxMessageSize(16 * 1024 * 1024)), HttpBackendOptions.builder(
                URI.create("http://127.0.0.1:" + resetter.getLocalPort() + "/message"))
                .retry(Retry.defaults().withRetries(2).withBackoff(Duration.ofMillis(10))));
        s.sendText("z".repeat(12 * 1024 * 1024));

        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        assertThat(accepted.get()).isEqualTo(3);
        assertThat(dock.stats().backendRetries()).isEqualTo(2);
    }

    /**
     * A 503, and a request read whole whose connection then ends with no answer (a reset, a backend
     * killed while it held the request), are retried with the same ids, and hold the next message
     * back: the window is longer than any plausible delay of the failure, even on a loaded machine
     * (past the window, the README says, a later message may overtake a retry).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"answered 503", "dropped unanswered"})
    void aRefusedOrLostMessageIsRetriedWithItsIdsAndHoldsTheNextOneBack(String failure) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        backend = closer.add(RecordingBackendServer.start().answerBy(r -> !r.path().equals("/message") || failures.getAndIncrement() >= 2
                ? 0 : failure.startsWith("answered") ? 503 : RecordingBackendServer.DROP));
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(10))).orderingWindow(Duration.ofSeconds(5)));
        s.sendText("first");
        s.sendText("second");

        var messages = backend.await("/message", 4);
        assertThat(messages).extracting(r -> r.json().get("message").getAsString())
                .containsExactly("first", "first", "first", "second");
        assertThat(messages).extracting(r -> r.header("SocketDock-Sequence")).containsExactly("1", "1", "1", "2");
        assertThat(messages.subList(0, 3)).extracting(r -> r.header("SocketDock-Message-Id"))
                .containsOnly(messages.get(0).header("SocketDock-Message-Id"));
        // a try is counted once it ended, which may be a moment after the next message left
        await().untilAsserted(() -> assertThat(dock.stats().backendRetries()).isEqualTo(2));
        assertThat(dock.stats().undeliveredMessages()).isZero();
        assertThat(s.closed()).isNotDone();
    }

    @Test
    void whenAMessagesRetriesRunOutTheSocketClosesWith1011AndNothingSentAfterItIsDelivered() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answerBy(r -> r.path().equals("/message")
                && r.json().get("message").getAsString().equals("m1") ? 503 : 0));
        // a window longer than any 503 here takes: each refusal holds m2 and m3 back
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .disconnectUri(backend.uri("/disconnect")).orderingWindow(Duration.ofSeconds(10))
                .retry(Retry.defaults().withRetries(2).withBackoff(Duration.ofMillis(10))));
        for (int i = 0; i < 4; i++) {
            s.sendText("m" + i);
        }

        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        assertThat(backend.await("/disconnect", 1).get(0).json().get("code").getAsInt()).isEqualTo(1011);
        assertThat(backend.requests("/message")).extracting(r -> r.json().get("message").getAsString())
                .as("m1 tried three times, nothing after it").containsExactly("m0", "m1", "m1", "m1");
        assertThat(dock.stats().undeliveredMessages()).isEqualTo(1);
    }

    @Test
    void aMessageRefusedWith503OnlyAfterTheOrderingWindowIsNotDroppedSilentlyTheSocketCloses1011() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/message", 503).holdAnswers("/message"));
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withRetries(0).withBackoff(Duration.ofMillis(10))));
        s.sendText("refused late");
        backend.await("/message", 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !s.closed().isDone());
        backend.releaseHeld();

        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        assertThat(dock.stats().undeliveredMessages()).isEqualTo(1);
        assertThat(backend.await("/disconnect", 1).get(0).json().get("code").getAsInt()).isEqualTo(1011);
    }

    @Test
    void anyOther5xxIsNeverRetriedSoTheBackendSeesNoDuplicate() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/message", 500));
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(10))));
        s.sendText("once");
        s.sendText("marker");
        backend.await("/message", 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> backend.requests("/message").size() == 2);
        assertThat(backend.requests("/message")).extracting(r -> r.json().get("message").getAsString())
                .containsExactly("once", "marker");
        assertThat(dock.stats().backendRetries()).isZero();
        assertThat(s.closed()).isNotDone();
    }

    @Test
    void anAnswerThatDoesNotComeInTimeIsAbandonedAndCountedAndTheSocketStays() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers(r -> r.text().contains("slow")));
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .timeout(Duration.ofMillis(300)).retry(Retry.defaults().withBackoff(Duration.ofMillis(10))));
        s.sendText("slow answer");
        await().atMost(Duration.ofSeconds(10)).until(() -> dock.stats().abandonedAnswers() == 1);
        s.sendText("after");

        var messages = backend.await("/message", 2);
        assertThat(messages).extracting(r -> r.json().get("message").getAsString()).containsExactly("slow answer", "after");
        assertThat(dock.stats().backendRetries()).isZero();
        assertThat(s.closed()).isNotDone();
    }

    @Test
    void aDisconnectKeepsBeingRetriedUntilARestartedBackendTakesIt() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withRetries(0).withBackoff(Duration.ofMillis(50))));
        s.sendText("hello");
        backend.await("/message", 1);
        backend.kill();
        s.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> dock.stats().backendRetries() >= 2);

        backend.restart();
        JsonObject disconnect = backend.await("/disconnect", 1).get(0).json();
        assertThat(disconnect.get("code").getAsInt()).isEqualTo(1000);
        assertThat(dock.stats().undeliveredDisconnects()).isZero();
    }

    @Test
    void aConnectAnswered503AfterTheOrderingWindowStillHoldsItsMessagesBack() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/connect", 503)
                .holdAnswers(r -> r.path().equals("/connect")));
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect"))
                .retry(Retry.defaults().withRetries(0).withBackoff(Duration.ofMillis(10))));
        s.sendText("must not be relayed");
        backend.await("/connect", 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> backend.requests("/message").isEmpty());
        backend.releaseHeld();
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        assertThat(backend.requests("/message")).isEmpty();
    }

    @Test
    void aConnectThatCannotBeDeliveredAfterItsRetriesClosesWith1011BeforeAnyMessage() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answer("/connect", 503));
        TestClient.Socket s = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect"))
                .retry(Retry.defaults().withRetries(2).withBackoff(Duration.ofMillis(10))));
        try {
            s.sendText("must not be relayed");
        } catch (java.util.concurrent.ExecutionException closedAlready) {
            // the socket may already be closed
        }
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        assertThat(backend.requests("/connect")).hasSize(3);
        assertThat(backend.requests("/message")).isEmpty();
    }
}
