package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SocketDock tells the settings it was built with, before it starts, and {@code newBuilder()} carries them all. */
class SettingsAccessorsTest {

    private static final String TOKEN = "a-control-token-0123456789";

    private static SocketDock.Builder everySettingChanged(Path keystore) {
        return SocketDock.builder()
                .host("0.0.0.0")
                .port(9000)
                .endpoint(URI.create("https://relay.example.org/base/"))
                .tls(Keystore.pkcs12(keystore, "pw-12345"))
                .proxyProtocol(true)
                .trustForwarded(true)
                .allowedOrigins(List.of("https://*.example.org"))
                .compression(true)
                .controlApi(ControlApi.defaults().withListener("127.0.0.1", 9001).withTokens(List.of(TOKEN)))
                .keepAlive(KeepAlive.defaults().withPingInterval(Duration.ZERO).withIdleTimeout(Duration.ofMinutes(5)))
                .limits(Limits.defaults().withMaxConnections(10).withMaxMessageSize(1024))
                .backend(Backends.loopback())
                .connectMode(ConnectMode.AUTHORIZE)
                .connectDecisionTimeout(Duration.ofSeconds(7))
                .shutdownTimeout(Duration.ofSeconds(3));
    }

    @Test
    void everySettingIsReadBackBeforeStart(@TempDir Path dir) throws Exception {
        Path keystore = Files.writeString(dir.resolve("tls.p12"), "opened at start only");
        SocketDock dock = everySettingChanged(keystore).build();

        assertThat(dock.host()).isEqualTo("0.0.0.0");
        assertThat(dock.tls()).contains(Keystore.pkcs12(keystore, "pw-12345"));
        assertThat(dock.proxyProtocol()).isTrue();
        assertThat(dock.trustForwarded()).isTrue();
        assertThat(dock.allowedOrigins()).containsExactly("https://*.example.org");
        assertThat(dock.compression()).isTrue();
        assertThat(dock.controlApi()).isEqualTo(ControlApi.defaults().withListener("127.0.0.1", 9001)
                .withTokens(List.of(TOKEN)));
        assertThat(dock.keepAlive()).isEqualTo(KeepAlive.defaults().withPingInterval(Duration.ZERO)
                .withIdleTimeout(Duration.ofMinutes(5)));
        assertThat(dock.limits()).isEqualTo(Limits.defaults().withMaxConnections(10).withMaxMessageSize(1024));
        assertThat(dock.connectMode()).isEqualTo(ConnectMode.AUTHORIZE);
        assertThat(dock.connectDecisionTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(dock.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));

        SocketDock defaults = SocketDock.builder().backend(Backends.loopback()).build();
        assertThat(defaults.host()).isEqualTo(SocketDock.DEFAULT_HOST);
        assertThat(defaults.tls()).isEmpty();
        assertThat(defaults.controlApi()).isEqualTo(ControlApi.defaults());
        assertThat(defaults.keepAlive()).isEqualTo(KeepAlive.defaults());
        assertThat(defaults.limits()).isEqualTo(Limits.defaults());
        assertThat(defaults.shutdownTimeout()).isEqualTo(SocketDock.DEFAULT_SHUTDOWN_TIMEOUT);
    }

    @Test
    void newBuilderBuildsEqualSettings(@TempDir Path dir) throws Exception {
        SocketDock.Builder original = everySettingChanged(Files.writeString(dir.resolve("tls.p12"), "x"));
        SocketDock dock = original.build();

        SocketDock copy = dock.newBuilder().build();

        assertThat(copy.settings()).isEqualTo(dock.settings());
        assertThat(copy.backend()).isSameAs(dock.backend());
        assertThat(dock.newBuilder()).hasToString(original.toString());
        SocketDock defaults = SocketDock.builder().backend(Backends.loopback()).build();
        assertThat(defaults.newBuilder().build().settings()).isEqualTo(defaults.settings());
    }

    @Test
    void aVariantLeavesTheDockItCameFromAsItWas(@TempDir Path dir) throws Exception {
        SocketDock dock = everySettingChanged(Files.writeString(dir.resolve("tls.p12"), "x")).build();

        SocketDock variant = dock.newBuilder().limits(dock.limits().withMaxConnections(20)).backend(Backends.loopback())
                .build();

        assertThat(variant.limits().maxConnections()).isEqualTo(20);
        assertThat(dock.limits().maxConnections()).isEqualTo(10);
        assertThat(variant.backend()).isNotSameAs(dock.backend());
        assertThat(variant.keepAlive()).isEqualTo(dock.keepAlive());
    }
}
