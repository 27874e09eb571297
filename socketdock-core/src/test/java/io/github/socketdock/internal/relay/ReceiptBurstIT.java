package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backends;
import io.github.socketdock.Message;
import io.github.socketdock.Receipt;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1,000 receipted sends in a burst on one real socket: every one is delivered, in order, and the
 * pings that proved them are counted. One receipt ping is in flight at a time, so the count is
 * the number of round trips the burst's writes spanned, plus one: far below one per frame.
 */
class ReceiptBurstIT {

    private static final int BURST = 1000;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aThousandReceiptedSendsAreAllDeliveredWithAPingPerRoundTripNotPerFrame() throws Exception {
        CapturingBackend backend = new CapturingBackend(Backends.loopback());
        SocketDock dock = closer.add(SocketDock.builder().host("127.0.0.1").port(0).backend(backend).build().start());
        TestClient.Socket s = closer.add(new TestClient()).connect(dock.uri());
        await().until(() -> backend.connections().size() == 1);
        RelayConnection c = RelayConnection.of(backend.connections().get(0));

        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            receipts.add(c.sendWithReceipt(Message.text("m" + i), Duration.ofSeconds(30)).toCompletableFuture());
        }
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(receipts).allSatisfy(r -> assertThat(r.join().status()).isEqualTo(Receipt.Status.DELIVERED));
        for (int i = 0; i < BURST; i++) {
            assertThat(s.nextText()).isEqualTo("m" + i);
        }
        long pings = c.receiptPings();
        System.out.printf("%d receipted sends in a burst: %d receipt pings%n", BURST, pings);
        assertThat(pings).as("one ping per round trip the writes spanned, not one per frame").isBetween(1L, BURST / 10L);
    }
}
