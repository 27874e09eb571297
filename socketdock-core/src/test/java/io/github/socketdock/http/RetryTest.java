package io.github.socketdock.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The http backend's retry settings: defaults, withers that validate, and how the options show them. */
class RetryTest {

    @Test
    void retryHasTheDocumentedDefaultsAndWithersMakeNewValues() {
        Retry d = Retry.defaults();
        assertThat(d.retries()).isEqualTo(5).isEqualTo(Retry.DEFAULT_RETRIES);
        assertThat(d.backoff()).isEqualTo(Duration.ofSeconds(1)).isEqualTo(Retry.DEFAULT_BACKOFF);
        assertThat(Retry.DISCONNECT_RETRY_PERIOD).isEqualTo(Duration.ofSeconds(60));
        assertThat(d).hasToString("Retry[retries=5, retryBackoff=1s]");

        Retry r = d.withRetries(0).withBackoff(Duration.ofMillis(250));
        assertThat(r).hasToString("Retry[retries=0, retryBackoff=250ms]");
        assertThat(d).isEqualTo(Retry.defaults());
        assertThat(r).isEqualTo(Retry.defaults().withBackoff(Duration.ofMillis(250)).withRetries(0)).hasSameHashCodeAs(r);
        assertThat(r).isNotEqualTo(d);
    }

    @Test
    void retryRefusesBadValuesNamingTheSetting() {
        assertThatThrownBy(() -> Retry.defaults().withRetries(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backend retries must not be negative, got -1");
        assertThatThrownBy(() -> Retry.defaults().withBackoff(Duration.ZERO))
                .hasMessage("backend retry backoff must be positive, got PT0S");
    }

    @Test
    void theOptionsCarryTheirRetryAndShowItsBackoff() {
        HttpBackendOptions o = HttpBackendOptions.builder(URI.create("http://mediator/message")).build();
        assertThat(o.retry()).isEqualTo(Retry.defaults());
        assertThat(o.toString()).contains(", retries=5, retryBackoff=1s; ");
        HttpBackendOptions variant = o.newBuilder().retry(Retry.defaults().withBackoff(Duration.ofMillis(20))).build();
        assertThat(variant.retry().backoff()).isEqualTo(Duration.ofMillis(20));
        assertThat(variant.toString()).contains(", retries=5, retryBackoff=20ms; ");
        assertThat(variant.newBuilder().build().toString()).isEqualTo(variant.toString());
    }
}
