package io.github.socketdock.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** How many answers the http backend holds open at most. */
class HeldBoundTest {

    @Test
    void heldAnswersLeaveAQuarterOfThePooledConnectionsForNewRequests() {
        URI m = URI.create("http://127.0.0.1:1/message");
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).build())).isEqualTo(1024);
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).maxConnections(64).build())).isEqualTo(48);
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).maxConnections(1).build())).isEqualTo(1);
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).maxInflight(10).build())).isEqualTo(10);
    }
}
