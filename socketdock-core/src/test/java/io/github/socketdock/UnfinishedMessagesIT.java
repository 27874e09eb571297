package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.harness.ManualTicker;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No set of clients can stop another socket from being served through the byte budget: clients
 * that begin large messages and never end them, and many clients sending large messages to a
 * backend that holds its answers. In both, an unrelated socket goes on echoing, and every
 * message that can finish does.
 */
class UnfinishedMessagesIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static final int MIB = 1 << 20;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final ManualTicker ticker = new ManualTicker();
    private final CapturingBackend loopback = new CapturingBackend(Backends.loopback());
    private final List<RawSocket> raws = new ArrayList<>();
    private final ExecutorService writers = Executors.newCachedThreadPool();

    /** Unblocks what would hold the closer up: the raw writers, and held answers the dock would wait for. */
    @AfterEach
    void unblock() {
        raws.forEach(RawSocket::abort);
        writers.shutdownNow();
        if (backend != null) {
            backend.releaseHeld();
        }
    }
    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
    }

    /** A client that sends {@code bytes} of one binary message in 64 KiB frames and never the last one. */
    private RawSocket beginAndNeverEnd(int bytes) throws Exception {
        RawSocket raw = new RawSocket(dock.port());
        raws.add(raw);
        assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
        byte[] piece = new byte[64 * 1024];
        // written on a thread of its own: the relay stops reading a message it has no room for
        writers.submit(() -> {
            for (int sent = 0; sent < bytes; sent += piece.length) {
                raw.write(RawSocket.frame(false, sent == 0 ? BINARY : CONTINUATION, piece));
            }
            return null;
        });
        return raw;
    }

    /**
     * Waits until the relay has read the frames {@code raw} wrote, before the test moves the clock:
     * a ping between the fragments of a message, answered once everything before it was read.
     */
    private static void readAFrameBefore(RawSocket raw) throws Exception {
        raw.write(RawSocket.frame(true, PING, "sync".getBytes(StandardCharsets.US_ASCII)));
        for (byte[] f = raw.readFrame(); f[0] != PONG; f = raw.readFrame()) {
            // a ping of the relay's own, unanswered: this client never answers pings
        }
    }

    private static void echoes(TestClient.Socket s, String what) throws Exception {
        s.sendText(what);
        assertThat(s.nextText()).isEqualTo(what);
    }

    @Test
    void clientsThatNeverEndLargeMessagesStopNoOtherSocketAndAreClosedWith1008() throws Exception {
        // no pings: the clock moves faster than the sockets that are not under test could answer
        // them (the ping timeout still bounds the wait for a close reply)
        dock = closer.add(SocketDock.builder().port(0).ticker(ticker).limits(Limits.defaults().withMaxBufferedBytes(8L * MIB))
                .keepAlive(KeepAlive.defaults().withPingInterval(Duration.ZERO)).backend(loopback).build().start());
        client = closer.add(new TestClient());
        TestClient.Socket unrelated = client.connect(ws());
        echoes(unrelated, "before");

        List<RawSocket> hostile = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hostile.add(beginAndNeverEnd(3 * MIB));
        }
        // one is granted room for the largest message (4 MiB) and sends its 3 MiB; the other two wait,
        // unread, each holding what it sent until it went past its 64 KiB allowance
        await().until(() -> dock.stats().bufferedBytes() > 4L * MIB + 2 * 64 * 1024);

        for (int i = 0; i < 20; i++) {
            echoes(unrelated, "during " + i);
        }
        TestClient.Socket newcomer = client.connect(ws());
        echoes(newcomer, "a new socket is served too");

        ticker.advance(Limits.DEFAULT_UNFINISHED_MESSAGE_TIMEOUT);
        // each is sent its close frame and read on, its bytes dropped, for its close reply; they
        // never reply, so each is dropped once the ping timeout passed. A waiting socket's message
        // counts as begun a moment after its bytes are counted, possibly after the clock moved: the
        // clock moves on in small steps until all three were closed
        await().untilAsserted(() -> {
            long buffered = dock.stats().bufferedBytes();
            if (buffered != 0) {
                ticker.advance(Duration.ofMillis(100));
            }
            assertThat(buffered).as("bytes buffered; disconnects %s", loopback.disconnects()).isZero();
        });
        ticker.advance(KeepAlive.DEFAULT_PING_TIMEOUT);
        // a close's start is recorded a moment after its bytes are given back, possibly while the
        // clock moved: it moves on in small steps until the housekeeping has dropped all three
        await().untilAsserted(() -> {
            ticker.advance(Duration.ofMillis(100));
            assertThat(loopback.disconnects()).as("disconnects; the relay's %s", dock.stats()).hasSize(3);
        });
        assertThat(loopback.disconnects()).containsOnly(new CloseStatus(1008, "message not finished in time"));
        for (RawSocket raw : hostile) {
            assertThat(raw.closedByServer()).isTrue();
        }
        echoes(unrelated, "after");
        await().until(() -> dock.connectionCount() == 2);
        await().untilAsserted(() -> assertThat(dock.stats().bufferedBytes()).isZero());
    }

    @Test
    void emptyFragmentsDoNotRestartTheClockOfAMessageThatNeverEnds() throws Exception {
        dock = closer.add(SocketDock.builder().port(0).ticker(ticker).backend(loopback).build().start());
        RawSocket raw = new RawSocket(dock.port());
        raws.add(raw);
        assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
        raw.write(RawSocket.frame(false, TEXT, new byte[0]));
        await().until(() -> dock.connectionCount() == 1);
        readAFrameBefore(raw);
        Duration step = Limits.DEFAULT_UNFINISHED_MESSAGE_TIMEOUT.dividedBy(4);
        for (int i = 0; i < 3; i++) {
            ticker.advance(step);
            raw.write(RawSocket.frame(false, CONTINUATION, new byte[0]));
            readAFrameBefore(raw);
        }
        ticker.advance(step); // the message's first fragment is now a whole timeout old
        ticker.advance(KeepAlive.DEFAULT_PING_TIMEOUT); // no close reply comes: dropped
        await().until(() -> loopback.disconnects().size() == 1);
        assertThat(loopback.disconnects()).containsExactly(new CloseStatus(1008, "message not finished in time"));
    }

    @Test
    void manyLargeMessagesToABackendThatHoldsItsAnswersAllArriveAndStopNoOtherSocket() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers(r -> r.body().length > 100_000));
        dock = closer.add(SocketDock.builder().port(0).limits(Limits.defaults().withMaxBufferedBytes(8L * MIB).withMaxMessageSize(MIB))
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message")).build()))
                .build().start());
        client = closer.add(new TestClient());
        TestClient.Socket unrelated = client.connect(ws());
        int senders = 20;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            TestClient.Socket s = client.connect(ws());
            String text = Character.toString('a' + i).repeat(768 * 1024);
            sent.add(CompletableFuture.runAsync(() -> {
                try {
                    s.sendText(text);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, writers));
        }
        // the large ones fill the budget with answers the backend holds; the unrelated socket's
        // messages still reach it, one after another
        await().until(() -> backend.requests("/message").size() >= 4);
        for (int i = 0; i < 10; i++) {
            unrelated.sendText("small " + i);
            String expected = "small " + i;
            await().until(() -> backend.requests("/message").stream()
                    .anyMatch(r -> r.body().length < 1000 && r.json().get("message").getAsString().equals(expected)));
        }
        // the backend answers, now and then: every large message arrives, whole
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            backend.releaseHeld();
            return backend.requests("/message").stream().filter(r -> r.body().length > 100_000).count() == senders;
        });
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(backend.requests("/message").stream().filter(r -> r.body().length > 100_000)
                .map(r -> r.json().get("message").getAsString()))
                .allMatch(m -> m.length() == 768 * 1024 && m.chars().distinct().count() == 1);
        backend.releaseHeld();
        await().untilAsserted(() -> assertThat(dock.stats().bufferedBytes()).isZero());
    }
}
