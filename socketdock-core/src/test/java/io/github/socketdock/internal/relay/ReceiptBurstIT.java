package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backend;
import io.github.socketdock.Backends;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import io.github.socketdock.Receipt;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.TcpForwarder;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Receipted sends on one real socket, through a TCP forwarder that can hold everything a while:
 * a burst of 1,000 written within one round trip costs two pings, and a receipt ping chained by a
 * pong is answered even while the backend holds the socket's reading.
 */
class ReceiptBurstIT {

    private static final int BURST = 1000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    private CapturingBackend backend;
    private TestClient.Socket client;
    private TcpForwarder net;

    private RelayConnection start(Backend inner) throws Exception {
        backend = new CapturingBackend(inner);
        SocketDock dock = closer.add(SocketDock.builder().host("127.0.0.1").port(0).backend(backend).build().start());
        net = closer.add(TcpForwarder.to(dock.uri().getPort()));
        client = closer.add(new TestClient()).connect(URI.create("ws://127.0.0.1:" + net.port() + "/ws"));
        await().until(() -> backend.connections().size() == 1);
        return RelayConnection.of(backend.connections().get(0));
    }

    /** Holds the path: what the relay writes from now on waits in TCP's buffers until {@code net.resume()}. */
    private void hold(RelayConnection c) throws Exception {
        net.pause();
        c.send("before the hold").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(client.nextText()).as("read past: the forwarder waits before its next read").isEqualTo("before the hold");
    }

    /** Sends with a receipt each, then waits until every write completed (a plain send after them is written). */
    private static List<CompletableFuture<Receipt>> sendAll(Connection c, int n) throws Exception {
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receipts.add(c.sendWithReceipt(Message.text("m" + i), WAIT).toCompletableFuture());
        }
        c.send("after").toCompletableFuture().get(30, TimeUnit.SECONDS);
        return receipts;
    }

    private static void assertAllDelivered(List<CompletableFuture<Receipt>> receipts) throws Exception {
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(receipts).allSatisfy(r -> assertThat(r.join().status()).isEqualTo(Receipt.Status.DELIVERED));
    }

    @Test
    void aThousandReceiptedSendsWrittenWithinOneRoundTripCostTwoPings() throws Exception {
        RelayConnection c = start(Backends.loopback());
        hold(c);
        List<CompletableFuture<Receipt>> receipts = sendAll(c, BURST);
        assertThat(receipts).as("nothing proven while held").noneMatch(CompletableFuture::isDone);
        net.resume();

        assertAllDelivered(receipts);
        for (int i = 0; i < BURST; i++) {
            assertThat(client.nextText()).isEqualTo("m" + i);
        }
        System.out.printf("%d receipted sends in a burst: %d receipt pings%n", BURST, c.receiptPings());
        assertThat(c.receiptPings()).as("the first write's ping, and one for every frame written after it")
                .isEqualTo(2);
    }

    @Test
    void aReceiptPingChainedByAPongIsAnsweredWhileTheBackendHoldsTheReading() throws Exception {
        CompletableFuture<Void> held = new CompletableFuture<>();
        CompletableFuture<Void> reading = new CompletableFuture<>();
        RelayConnection c = start(new Backend() {
            @Override
            public CompletionStage<Void> onMessage(Connection connection, Message message) {
                reading.complete(null);
                return held; // the socket's reading waits for this
            }
        });
        closer.add(() -> held.complete(null)); // before the dock closes: its drain waits for the held message
        client.sendText("hold my reading");
        reading.get(30, TimeUnit.SECONDS);
        hold(c);
        List<CompletableFuture<Receipt>> receipts = sendAll(c, 3); // the first write's ping; the others need a second
        net.resume();

        assertAllDelivered(receipts);
        assertThat(c.receiptPings()).isEqualTo(2);
        assertThat(held).as("the backend still holds the reading").isNotDone();
    }
}
