package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.DeadPort;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.harness.ManualTicker;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bounds and failures: message size, inflight answers, outbound queue, an unreachable backend. */
class LimitsIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;
    private final CapturingBackend loopback = new CapturingBackend(Backends.loopback());

    /** Lets held answers go before the closer closes the dock, which would wait for them. */
    @AfterEach
    void releaseHeldAnswers() {
        if (backend != null) {
            backend.releaseHeld();
        }
    }

    private void start(SocketDock.Builder builder) throws Exception {
        dock = closer.add(builder.port(0).build().start());
        if (client == null) {
            client = closer.add(new TestClient());
        }
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
    }

    @Test
    void aMessageOverTheMaximumClosesWith1009() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxMessageSize(1024)).backend(loopback));
        TestClient.Socket s = client.connect(ws());
        s.sendText("x".repeat(1024));
        assertThat(s.nextText()).hasSize(1024);
        s.sendText("x".repeat(1025));
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1009);
    }

    @Test
    void aSendBodyOverTheMaximumAnswers413AndTheSocketStays() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxMessageSize(1024)).backend(loopback));
        TestClient.Socket s = client.connect(ws());
        await().until(() -> dock.connectionCount() == 1);
        Connection c = firstConnection();
        HttpResponse<String> answer = Http.post(c.sendUri(), "application/octet-stream", new byte[1025]);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).contains("1024");
        assertThat(Http.post(c.sendUri(), "application/octet-stream", new byte[1024]).statusCode()).isEqualTo(200);
        assertThat(s.next().binary()).hasSize(1024);
    }

    @Test
    void textInAnotherCharsetWhoseUtf8IsOverTheMaximumAnswers413AndTheSocketStays() throws Exception {
        // 1024 bytes of ISO-8859-1 "é" are 2048 bytes of UTF-8: the frame would be over the maximum
        start(SocketDock.builder().limits(Limits.defaults().withMaxMessageSize(1024)).backend(loopback));
        TestClient.Socket s = client.connect(ws());
        await().until(() -> dock.connectionCount() == 1);
        Connection c = firstConnection();
        byte[] latin1 = new byte[1024];
        java.util.Arrays.fill(latin1, (byte) 0xe9);
        HttpResponse<String> answer = Http.post(c.sendUri(), "text/plain; charset=iso-8859-1", latin1);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).contains("1024");
        assertThat(Http.post(c.sendUri(), "text/plain; charset=iso-8859-1", java.util.Arrays.copyOf(latin1, 512))
                .statusCode()).isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("\u00e9".repeat(512));
    }

    @Test
    void aConnectionSendsFarMoreOverItsLifeThanItsQueueHoldsAtOnce() throws Exception {
        // every written frame gives its bytes back to the queue's bound: 200 echoes of 1 KiB through
        // a queue of 4 KiB, in turn, all arrive, and nothing stays counted
        start(SocketDock.builder().limits(Limits.defaults().withMaxQueuedBytes(4096)).backend(loopback));
        TestClient.Socket s = client.connect(ws());
        String text = "q".repeat(1024);
        byte[] bytes = new byte[1024];
        for (int i = 0; i < 100; i++) {
            s.sendText(text);
            assertThat(s.nextText()).as("text echo %d", i).hasSize(1024);
            s.sendBinary(bytes);
            assertThat(s.next().binary()).as("binary echo %d", i).hasSize(1024);
        }
        assertThat(s.closed()).isNotDone();
        await().untilAsserted(() -> assertThat(dock.stats().bufferedBytes()).isZero());
    }

    @Test
    void aLargeOutboundMessageGoesOutInFragmentsOfAtMost64KiB() throws Exception {
        // so that no write hands the JDK a heap buffer larger than that (README: "Memory bounds")
        start(SocketDock.builder().backend(loopback));
        try (RawSocket raw = new RawSocket(dock.port())) {
            assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
            byte[] text = "f".repeat(200 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            raw.write(RawSocket.frame(true, 0x1, text));
            java.util.List<Integer> opcodes = new java.util.ArrayList<>();
            int received = 0;
            while (received < text.length) {
                byte[] frame = raw.readFrame();
                opcodes.add((int) frame[0]);
                assertThat(frame.length - 1).isLessThanOrEqualTo(64 * 1024);
                received += frame.length - 1;
            }
            assertThat(received).isEqualTo(text.length);
            assertThat(opcodes).startsWith(0x1).hasSizeGreaterThanOrEqualTo(4);
            assertThat(opcodes.subList(1, opcodes.size())).containsOnly(0x0);
        }
    }

    @Test
    void pastTheBoundOnHeldAnswersTheOldestIsAbandonedAndNoSocketStops() throws Exception {
        // the answers are held, so only the ordering window lets each message go: on a manual
        // ticker it passes when the test says; past two held answers the oldest is given up
        backend = closer.add(RecordingBackendServer.start().holdAnswers("/message"));
        ManualTicker ticker = new ManualTicker();
        // no pings: an hour on the manual ticker passes at once, faster than a pong could come back
        start(SocketDock.builder().ticker(ticker).keepAlive(KeepAlive.defaults().withPingInterval(Duration.ZERO))
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .maxInflight(2).orderingWindow(Duration.ofMillis(50)).build())));
        TestClient.Socket s = client.connect(ws());
        for (int i = 0; i < 5; i++) {
            s.sendText("m" + i);
        }
        // the windows pass as their timers fall due (one starts a moment after its request is read)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ticker.advanceIfDueWithin(Duration.ofMillis(50));
            return backend.requests("/message").size() >= 5;
        });
        assertThat(backend.messagesBySequence("/message")).containsExactly("m0", "m1", "m2", "m3", "m4");
        // the last window passes too: five delivered, two answers awaited, the three oldest given up
        await().until(() -> {
            ticker.advanceIfDueWithin(Duration.ofMillis(50));
            return dock.stats().abandonedAnswers() == 3;
        });
        assertThat(s.closed()).isNotDone();
        s.sendText("still read");
        backend.await("/message", 6);
    }

    @Test
    void aConnectThatCannotBeDeliveredClosesWith1011BeforeAnyMessage() throws Exception {
        int deadPort = closer.add(DeadPort.open()).port();
        backend = closer.add(RecordingBackendServer.start());
        start(SocketDock.builder().backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(URI.create("http://127.0.0.1:" + deadPort + "/connect"))
                .disconnectUri(backend.uri("/disconnect"))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(10)))
                .build())));
        TestClient.Socket s = client.connect(ws());
        try {
            s.sendText("must not be relayed");
        } catch (java.util.concurrent.ExecutionException closedAlready) {
            // the refused connect may close the socket before this frame is written
        }
        TestClient.Closed closed = s.closed().get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1011);
        backend.await("/disconnect", 1);
        assertThat(backend.requests("/message")).isEmpty();
    }

    @Test
    void aMessageThatCannotBeDeliveredClosesWith1011() throws Exception {
        int deadPort = closer.add(DeadPort.open()).port();
        start(SocketDock.builder().backend(Backends.http(HttpBackendOptions.builder(
                URI.create("http://127.0.0.1:" + deadPort + "/message"))
                        .retry(Retry.defaults().withBackoff(Duration.ofMillis(10))).build())));
        TestClient.Socket s = client.connect(ws());
        s.sendText("lost?");
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
    }

    @Test
    void aFullOutboundQueueAnswers503WithRetryAfterAndOtherSocketsAreUnaffected() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxQueuedBytes(64 * 1024)).backend(loopback));
        try (RawSocket raw = new RawSocket(dock.port()).smallReceiveBuffer()) {
            assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
            await().until(() -> dock.connectionCount() == 1);
            Connection stalled = firstConnection();
            TestClient.Socket healthy = client.connect(ws());
            await().until(() -> dock.connectionCount() == 2);

            byte[] chunk = new byte[64 * 1024];
            HttpResponse<String> answer = null;
            for (int i = 0; i < 2000; i++) {
                answer = Http.post(stalled.sendUri(), "application/octet-stream", chunk);
                if (answer.statusCode() != 200) {
                    break;
                }
            }
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(answer.body()).contains("full");
            assertThat(stalled.isOpen()).isTrue();

            healthy.sendText("still served");
            assertThat(healthy.nextText()).isEqualTo("still served");
            CompletableFuture<Void> full = stalled.send(chunk).toCompletableFuture();
            assertThat(full).isCompletedExceptionally();
            assertThat(full.handle((v, x) -> x).join()).isInstanceOf(QueueFullException.class);
        }
    }

    @Test
    void loopbackEchoesEachFrameInItsOwnType() throws Exception {
        start(SocketDock.builder().backend(loopback));
        TestClient.Socket s = client.connect(ws());
        s.sendText("text ✓");
        s.sendBinary(new byte[] {(byte) 0xff, 0});
        TestClient.Frame first = s.next();
        TestClient.Frame second = s.next();
        assertThat(first.isText()).isTrue();
        assertThat(first.text()).isEqualTo("text ✓");
        assertThat(second.isText()).isFalse();
        assertThat(second.binary()).isEqualTo(new byte[] {(byte) 0xff, 0});
    }

    @Test
    void upgradesBeyondMaxConnectionsAreRefusedWith503() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxConnections(2)).backend(loopback));
        TestClient.Socket first = client.connect(ws());
        client.connect(ws());
        await().until(() -> dock.connectionCount() == 2);
        try (RawSocket third = new RawSocket(dock.port())) {
            assertThat(third.upgrade()).startsWith("HTTP/1.1 503");
        }
        first.close();
        await().until(() -> dock.connectionCount() == 1);
        TestClient.Socket again = client.connect(ws());
        again.sendText("admitted");
        assertThat(again.nextText()).isEqualTo("admitted");
    }

    @Test
    void upgradesBeyondTheLimitPerAddressAreRefusedWith429AndOtherAddressesAreNot() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxConnectionsPerAddress(2)).backend(loopback));
        TestClient.Socket first = client.connect(ws());
        client.connect(ws());
        await().until(() -> dock.connectionCount() == 2);
        try (RawSocket third = new RawSocket(dock.port())) {
            assertThat(third.upgrade()).startsWith("HTTP/1.1 429");
        }
        try (RawSocket elsewhere = RawSocket.from("127.0.0.2", dock.port())) {
            assertThat(elsewhere.upgrade()).as("another address has its own allowance").startsWith("HTTP/1.1 101");
        }
        first.close();
        await().until(() -> dock.connectionCount() == 1);
        TestClient.Socket again = client.connect(ws());
        again.sendText("admitted again");
        assertThat(again.nextText()).isEqualTo("admitted again");
    }

    @Test
    void theProcessWideBudgetRefusesSendsAt503AndRecoversWhenItDrains() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxBufferedBytes(512 * 1024)).backend(loopback));
        TestClient.Socket healthy = client.connect(ws());
        try (RawSocket stalled = new RawSocket(dock.port()).smallReceiveBuffer()) {
            assertThat(stalled.upgrade()).startsWith("HTTP/1.1 101");
            await().until(() -> loopback.connections().size() == 2);
            // by port, not by connect order: the two opens may reach the backend in either order
            Connection stuck = loopback.connections().stream()
                    .filter(c -> c.remoteAddress().getPort() == stalled.localPort()).findFirst().orElseThrow();
            Connection other = loopback.connections().stream().filter(c -> c != stuck).findFirst().orElseThrow();
            byte[] chunk = new byte[64 * 1024];
            int otherStatus = 0;
            int deliveredToOther = 0;
            // the stalled socket's kernel buffers may still take a few bytes after a refusal, freeing
            // budget: fill it again until the other connection's send meets a full budget
            for (int round = 0; round < 20 && otherStatus != 503; round++) {
                HttpResponse<String> answer = null;
                for (int i = 0; i < 2000; i++) {
                    answer = Http.post(stuck.sendUri(), "application/octet-stream", chunk);
                    if (answer.statusCode() != 200) {
                        break;
                    }
                }
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(dock.stats().bufferedBytes()).isGreaterThanOrEqualTo(512 * 1024 - 64 * 1024);
                otherStatus = Http.post(other.sendUri(), "application/octet-stream", chunk).statusCode();
                if (otherStatus == 200) {
                    deliveredToOther++;
                }
            }
            assertThat(otherStatus).as("the budget is shared: another connection's send is refused too").isEqualTo(503);
            int frames = deliveredToOther;
            await().until(() -> healthy.frames().size() == frames);
            healthy.frames().clear();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> dock.stats().bufferedBytes() == 0);
        healthy.sendText("budget drained");
        assertThat(healthy.nextText()).isEqualTo("budget drained");
    }

    @Test
    void atTheBudgetSocketsStopBeingReadUntilItDrains() throws Exception {
        backend = closer.add(RecordingBackendServer.start().holdAnswers("/message"));
        start(SocketDock.builder().limits(Limits.defaults().withMaxBufferedBytes(200 * 1024))
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message")).build())));
        TestClient.Socket filler = client.connect(ws());
        // small messages (large ones take the share of large messages, which parks no small reader):
        // their request bodies, held with the answers, fill the 200 KiB budget for good
        for (int i = 0; i < 100; i++) {
            filler.sendText(i + "x".repeat(4000));
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> dock.stats().bufferedBytes() >= 200 * 1024);
        assertThat(backend.requests("/message")).as("the filler stopped being read").hasSizeLessThan(100);

        TestClient.Socket waiting = client.connect(ws());
        waiting.sendText("waits for the budget");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> backend.requests("/message").stream()
                        .noneMatch(r -> r.json().get("message").getAsString().equals("waits for the budget")));

        backend.releaseHeld();
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.requests("/message").stream()
                .anyMatch(r -> r.json().get("message").getAsString().equals("waits for the budget")));
        assertThat(waiting.closed()).isNotDone();
        assertThat(filler.closed()).isNotDone();
    }

    @Test
    void compressionIsOffByDefaultAndOnWhenAsked() throws Exception {
        start(SocketDock.builder().backend(loopback));
        org.eclipse.jetty.websocket.client.ClientUpgradeRequest offer = new org.eclipse.jetty.websocket.client.ClientUpgradeRequest();
        offer.addExtensions("permessage-deflate");
        TestClient.Socket plain = client.connect(ws(), offer);
        assertThat(plain.session().getUpgradeResponse().getExtensions()).isEmpty();
        dock.close();

        start(SocketDock.builder().compression(true).limits(Limits.defaults().withMaxMessageSize(64 * 1024))
                .backend(loopback));
        TestClient.Socket deflating = client.connect(ws(), offer);
        assertThat(deflating.session().getUpgradeResponse().getExtensions())
                .extracting(e -> e.getName()).containsExactly("permessage-deflate");
        deflating.sendText("a".repeat(60 * 1024));
        assertThat(deflating.nextText()).hasSize(60 * 1024);
        deflating.sendText("a".repeat(65 * 1024));
        assertThat(deflating.closed().get(30, TimeUnit.SECONDS).code())
                .as("an inflated message is still bounded").isEqualTo(1009);
    }

    private Connection firstConnection() {
        await().until(() -> !loopback.connections().isEmpty());
        return loopback.connections().get(0);
    }
}
