package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.fixtures.RawSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames with pooled payloads still queued in Jetty when their session ends (a client that stopped
 * reading): each payload goes back to its pool exactly once, and the byte budget returns to zero,
 * however the session ends. (Contributed by a review.)
 */
class QueuedPayloadReleaseIT {

    @ParameterizedTest
    @ValueSource(strings = {"drop", "close then reset", "client reset"})
    void queuedPooledFramesAreReleasedOnceWhenTheSessionEnds(String how) throws Exception {
        CapturingBackend backend = new CapturingBackend(Backends.loopback());
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking(0, 256, 65536);
        try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(backend).build().start();
                RawSocket raw = new RawSocket(dock.port()).smallReceiveBuffer()) {
            assertThat(raw.upgrade()).contains("101");
            await().until(() -> backend.connections().size() == 1);
            RelayConnection live = RelayConnection.of(backend.connections().get(0));
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            ByteBuffer binary = ByteBuffer.wrap(new byte[30_000]);
            ByteBuffer text = ByteBuffer.wrap("x".repeat(20_000).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 200; i++) {
                sent.add(live.send(OutFrame.copied(OpCode.BINARY, pool, binary)));
                sent.add(live.send(OutFrame.copied(OpCode.TEXT, pool, text)));
            }
            assertThat(sent).as("frames still queued in Jetty").anyMatch(f -> !f.isDone());
            switch (how) {
                case "drop" -> live.drop();
                case "close then reset" -> {
                    live.close(new io.github.socketdock.CloseStatus(1000, "bye")); // waits behind the queued frames of a client that reads nothing
                    raw.abort();
                }
                default -> raw.abort();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(pool.getLeaks()).as("pooled payloads never released").isEmpty();
                assertThat(dock.stats().bufferedBytes()).as("the byte budget").isZero();
            });
        }
    }
}
