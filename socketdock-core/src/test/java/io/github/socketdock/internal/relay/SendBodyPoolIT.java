package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /socket/{id}/send} holds none of Jetty's buffers beyond reading the body (the frame's
 * payload is a copy in a buffer of the relay's own pool, whose release {@code OutboundQueueTest}
 * checks): every buffer of the server's pool is back once the frames are written, whatever the
 * body was (UTF-8 text, binary, another charset, refused as malformed, several network buffers long).
 */
class SendBodyPoolIT {

    @Test
    void everySendBodyGoesBackToTheServersPool() throws Exception {
        CapturingBackend backend = new CapturingBackend(Backends.loopback());
        try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(backend).build().start();
                TestClient client = new TestClient()) {
            TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
            await().until(() -> backend.connections().size() == 1);
            RelayConnection live = RelayConnection.of(backend.connections().get(0));
            ArrayByteBufferPool pool = (ArrayByteBufferPool) live.session().getByteBufferPool();
            URI send = live.sendUri();

            int frames = 0;
            for (int i = 0; i < 100; i++) {
                assertThat(Http.post(send, "text/plain; charset=utf-8", ("text " + i + " ✓").getBytes(StandardCharsets.UTF_8))
                        .statusCode()).isEqualTo(200);
                assertThat(Http.post(send, "application/octet-stream", new byte[] {1, 2, (byte) 0xff, (byte) i})
                        .statusCode()).isEqualTo(200);
                assertThat(Http.post(send, "text/plain; charset=iso-8859-1", ("caf" + (char) 0xe9).getBytes(StandardCharsets.ISO_8859_1))
                        .statusCode()).isEqualTo(200);
                assertThat(Http.post(send, "text/plain", new byte[] {'a', (byte) 0xc3}).statusCode())
                        .as("not UTF-8").isEqualTo(400);
                frames += 3;
            }
            for (int i = 0; i < 5; i++) {
                assertThat(Http.post(send, "text/plain", "y".repeat(40_000).getBytes(StandardCharsets.UTF_8)).statusCode())
                        .isEqualTo(200);
                frames++;
            }
            int expected = frames;
            await().atMost(Duration.ofSeconds(30)).until(() -> s.frames().size() == expected);
            assertThat(s.frames()).filteredOn(TestClient.Frame::isText).anySatisfy(f -> assertThat(f.text()).isEqualTo("café"));

            assertThat(pool.getDirectByteBufferCount()).as("the server's network buffers").isPositive();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(pool.getAvailableHeapByteBufferCount()).as("heap buffers back in the pool")
                        .isEqualTo(pool.getHeapByteBufferCount());
                assertThat(pool.getAvailableDirectByteBufferCount()).as("direct buffers back in the pool")
                        .isEqualTo(pool.getDirectByteBufferCount());
            });
        }
    }
}
