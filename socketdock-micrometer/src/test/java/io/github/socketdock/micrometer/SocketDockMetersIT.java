package io.github.socketdock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backends;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.DeadPort;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Envelope;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meters a real relay records through {@link SocketDockMeters}, with the test kit mediator
 * authors use: a real HTTP mediator ({@link MockMediator}) and real clients ({@link TestWebSocket}).
 */
class SocketDockMetersIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SocketDockMeters listener = new SocketDockMeters(meters);
    private MockMediator mediator;
    private SocketDock dock;

    /** Starts a relay with these meters, the http backend posting to a mock mediator (retries 10 ms apart). */
    private void start(UnaryOperator<HttpBackendOptions.Builder> tune) throws Exception {
        mediator = closer.add(MockMediator.start()); // closed last: it cuts off any answer still held
        dock = closer.add(SocketDock.builder().listener(listener).port(0)
                .backend(Backends.http(tune.apply(mediator.options()).build())).build().start());
    }

    /** @return a client connected to the relay, closed after the test before the relay */
    private TestWebSocket connect() throws IOException {
        return closer.add(TestWebSocket.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws")));
    }

    /** @return the next envelope of {@code kind}, which the http backend posted to its own path ({@code /connect}, …) */
    private Envelope take(Kind kind) throws InterruptedException {
        Envelope e = mediator.takeEnvelope(kind, WAIT);
        assertThat(e.path()).isEqualTo("/" + kind.name().toLowerCase(Locale.ROOT));
        return e;
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
        TestWebSocket s = connect();
        take(Kind.CONNECT);
        await().until(() -> meters.find("socketdock.connections.active").gauge().value() == 1.0);
        assertThat(count("socketdock.connections.opened")).isEqualTo(1);

        s.send("héllo");                            // 6 bytes of UTF-8
        s.send(new byte[] {1, 2, 3, (byte) 0xff});
        Envelope text = take(Kind.MESSAGE);
        take(Kind.MESSAGE);
        URI send = text.sendUri().orElseThrow();
        assertThat(mediator.reply(text, "reply")).as("through " + send).isEqualTo(200);
        assertThat(s.takeText(WAIT)).isEqualTo("reply");
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

        s.close(1000, "bye");
        s.awaitClose(WAIT);
        take(Kind.DISCONNECT);
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
        AtomicInteger messages = new AtomicInteger();
        mediator.answerWith(e -> switch (e.kind()) { // the first two tries of a message get 503, in turn
            case CONNECT -> 404;
            case MESSAGE -> messages.incrementAndGet() <= 2 ? 503 : 200;
            case DISCONNECT -> 200;
        });
        TestWebSocket s = connect();
        take(Kind.CONNECT);
        s.send("retried twice");
        for (int i = 0; i < 3; i++) {
            assertThat(take(Kind.MESSAGE).message()).isEqualTo("retried twice");
        }
        await().untilAsserted(() -> {
            assertThat(timed("connect", "client_error")).isEqualTo(1);
            assertThat(timed("message", "server_error")).isEqualTo(2);
            assertThat(timed("message", "success")).isEqualTo(1);
            assertThat(count("socketdock.backend.retries", "event", "message")).isEqualTo(2);
            assertThat(count("socketdock.backend.failures", "event", "message")).isZero();
        });

        // every try of the next message gets 503: undelivered after its two retries, the socket closes
        mediator.answerWith(e -> e.kind() == Kind.MESSAGE ? 503 : e.kind() == Kind.CONNECT ? 404 : 200);
        s.send("refused");
        assertThat(s.awaitClose(WAIT).code()).isEqualTo(CloseStatus.SERVER_ERROR);
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
        TestWebSocket s = connect();
        assertThat(s.awaitClose(WAIT).code()).isEqualTo(CloseStatus.SERVER_ERROR);
        await().untilAsserted(() -> {
            assertThat(timed("connect", "unreachable")).as("a try and its retry").isEqualTo(2);
            assertThat(count("socketdock.backend.retries", "event", "connect")).isEqualTo(1);
            assertThat(count("socketdock.backend.failures", "event", "connect")).isEqualTo(1);
        });
    }

    @Test
    void anAnswerPastTheBackendTimeoutIsATimeout() throws Exception {
        start(o -> o.timeout(Duration.ofMillis(300)));
        mediator.hold(Kind.MESSAGE);
        TestWebSocket s = connect();
        take(Kind.CONNECT);
        s.send("answer held past the timeout");
        take(Kind.MESSAGE);
        await().untilAsserted(() -> {
            assertThat(timed("message", "timeout")).isEqualTo(1);
            assertThat(count("socketdock.backend.failures", "event", "message")).isEqualTo(1);
        });
        assertThat(s.isOpen()).as("the message was delivered: its socket stays open").isTrue();
    }

    @Test
    void freelyChosenCloseCodesCountByRangeAndTheMetersLeaveTheRegistryWhenClosed() throws Exception {
        start(UnaryOperator.identity());
        for (int code : new int[] {4001, 4999, 3000}) {
            TestWebSocket s = connect();
            s.close(code, "chosen by the client");
            s.awaitClose(WAIT);
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
