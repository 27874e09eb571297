package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.harness.ManualTicker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pings from either side, the ping timeout, the idle timeout and the slow-client timeout. The
 * relay's time is a {@link ManualTicker}: each rule is tested by moving time, in milliseconds of
 * real time, and a raw client answers (or not) each ping the test reads.
 */
class KeepAliveIT {

    @RegisterExtension
    final Closer closer = new Closer();

    /** Loopback that can hold a message's stage until the test completes its gate. */
    static final class Gated implements Backend {
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> onMessage(Connection c, Message m) {
            return gate.thenCompose(v -> c.send(m));
        }
    }

    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Gated gated = new Gated();
    private final CapturingBackend backend = new CapturingBackend(gated);

    /** Lets a message the backend holds go, before the closer closes the dock, which would wait for it. */
    @AfterEach
    void openTheGate() {
        gated.gate.complete(null);
    }

    private final ManualTicker ticker = new ManualTicker();
    private SocketDock dock;
    private TestClient client;

    private void start(SocketDock.Builder builder) throws Exception {
        dock = closer.add(builder.port(0).backend(backend).ticker(ticker).build().start());
        client = closer.add(new TestClient());
    }

    private TestClient.Socket connect() throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
    }

    @Test
    void aClientPingIsAnsweredAndTheSocketKeepsRelaying() throws Exception {
        dock = closer.add(SocketDock.builder().port(0).backend(new CapturingBackend(Backends.loopback())).build().start());
        client = closer.add(new TestClient());
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

    /** Sends a text frame and reads its echo: every frame the client sent before it has been handled. */
    private static void roundTrip(RawSocket raw, String text) throws Exception {
        raw.write(RawSocket.frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8)));
        byte[] echo = raw.readFrame();
        assertThat(echo[0]).isEqualTo((byte) TEXT);
        assertThat(new String(echo, 1, echo.length - 1, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    private static void expectPing(RawSocket raw) throws Exception {
        assertThat(raw.readFrame()[0]).as("a ping").isEqualTo((byte) PING);
    }

    private RawSocket open() throws Exception {
        RawSocket raw = new RawSocket(dock.port());
        assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
        await().until(() -> backend.connections().size() == 1);
        return raw;
    }

    @Test
    void aClientThatAnswersPingsStaysConnectedAndKeepsRelaying() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults()
                .withPingInterval(Duration.ofSeconds(20)).withPingTimeout(Duration.ofSeconds(10))));
        try (RawSocket raw = open()) {
            for (int i = 0; i < 10; i++) {
                ticker.advance(Duration.ofSeconds(20));
                expectPing(raw);
                raw.write(RawSocket.frame(true, PONG, new byte[0]));
                roundTrip(raw, "after ping " + i);
            }
            ticker.advance(Duration.ofSeconds(15));
            roundTrip(raw, "still here after " + 215 + " s");
            assertThat(backend.disconnects()).isEmpty();
        }
    }

    @Test
    void aClientThatDoesNotAnswerPingsIsDroppedAndItsDisconnectSaysPingTimeout() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults()
                .withPingInterval(Duration.ofSeconds(20)).withPingTimeout(Duration.ofSeconds(10))));
        try (RawSocket silent = open()) {
            ticker.advance(Duration.ofSeconds(20));
            expectPing(silent);
            ticker.advance(Duration.ofSeconds(9));
            assertThat(backend.connections().get(0).isOpen()).as("9 s: not yet").isTrue();
            ticker.advance(Duration.ofSeconds(1));
            assertThat(backend.connections().get(0).isOpen()).as("10 s: dropped").isFalse();
            await().until(() -> backend.disconnects().size() == 1);
            assertThat(backend.disconnects().get(0)).isEqualTo(new CloseStatus(1006, "ping timeout"));
            assertThat(silent.closedByServer()).isTrue();
        }
    }

    @Test
    void whileTheBackendHoldsTheReadingAPingIsStillAnsweredAndTheLaterMessageWaitsItsTurn() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults()
                .withPingInterval(Duration.ofSeconds(20)).withPingTimeout(Duration.ofSeconds(10))));
        gated.gate = new CompletableFuture<>();
        try (RawSocket raw = open()) {
            raw.write(RawSocket.frame(true, TEXT, "held".getBytes(StandardCharsets.UTF_8)));
            await().until(() -> backend.connections().get(0).isOpen() && dock.stats().messagesIn() == 1);
            ticker.advance(Duration.ofSeconds(20));
            expectPing(raw);
            // the relay reads on for the answer: a message sent before it waits, alone, for its turn,
            // counted in the budget while it waits
            long held = dock.stats().bufferedBytes();
            raw.write(RawSocket.frame(true, TEXT, "next".getBytes(StandardCharsets.UTF_8)));
            raw.write(RawSocket.frame(true, PONG, new byte[0]));
            await().until(() -> dock.stats().bufferedBytes() == held + 4);
            ticker.advance(Duration.ofMinutes(5));
            assertThat(backend.connections().get(0).isOpen()).as("it answered: the message it sent first counts").isTrue();
            assertThat(dock.stats().messagesIn()).as("the second message waits for the first").isEqualTo(1);

            gated.gate.complete(null);
            assertThat(text(raw.readFrame())).isEqualTo("held");
            assertThat(text(raw.readFrame())).as("then the one read ahead, in order").isEqualTo("next");
            assertThat(backend.disconnects()).isEmpty();
        }
    }

    @Test
    void aClientThatDoesNotAnswerIsDroppedEvenWhileTheBackendHoldsTheReading() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults()
                .withPingInterval(Duration.ofSeconds(20)).withPingTimeout(Duration.ofSeconds(10))));
        gated.gate = new CompletableFuture<>();
        try (RawSocket silent = open()) {
            silent.write(RawSocket.frame(true, TEXT, "held".getBytes(StandardCharsets.UTF_8)));
            await().until(() -> backend.connections().get(0).isOpen() && dock.stats().messagesIn() == 1);
            ticker.advance(Duration.ofSeconds(20));
            expectPing(silent);
            ticker.advance(Duration.ofSeconds(9));
            assertThat(backend.connections().get(0).isOpen()).as("9 s: not yet").isTrue();
            ticker.advance(Duration.ofSeconds(1));
            assertThat(backend.connections().get(0).isOpen()).as("10 s: dropped, read or not").isFalse();
            gated.gate.complete(null);
            await().until(() -> backend.disconnects().size() == 1);
            assertThat(backend.disconnects().get(0)).isEqualTo(new CloseStatus(1006, "ping timeout"));
        }
    }

    private static String text(byte[] frame) {
        return new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
    }

    @Test
    void aSocketWithoutDataFramesIsClosedByTheIdleTimeoutEvenWhilePongsCome() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults().withPingInterval(Duration.ofSeconds(20))
                .withPingTimeout(Duration.ofSeconds(20)).withIdleTimeout(Duration.ofSeconds(30))));
        try (RawSocket raw = open()) {
            ticker.advance(Duration.ofSeconds(20));
            expectPing(raw);
            raw.write(RawSocket.frame(true, PONG, new byte[0]));
            ticker.advance(Duration.ofSeconds(10));
            expectClose(raw, 1001, "idle timeout");
            // the handshake completes as with any code: the reply is read, then the relay ends TCP
            raw.write(closeFrame(1001));
            assertThat(raw.readToEof(0, Duration.ofSeconds(10))).isEmpty();
            assertThat(raw.endedWithReset()).as("ended with a reset").isFalse();
            await().until(() -> backend.disconnects().size() == 1);
            assertThat(backend.disconnects().get(0)).isEqualTo(new CloseStatus(1001, "idle timeout"));
        }
    }

    @Test
    void aCloseTheClientDoesNotAnswerIsDroppedAfterThePingTimeoutAndItsDisconnectCarriesTheCodeSent() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults().withPingInterval(Duration.ZERO)
                .withPingTimeout(Duration.ofSeconds(20)).withIdleTimeout(Duration.ofSeconds(30))));
        try (RawSocket raw = open()) {
            ticker.advance(Duration.ofSeconds(30));
            expectClose(raw, 1001, "idle timeout");
            // a client that goes on sending is read (its frames are dropped) while the relay waits
            raw.write(RawSocket.frame(true, TEXT, "sent after the close".getBytes(StandardCharsets.UTF_8)));
            ticker.advance(Duration.ofSeconds(19));
            // 19 s: still waiting for the reply (a drop would end the connection, and count it closed)
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> dock.connectionCount() == 1);
            ticker.advance(Duration.ofSeconds(1));
            await().until(() -> backend.disconnects().size() == 1);
            assertThat(backend.disconnects().get(0)).isEqualTo(new CloseStatus(1001, "idle timeout"));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    private static void expectClose(RawSocket raw, int code, String reason) throws Exception {
        byte[] close = raw.readFrame();
        assertThat(close[0]).isEqualTo((byte) CLOSE);
        assertThat(RawSocket.closeCode(close)).isEqualTo(code);
        assertThat(new String(close, 3, close.length - 3, StandardCharsets.UTF_8)).isEqualTo(reason);
    }

    private static byte[] closeFrame(int code) {
        return RawSocket.frame(true, CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    @Test
    void dataFramesKeepTheIdleTimeoutAway() throws Exception {
        start(SocketDock.builder().keepAlive(KeepAlive.defaults()
                .withIdleTimeout(Duration.ofSeconds(30)).withPingInterval(Duration.ZERO)));
        try (RawSocket raw = open()) {
            for (int i = 0; i < 10; i++) {
                ticker.advance(Duration.ofSeconds(20));
                roundTrip(raw, "tick " + i);
            }
            assertThat(backend.disconnects()).isEmpty();
            // the last echo counts as activity once its write completed, which the client may see first
            await().until(() -> dock.stats().messagesOut() == 10);
            ticker.advance(Duration.ofSeconds(30));
            assertThat(raw.readFrame()[0]).as("30 s without a data frame").isEqualTo((byte) CLOSE);
        }
    }

    @Test
    void aClientThatReadsNothingWhileFramesWaitIsClosedAsASlowClient() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withSlowClientTimeout(Duration.ofSeconds(60)))
                .keepAlive(KeepAlive.defaults().withPingInterval(Duration.ZERO)));
        try (RawSocket stalled = new RawSocket(dock.port()).smallReceiveBuffer()) {
            assertThat(stalled.upgrade()).startsWith("HTTP/1.1 101");
            await().until(() -> backend.connections().size() == 1);
            Connection c = backend.connections().get(0);
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 64 && c.isOpen(); i++) {
                c.send(chunk);
            }
            ticker.advance(Duration.ofSeconds(59));
            assertThat(c.isOpen()).as("59 s of waiting frames are not yet slow").isTrue();
            ticker.advance(Duration.ofSeconds(1));
            await().until(() -> backend.disconnects().size() == 1);
            assertThat(backend.disconnects().get(0)).isEqualTo(new CloseStatus(1008, "slow client"));
        }
    }
}
