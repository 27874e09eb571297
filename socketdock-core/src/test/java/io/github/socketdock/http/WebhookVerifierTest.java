package io.github.socketdock.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks scheme, checked against the specification's published example. */
class WebhookVerifierTest {

    // the published example of the Standard Webhooks reference implementations
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static WebhookVerifier at(long epochSecond, String... secrets) {
        return WebhookVerifier.of(List.of(secrets), WebhookVerifier.DEFAULT_TOLERANCE,
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Test
    void signingReproducesThePublishedExample() {
        assertThat(WebhookVerifier.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
        assertThat(WebhookVerifier.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void thePublishedExampleVerifies() {
        assertThatCode(() -> at(TIMESTAMP, SECRET).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
                .doesNotThrowAnyException();
        assertThatCode(() -> at(TIMESTAMP + 60, SECRET).verify(Map.of("Webhook-Id", ID,
                "WEBHOOK-TIMESTAMP", Long.toString(TIMESTAMP), "webhook-signature", SIGNATURE), BODY))
                .doesNotThrowAnyException();
    }

    @Test
    void anySignatureMatchingAnySecretVerifiesSoSecretsRotate() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String both = WebhookVerifier.sign(other, ID, TIMESTAMP, BODY) + " " + SIGNATURE;
        assertThatCode(() -> at(TIMESTAMP, SECRET).verify(ID, Long.toString(TIMESTAMP), both, BODY)).doesNotThrowAnyException();
        assertThatCode(() -> at(TIMESTAMP, other, SECRET).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
                .doesNotThrowAnyException();
        assertThatCode(() -> at(TIMESTAMP, SECRET).verify(ID, Long.toString(TIMESTAMP), "v1a,bm9wZQ== v2,x " + SIGNATURE, BODY))
                .as("signatures of other schemes are skipped").doesNotThrowAnyException();
    }

    @Test
    void anAlteredBodyIdOrTimestampFails() {
        WebhookVerifier v = at(TIMESTAMP, SECRET);
        assertThatThrownBy(() -> v.verify(ID, Long.toString(TIMESTAMP), SIGNATURE,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("no signature matches");
        assertThatThrownBy(() -> v.verify("msg_other", Long.toString(TIMESTAMP), SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> v.verify(ID, Long.toString(TIMESTAMP + 1), SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> at(TIMESTAMP, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]))
                .verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aTimestampOutsideTheToleranceFailsEitherWay() {
        Duration five = WebhookVerifier.DEFAULT_TOLERANCE;
        assertThatCode(() -> at(TIMESTAMP + five.getSeconds(), SECRET).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> at(TIMESTAMP + five.getSeconds() + 1, SECRET).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> at(TIMESTAMP - five.getSeconds() - 1, SECRET).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
                .hasMessageContaining("tolerance");
    }

    @Test
    void missingOrMalformedHeadersFailClearly() {
        WebhookVerifier v = at(TIMESTAMP, SECRET);
        assertThatThrownBy(() -> v.verify(Map.of("webhook-id", ID), BODY)).hasMessageContaining("missing");
        assertThatThrownBy(() -> v.verify(ID, "yesterday", SIGNATURE, BODY)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> v.verify(ID, Long.toString(TIMESTAMP), "v1,not base64!", BODY)).hasMessage("no signature matches");
        assertThatThrownBy(() -> v.verify(ID, Long.toString(TIMESTAMP), "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", BODY))
                .hasMessage("no signature matches");
    }

    @Test
    void badSecretsAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> WebhookVerifier.of()).hasMessageContaining("at least one");
        assertThatThrownBy(() -> WebhookVerifier.of("whsec_***")).hasMessage("a signing secret must be whsec_ followed by base64");
        HttpBackendOptions.Builder b = HttpBackendOptions.builder(java.net.URI.create("http://127.0.0.1/m"));
        assertThatThrownBy(() -> b.signingSecrets(List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                .hasMessage("a signing secret must start with whsec_");
        assertThatThrownBy(() -> b.signingSecrets(List.of("whsec_c2hvcnQ="))).hasMessage("a signing secret must hold 24 to 64 bytes, got 5");
        assertThat(b.signingSecrets(List.of(SECRET)).build().toString()).doesNotContain("MfKQ9r8").contains("1 (masked)");
    }
}
