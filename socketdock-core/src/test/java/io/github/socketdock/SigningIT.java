package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RecordingBackendServer.Recorded;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import io.github.socketdock.http.WebhookVerificationException;
import io.github.socketdock.http.WebhookVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every backend request signed as Standard Webhooks, verified by {@link WebhookVerifier}. */
class SigningIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static final String CURRENT = "whsec_" + Base64.getEncoder().encodeToString("current-secret-current-secret!!!".getBytes());
    private static final String PREVIOUS = "whsec_" + Base64.getEncoder().encodeToString("previous-secret-previous-secret!".getBytes());

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;

    private TestClient.Socket connect(HttpBackendOptions.Builder options) throws Exception {
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.http(options.build())).build().start());
        client = closer.add(new TestClient());
        return client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
    }

    private HttpBackendOptions.Builder options() {
        return HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect"))
                .disconnectUri(backend.uri("/disconnect"));
    }

    private static void verify(WebhookVerifier verifier, Recorded r) throws WebhookVerificationException {
        verifier.verify(r.headers(), r.body());
    }

    @Test
    void everyEventIsSignedWithEverySecretAndVerifiesWithEither() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        TestClient.Socket s = connect(options().signingSecrets(List.of(CURRENT, PREVIOUS)));
        s.sendText("signed");
        s.close();
        backend.await("/disconnect", 1);

        List<Recorded> all = backend.requests();
        assertThat(all).extracting(Recorded::path).containsExactly("/connect", "/message", "/disconnect");
        Set<String> ids = new HashSet<>();
        for (Recorded r : all) {
            assertThat(r.header("webhook-id")).matches("msg_[0-9a-f]{32}");
            assertThat(r.header("webhook-signature").split(" ")).hasSize(2).allMatch(sig -> sig.startsWith("v1,"));
            ids.add(r.header("webhook-id"));
            assertThatCode(() -> verify(WebhookVerifier.of(CURRENT), r)).doesNotThrowAnyException();
            assertThatCode(() -> verify(WebhookVerifier.of(PREVIOUS), r)).doesNotThrowAnyException();
        }
        assertThat(ids).as("unique per event").hasSize(3);
    }

    @Test
    void largeMessagesAreStreamedWithTheirExactLengthAndSignedAsTheirBytes() throws Exception {
        // a body over 64 KiB is never built whole: measured, streamed from the message, signed as it is read
        backend = closer.add(RecordingBackendServer.start());
        TestClient.Socket s = connect(options().signingSecrets(List.of(CURRENT)));
        String controls = "\u0001".repeat(300_000);
        byte[] random = new byte[200_000];
        new java.util.Random(3).nextBytes(random);
        random[0] = (byte) 0xff;
        s.sendText(controls);
        s.sendBinary(random);
        List<Recorded> messages = backend.await("/message", 2);
        Recorded text = messages.get(0);
        assertThat(text.header("content-length")).isEqualTo(Integer.toString(text.body().length));
        assertThat(text.body().length).isGreaterThan(6 * 300_000);
        assertThat(text.json().get("message").getAsString()).isEqualTo(controls);
        assertThatCode(() -> verify(WebhookVerifier.of(CURRENT), text)).doesNotThrowAnyException();
        Recorded binary = messages.get(1);
        assertThat(binary.header("content-length")).isEqualTo(Integer.toString(binary.body().length));
        assertThat(Base64.getDecoder().decode(binary.json().get("message").getAsString())).isEqualTo(random);
        assertThatCode(() -> verify(WebhookVerifier.of(CURRENT), binary)).doesNotThrowAnyException();
    }

    @Test
    void aForgedOrAlteredRequestDoesNotVerify() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        TestClient.Socket s = connect(options().signingSecrets(List.of(CURRENT)));
        s.sendText("original");
        Recorded r = backend.await("/message", 1).get(0);
        byte[] altered = r.text().replace("original", "forged!!").getBytes();
        assertThatThrownBy(() -> WebhookVerifier.of(CURRENT).verify(r.headers(), altered))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verify(WebhookVerifier.of(PREVIOUS), r)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aRetryKeepsTheWebhookIdAndIsSignedAfresh() throws Exception {
        backend = closer.add(RecordingBackendServer.start().answerInTurn("/message", 503));
        TestClient.Socket s = connect(options().signingSecrets(List.of(CURRENT))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(10))));
        s.sendText("retried");
        List<Recorded> tries = backend.await("/message", 2);
        assertThat(tries.get(1).header("webhook-id")).isEqualTo(tries.get(0).header("webhook-id"))
                .as("the webhook-id is the event's SocketDock-Message-Id")
                .isEqualTo(tries.get(0).header("SocketDock-Message-Id"));
        for (Recorded r : tries) {
            assertThatCode(() -> verify(WebhookVerifier.of(CURRENT), r)).doesNotThrowAnyException();
        }
    }

    @Test
    void withoutSecretsNothingIsSigned() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        TestClient.Socket s = connect(options());
        s.sendText("plain");
        Recorded r = backend.await("/message", 1).get(0);
        assertThat(r.headers()).doesNotContainKeys("webhook-id", "webhook-timestamp", "webhook-signature");
    }
}
