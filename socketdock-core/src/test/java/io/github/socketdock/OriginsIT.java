package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RawSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser origins: allowed ones upgrade, others get 403, native agents without Origin are not affected. */
class OriginsIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private SocketDock dock;

    private String upgradeWith(String... headers) throws Exception {
        try (RawSocket raw = new RawSocket(dock.port())) {
            return raw.upgrade(headers);
        }
    }

    @Test
    void onlyAllowedOriginsUpgradeAndRequestsWithoutOriginAreNotAffected() throws Exception {
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.loopback())
                .allowedOrigins(List.of("https://wallet.example.org", "https://*.agents.example.com:8443")).build().start());

        assertThat(upgradeWith("Origin: https://wallet.example.org")).startsWith("HTTP/1.1 101");
        assertThat(upgradeWith("Origin: HTTPS://Wallet.Example.org")).startsWith("HTTP/1.1 101");
        assertThat(upgradeWith("Origin: https://alice.agents.example.com:8443")).startsWith("HTTP/1.1 101");
        assertThat(upgradeWith("Origin: https://a.b.agents.example.com:8443")).startsWith("HTTP/1.1 101");
        assertThat(upgradeWith()).as("a native agent sends no Origin").startsWith("HTTP/1.1 101");

        assertThat(upgradeWith("Origin: https://evil.example.org")).startsWith("HTTP/1.1 403");
        assertThat(upgradeWith("Origin: http://wallet.example.org")).startsWith("HTTP/1.1 403");
        assertThat(upgradeWith("Origin: https://agents.example.com:8443")).startsWith("HTTP/1.1 403");
        assertThat(upgradeWith("Origin: https://alice.agents.example.com")).startsWith("HTTP/1.1 403");
        assertThat(upgradeWith("Origin: https://alice.agents.example.com.evil.org:8443")).startsWith("HTTP/1.1 403");
        assertThat(upgradeWith("Origin: null")).startsWith("HTTP/1.1 403");
        assertThat(dock.connectionCount()).isLessThanOrEqualTo(5);
    }

    @Test
    void withoutAListEveryOriginIsAllowed() throws Exception {
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.loopback()).build().start());
        assertThat(upgradeWith("Origin: https://anything.example")).startsWith("HTTP/1.1 101");
    }

    @Test
    void malformedPatternsAreRefusedByTheBuilder() {
        SocketDock.Builder b = SocketDock.builder();
        for (String bad : List.of("wallet.example.org", "https://wallet.example.org/path", "https://*", "*")) {
            assertThatThrownBy(() -> b.allowedOrigins(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed origin");
        }
    }
}
