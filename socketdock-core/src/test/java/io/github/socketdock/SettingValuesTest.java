package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.http.HttpBackendOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grouped settings: defaults, withers that validate and name the setting, equality, and secrets kept in. */
class SettingValuesTest {

    private static final String TOKEN = "a-control-token-0123456789";

    @Test
    void keepAliveHasTheDocumentedDefaultsAndWithersMakeNewValues() {
        KeepAlive d = KeepAlive.defaults();
        assertThat(d.pingInterval()).isEqualTo(Duration.ofSeconds(20)).isEqualTo(KeepAlive.DEFAULT_PING_INTERVAL);
        assertThat(d.pingTimeout()).isEqualTo(Duration.ofSeconds(20)).isEqualTo(KeepAlive.DEFAULT_PING_TIMEOUT);
        assertThat(d.idleTimeout()).isZero();
        assertThat(d.maxReceiptWait()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(KeepAlive.DEFAULT_MAX_RECEIPT_WAIT);
        assertThat(d.closeOnReceiptTimeout()).isFalse();
        assertThat(d).hasToString("KeepAlive[pingInterval=20s, pingTimeout=20s, idleTimeout=off, maxReceiptWait=30s, "
                + "closeOnReceiptTimeout=false]");

        KeepAlive k = d.withPingInterval(Duration.ZERO).withPingTimeout(Duration.ofMillis(1500))
                .withIdleTimeout(Duration.ofMinutes(5)).withMaxReceiptWait(Duration.ofSeconds(5))
                .withCloseOnReceiptTimeout(true);
        assertThat(k).hasToString("KeepAlive[pingInterval=off, pingTimeout=1500ms, idleTimeout=5m, maxReceiptWait=5s, "
                + "closeOnReceiptTimeout=true]");
        assertThat(d).as("a wither leaves its value as it was").isEqualTo(KeepAlive.defaults());
        assertThat(k).isEqualTo(KeepAlive.defaults().withIdleTimeout(Duration.ofMinutes(5))
                .withPingTimeout(Duration.ofMillis(1500)).withPingInterval(Duration.ZERO)
                .withCloseOnReceiptTimeout(true).withMaxReceiptWait(Duration.ofSeconds(5))).hasSameHashCodeAs(k);
        assertThat(k).isNotEqualTo(k.withCloseOnReceiptTimeout(false)).isNotEqualTo(k.withMaxReceiptWait(Duration.ofSeconds(6)));
        assertThat(k).isNotEqualTo(d);
    }

    @Test
    void keepAliveRefusesBadValuesNamingTheSetting() {
        KeepAlive d = KeepAlive.defaults();
        assertThatThrownBy(() -> d.withPingInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ping interval must not be negative, got PT-1S");
        assertThatThrownBy(() -> d.withPingTimeout(Duration.ZERO)).hasMessage("ping timeout must be positive, got PT0S");
        assertThatThrownBy(() -> d.withMaxReceiptWait(Duration.ZERO)).hasMessage("max receipt wait must be positive, got PT0S");
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofMillis(-1)))
                .hasMessageStartingWith("idle timeout must not be negative");
        assertThatThrownBy(() -> d.withPingTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("ping timeout");
    }

    @Test
    void limitsHaveTheDocumentedDefaultsAndWithersMakeNewValues() {
        Limits d = Limits.defaults();
        assertThat(d.maxConnections()).isZero();
        assertThat(d.maxConnectionsPerAddress()).isZero();
        assertThat(d.maxMessageSize()).isEqualTo(4L << 20).isEqualTo(Limits.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(d.maxQueuedBytes()).isEqualTo(16L << 20).isEqualTo(Limits.DEFAULT_MAX_QUEUED_BYTES);
        assertThat(d.maxBufferedBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(d.slowClientTimeout()).isEqualTo(Duration.ofSeconds(60)).isEqualTo(Limits.DEFAULT_SLOW_CLIENT_TIMEOUT);
        assertThat(d.unfinishedMessageTimeout()).isEqualTo(Duration.ofSeconds(30))
                .isEqualTo(Limits.DEFAULT_UNFINISHED_MESSAGE_TIMEOUT);

        Limits l = d.withMaxConnections(100).withMaxConnectionsPerAddress(5).withMaxMessageSize(64 * 1024)
                .withMaxQueuedBytes(1L << 20).withMaxBufferedBytes(2L << 30).withSlowClientTimeout(Duration.ofSeconds(90))
                .withUnfinishedMessageTimeout(Duration.ofSeconds(45));
        assertThat(l).hasToString("Limits[maxConnections=100, maxConnectionsPerAddress=5, maxMessageSize=64KiB, "
                + "maxQueuedBytes=1MiB, maxBufferedBytes=2GiB, slowClientTimeout=90s, unfinishedMessageTimeout=45s]");
        assertThat(d.withMaxConnections(0)).as("0 is unlimited").hasToString(d.toString()).isEqualTo(d);
        assertThat(d.toString()).contains("maxConnections=unlimited, maxConnectionsPerAddress=unlimited");
        assertThat(l).isEqualTo(d.withUnfinishedMessageTimeout(Duration.ofSeconds(45))
                .withSlowClientTimeout(Duration.ofSeconds(90))
                .withMaxBufferedBytes(2L << 30).withMaxQueuedBytes(1L << 20).withMaxMessageSize(64 * 1024)
                .withMaxConnectionsPerAddress(5).withMaxConnections(100)).hasSameHashCodeAs(l);
        assertThat(l.withMaxConnections(101)).isNotEqualTo(l);
    }

    @Test
    void limitsRefuseBadValuesNamingTheSetting() {
        Limits d = Limits.defaults();
        assertThatThrownBy(() -> d.withMaxConnections(-1)).hasMessage("max connections must not be negative, got -1");
        assertThatThrownBy(() -> d.withMaxConnectionsPerAddress(-1))
                .hasMessage("max connections per address must not be negative, got -1");
        assertThatThrownBy(() -> d.withMaxMessageSize(0))
                .hasMessage("max message size must be between 1 and 2147483639 bytes, got 0");
        assertThatThrownBy(() -> d.withMaxMessageSize(Integer.MAX_VALUE)).hasMessageStartingWith("max message size");
        assertThatThrownBy(() -> d.withMaxQueuedBytes(0)).hasMessage("max queued bytes must be at least 1, got 0");
        assertThatThrownBy(() -> d.withMaxBufferedBytes(0)).hasMessage("max buffered bytes must be at least 1, got 0");
        assertThatThrownBy(() -> d.withSlowClientTimeout(Duration.ZERO))
                .hasMessage("slow client timeout must be positive, got PT0S");
        assertThatThrownBy(() -> d.withUnfinishedMessageTimeout(Duration.ofSeconds(-1)))
                .hasMessage("unfinished message timeout must be positive, got PT-1S");
    }

    @Test
    void controlApiKeepsItsTokensToItselfAndValidates() {
        ControlApi d = ControlApi.defaults();
        assertThat(d.ownListener()).isFalse();
        assertThat(d.host()).isEmpty();
        assertThat(d.requiresToken()).isFalse();
        assertThat(d.tokenCount()).isZero();
        assertThat(d).hasToString("ControlApi[listener=shared, controlTokens=none]");

        ControlApi c = d.withListener(" 10.0.0.5 ", 8766).withTokens(List.of(TOKEN, TOKEN + "-next"));
        assertThat(c.ownListener()).isTrue();
        assertThat(c.host()).contains("10.0.0.5");
        assertThat(c.port()).isEqualTo(8766);
        assertThat(c.requiresToken()).isTrue();
        assertThat(c.tokenCount()).isEqualTo(2);
        assertThat(c).hasToString("ControlApi[listener=10.0.0.5:8766, controlTokens=2 (masked)]");
        assertThat(c.toString()).doesNotContain(TOKEN);
        assertThat(c.withSharedListener()).isEqualTo(d.withTokens(List.of(TOKEN, TOKEN + "-next")));
        assertThat(c).isEqualTo(d.withTokens(List.of(TOKEN, TOKEN + "-next")).withListener("10.0.0.5", 8766))
                .hasSameHashCodeAs(c);
        assertThat(c).isNotEqualTo(c.withTokens(List.of(TOKEN)));

        assertThatThrownBy(() -> d.withTokens(List.of("short"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a control token must be at least 16 characters without whitespace");
        assertThatThrownBy(() -> d.withTokens(List.of("has whitespace inside it"))).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> d.withListener(" ", 1)).hasMessage("control bind address must not be empty");
        assertThatThrownBy(() -> d.withListener("127.0.0.1", 70000))
                .hasMessage("control port must be between 0 and 65535, got 70000");
    }

    @Test
    void aKeystoreShowsItsFileAndNeverItsPassword(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tls.p12"), "not read here");
        Keystore k = Keystore.pkcs12(file, "s3cret-password");
        assertThat(k.file()).isEqualTo(file);
        assertThat(k).hasToString("Keystore[" + file + ", password masked]");
        assertThat(k).isEqualTo(Keystore.pkcs12(file, "s3cret-password"))
                .hasSameHashCodeAs(Keystore.pkcs12(file, "s3cret-password"));
        assertThat(k).isNotEqualTo(Keystore.pkcs12(file, "another-password"));
        assertThatThrownBy(() -> Keystore.pkcs12(file, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("keystore password");

        SocketDock.Builder b = SocketDock.builder().tls(k);
        assertThat(b.toString()).contains(", tls=" + file + ",").doesNotContain("s3cret");
        assertThatThrownBy(() -> b.tls(Keystore.pkcs12(dir.resolve("missing.p12"), "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS keystore " + dir.resolve("missing.p12") + " does not exist or cannot be read");
        HttpBackendOptions o = HttpBackendOptions.builder(URI.create("https://mediator/message")).trustStore(k).keyStore(k)
                .build();
        assertThat(o.trustStore()).contains(k);
        assertThat(o.keyStore()).contains(k);
        assertThat(o.toString()).contains("trustStore=" + file + ", keyStore=" + file + "]").doesNotContain("s3cret");
        assertThatThrownBy(() -> o.newBuilder().keyStore(Keystore.pkcs12(dir.resolve("missing.p12"), "x")))
                .hasMessageStartingWith("backend keystore ").hasMessageEndingWith(" does not exist or cannot be read");
        assertThatThrownBy(() -> o.newBuilder().trustStore(Keystore.pkcs12(dir.resolve("missing.p12"), "x")))
                .hasMessageStartingWith("backend truststore ");
    }

    @Test
    void noPublicMethodHandsOutAPasswordOrAToken() {
        for (Class<?> type : List.of(Keystore.class, ControlApi.class, SocketDock.class, SocketDock.Builder.class,
                HttpBackendOptions.class, HttpBackendOptions.Builder.class)) {
            List<String> leaking = Arrays.stream(type.getMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0)
                    .filter(m -> m.getReturnType() == String.class || m.getReturnType() == List.class
                            || m.getReturnType() == char[].class)
                    .map(Method::getName)
                    .filter(n -> n.toLowerCase().contains("password") || n.toLowerCase().contains("token"))
                    .toList();
            assertThat(leaking).as(type.getName()).isEmpty();
        }
    }
}
