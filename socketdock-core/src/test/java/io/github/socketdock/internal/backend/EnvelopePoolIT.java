package io.github.socketdock.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import io.github.socketdock.http.WebhookVerifier;
import io.github.socketdock.internal.backend.HttpBackend;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * The backend calls' bodies live in buffers of the HTTP client's pool: each is encoded once,
 * sent by every try and signed from the same bytes, and given back when the call and its last try
 * are done, whether answered, retried, timed out or abandoned. A tracking pool finds any buffer
 * never given back.
 */
class EnvelopePoolIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void everyBodyGoesBackToThePoolAfterAnswersRetriesTimeoutsAndTheStop() throws Exception {
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
        byte[] notUtf8 = {(byte) 0xfb, (byte) 0xff, 0, 1, 2};
        String large = "x".repeat(200_000); // past the pool's largest bucket: a buffer of its own
        try (RecordingBackendServer backend = RecordingBackendServer.start()
                .answerInTurn("/message", 503, 503)
                .holdAnswers(r -> r.path().equals("/message") && r.text().contains("held"))) {
            HttpBackend http = new HttpBackend(HttpBackendOptions.builder(backend.uri("/message"))
                    .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect"))
                    .retry(Retry.defaults().withBackoff(Duration.ofMillis(10))).orderingWindow(Duration.ofSeconds(5))
                    .timeout(Duration.ofMillis(500)).signingSecrets(List.of(SECRET)).build(), pool);
            try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0)
                    .limits(Limits.defaults().withMaxMessageSize(1 << 20))
                    .backend(http).build().start();
                    TestClient client = new TestClient()) {
                TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
                s.sendText("retried twice");
                s.sendBinary(notUtf8);
                s.sendText(large);
                s.sendText("held past the timeout");
                List<RecordingBackendServer.Recorded> messages = backend.await("/message", 6);
                assertThat(messages).extracting(r -> r.json().get("message").getAsString()).containsExactly(
                        "retried twice", "retried twice", "retried twice",
                        Base64.getEncoder().encodeToString(notUtf8), large, "held past the timeout");
                // every try carries the same bytes, and each is signed over exactly what it carries
                assertThat(messages.get(1).body()).isEqualTo(messages.get(0).body()).isEqualTo(messages.get(2).body());
                WebhookVerifier verifier = WebhookVerifier.of(SECRET);
                for (RecordingBackendServer.Recorded m : messages) {
                    verifier.verify(m.headers(), m.body());
                }

                s.close();
                JsonObject disconnect = backend.await("/disconnect", 1).get(0).json();
                assertThat(disconnect.get("code").getAsInt()).isEqualTo(1000);
                assertThat(dock.stats().abandonedAnswers()).as("the held message's call ended without an answer")
                        .isEqualTo(1);
            } finally {
                backend.releaseHeld();
            }
        }
        // the relay, and with it the client, has stopped: every buffer it took is back
        assertThat(pool.getLeaks()).as(pool.dumpLeaks()).isEmpty();
        assertThat(pool.getHeapByteBufferCount()).as("bodies were pooled (the client's I/O buffers are direct)")
                .isPositive();
    }

    @Test
    void theBudgetCountsTheWholeBufferEachHeldBodyTakes() throws Exception {
        // a coarse pool (2 KiB steps, as Jetty's HttpClient's default one): a small body takes a whole step
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking(0, 2048, 65536);
        int n = 20;
        try (RecordingBackendServer backend = RecordingBackendServer.start().holdAnswers("/message")) {
            HttpBackend http = new HttpBackend(HttpBackendOptions.builder(backend.uri("/message"))
                    .timeout(Duration.ofSeconds(30)).build(), pool);
            try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(http).build().start();
                    TestClient client = new TestClient()) {
                TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
                for (int i = 0; i < n; i++) {
                    s.sendText("m" + i);
                }
                backend.await("/message", n);
                long held = pool.getLeaks().stream().filter(b -> !b.isDirect()).mapToLong(b -> b.capacity()).sum();
                assertThat(held).as("%d bodies held in 2 KiB buffers", n).isGreaterThanOrEqualTo(n * 2048L);
                assertThat(dock.stats().bufferedBytes()).as("what the budget counts").isGreaterThanOrEqualTo(held);
                backend.releaseHeld(); // answered before the relay stops, which would wait for them
                await().until(() -> dock.stats().bufferedBytes() == 0);
            } finally {
                backend.releaseHeld();
            }
        }
    }
}
