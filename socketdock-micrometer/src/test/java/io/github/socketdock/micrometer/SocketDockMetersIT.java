package io.github.socketdock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backends;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.DeadPort;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters a real relay records through {@link SocketDockMeters}, with a real backend and real clients. */
class SocketDockMetersIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SocketDockMeters listener = new SocketDockMeters(meters);
    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;

    /** Starts a relay with these meters, the http backend posting to a recording backend. */
    private void start(UnaryOperator<HttpBackendOptions.Builder> tune) throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        HttpBackendOptions.Builder options = HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(10)));
        dock = closer.add(SocketDock.builder().listener(listener).port(0)
                .backend(Backends.http(tune.apply(options).build())).build().start());
        client = closer.add(new TestClient());
        closer.add(backend::releaseHeld);
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
    }
    private double count(String name, String... tags) {
        Counter c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private long timed(String event, String outcome) {
        Timer t = meters.find("socketdock.backend.requests").tags("event", event, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void metersCountConnectionsMessagesBackendRequestsAndSendAnswers() throws Exception {
        start(UnaryOperator.identity());
        TestClient.Socket s = client.connect(ws());
        backend.await("/connect", 1);
        await().until(() -> meters.find("socketdock.connections.active").gauge().value() == 1.0);
        assertThat(count("socketdock.connections.opened")).isEqualTo(1);

        s.sendText("héllo");                        // 6 bytes of UTF-8
        s.sendBinary(new byte[] {1, 2, 3, (byte) 0xff});
        URI send = URI.create(backend.await("/message", 2).get(0).json().getAsJsonObject("meta").get("send").getAsString());
        assertThat(Http.postText(send, "reply").statusCode()).isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("reply");
        String unknown = send.toString().replaceAll("/socket/[^/]+/send", "/socket/0123456789abcdef0123456789abcdef/send");
        assertThat(Http.postText(URI.create(unknown), "nobody").statusCode()).isEqualTo(410);

        await().untilAsserted(() -> {
            assertThat(count("socketdock.messages", "direction", "in")).isEqualTo(2);
            assertThat(count("socketdock.message.bytes", "direction", "in")).isEqualTo(10);
            assertThat(count("socketdock.messages", "direction", "out")).isEqualTo(1);
            assertThat(count("socketdock.message.bytes", "direction", "out")).isEqualTo(5);
            assertThat(count("socketdock.send.answers", "status", "200")).isEqualTo(1);
            assertThat(count("socketdock.send.answers", "status", "410")).isEqualTo(1);
            assertThat(timed("connect", "success")).isEqualTo(1);
            assertThat(timed("message", "success")).isEqualTo(2);
        });

        s.close();
        backend.await("/disconnect", 1);
        await().untilAsserted(() -> {
            assertThat(count("socketdock.connections.closed", "code", "1000")).isEqualTo(1);
            assertThat(timed("disconnect", "success")).isEqualTo(1);
            assertThat(meters.find("socketdock.connections.active").gauge().value()).isZero();
            assertThat(meters.find("socketdock.buffered.bytes").gauge().value()).isZero();
        });
    }

    @Test
    void metersCountBackendOutcomesRetriesAndFailures() throws Exception {
        start(o -> o.retry(Retry.defaults().withRetries(2).withBackoff(Duration.ofMillis(10))));
        backend.answerInTurn("/message", 503, 503).answer("/connect", 404);
        TestClient.Socket s = client.connect(ws());
        backend.await("/connect", 1);
        s.sendText("retried twice");
        backend.await("/message", 3);
        await().untilAsserted(() -> {
            assertThat(timed("connect", "client_error")).isEqualTo(1);
            assertThat(timed("message", "server_error")).isEqualTo(2);
            assertThat(timed("message", "success")).isEqualTo(1);
            assertThat(count("socketdock.backend.retries", "event", "message")).isEqualTo(2);
            assertThat(count("socketdock.backend.failures", "event", "message")).isZero();
        });

        // every try of the next message gets 503: undelivered after its two retries, the socket closes
        backend.answer("/message", 503);
        s.sendText("refused");
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(CloseStatus.SERVER_ERROR);
        await().untilAsserted(() -> {
            assertThat(timed("message", "server_error")).isEqualTo(5);
            assertThat(count("socketdock.backend.retries", "event", "message")).isEqualTo(4);
            assertThat(count("socketdock.backend.failures", "event", "message")).isEqualTo(1);
            assertThat(count("socketdock.connections.closed", "code", "1011")).isEqualTo(1);
        });
    }

    @Test
    void anUnreachableBackendIsItsOwnOutcome() throws Exception {
        URI deadConnect = closer.add(DeadPort.open()).uri("/connect");
        start(o -> o.connectUri(deadConnect).retry(Retry.defaults().withRetries(1).withBackoff(Duration.ofMillis(10))));
        TestClient.Socket s = client.connect(ws());
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(CloseStatus.SERVER_ERROR);
        await().untilAsserted(() -> {
            assertThat(timed("connect", "unreachable")).as("a try and its retry").isEqualTo(2);
            assertThat(count("socketdock.backend.retries", "event", "connect")).isEqualTo(1);
            assertThat(count("socketdock.backend.failures", "event", "connect")).isEqualTo(1);
        });
    }

    @Test
    void anAnswerPastTheBackendTimeoutIsATimeout() throws Exception {
        start(o -> o.timeout(Duration.ofMillis(300)));
        backend.holdAnswers("/message");
        TestClient.Socket s = client.connect(ws());
        backend.await("/connect", 1);
        s.sendText("answer held past the timeout");
        backend.await("/message", 1);
        await().untilAsserted(() -> {
            assertThat(timed("message", "timeout")).isEqualTo(1);
            assertThat(count("socketdock.backend.failures", "event", "message")).isEqualTo(1);
        });
        assertThat(s.closed()).as("the message was delivered: its socket stays open").isNotDone();
    }

    @Test
    void freelyChosenCloseCodesCountByRangeAndTheMetersLeaveTheRegistryWhenClosed() throws Exception {
        start(UnaryOperator.identity());
        for (int code : new int[] {4001, 4999, 3000}) {
            TestClient.Socket s = client.connect(ws());
            s.session().close(code, "chosen by the client", org.eclipse.jetty.websocket.api.Callback.NOOP);
            s.closed().get(30, TimeUnit.SECONDS);
        }
        await().untilAsserted(() -> {
            assertThat(count("socketdock.connections.closed", "code", "4xxx")).isEqualTo(2);
            assertThat(count("socketdock.connections.closed", "code", "3xxx")).isEqualTo(1);
        });
        assertThat(meters.find("socketdock.connections.closed").counters()).hasSize(2);

        dock.close();
        listener.close();
        assertThat(meters.getMeters()).as("a closed listener leaves nothing in the registry").isEmpty();
    }
}
