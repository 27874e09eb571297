package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that sends pings and reads none of the pongs is pushed back by TCP, as by any other
 * answer it does not read: the relay reads its next ping only once the last pong is written, so
 * it holds at most one pong for it, however many pings it sends. Other sockets are served.
 */
class PingFloodIT {

    @Test
    void aClientThatPingsAndNeverReadsIsPushedBackAndOthersAreServed() throws Exception {
        try (SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build().start();
             RawSocket raw = new RawSocket(dock.port());
             TestClient client = new TestClient()) {
            assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
            byte[] one = RawSocket.frame(true, 0x9, new byte[125]);
            byte[] batch = new byte[one.length * 500];
            for (int i = 0; i < 500; i++) {
                System.arraycopy(one, 0, batch, i * one.length, one.length);
            }
            long cap = 64L * 1024 * 1024;
            AtomicLong written = new AtomicLong();
            AtomicLong lastProgress = new AtomicLong(System.nanoTime());
            Thread writer = new Thread(() -> {
                while (written.get() < cap && raw.tryWrite(batch)) {
                    written.addAndGet(batch.length);
                    lastProgress.set(System.nanoTime());
                }
            }, "ping-flooder");
            writer.setDaemon(true);
            writer.start();
            // pushed back: the writer stops making progress (a write blocks) well before the cap
            await().atMost(Duration.ofSeconds(60)).until(() -> !writer.isAlive()
                    || System.nanoTime() - lastProgress.get() > Duration.ofSeconds(2).toNanos());
            assertThat(written.get()).as("bytes of pings the relay took from a client that reads no pong")
                    .isLessThan(cap);

            TestClient.Socket other = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
            other.sendText("still served");
            assertThat(other.nextText()).isEqualTo("still served");
            raw.abort();
        }
    }
}
