package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The public value types and builders validate their input and say what is wrong. */
class ApiValuesTest {

    @Test
    void messagesCopyTheirBytesAndNeverPrintContent() {
        byte[] bytes = {1, 2, 3};
        Message m = Message.binary(bytes);
        bytes[0] = 9;
        assertThat(m.bytes()).containsExactly(1, 2, 3);
        m.bytes()[1] = 9;
        assertThat(m.bytes()).containsExactly(1, 2, 3);
        assertThat(m.data().isReadOnly()).isTrue();
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {5, 6, 7});
        buffer.get();
        assertThat(Message.binary(buffer).bytes()).containsExactly(6, 7);
        assertThat(buffer.position()).isEqualTo(1);
        assertThat(Message.text("secret")).hasToString("Message[TEXT, 6 chars]");
        assertThat(Message.text("ü").bytes()).isEqualTo("ü".getBytes(StandardCharsets.UTF_8));
        assertThat(Message.text("")).matches(Message::isEmpty);
        assertThatThrownBy(() -> Message.binary(new byte[0]).text()).isInstanceOf(IllegalStateException.class);
        assertThat(Message.binary(new byte[] {1})).isEqualTo(Message.binary(new byte[] {1}));
    }

    @Test
    void closeStatusKnowsWhichCodesMayBeSent() {
        assertThat(CloseStatus.isSendable(1000)).isTrue();
        assertThat(CloseStatus.isSendable(1011)).isTrue();
        assertThat(CloseStatus.isSendable(4999)).isTrue();
        assertThat(CloseStatus.isSendable(1005)).isFalse();
        assertThat(CloseStatus.isSendable(1006)).isFalse();
        assertThat(CloseStatus.isSendable(2000)).isFalse();
        assertThat(new CloseStatus(1000, null).reason()).isEmpty();
    }

    @Test
    void builderRejectsBadValuesNamingTheSetting() {
        SocketDock.Builder b = SocketDock.builder();
        assertThatThrownBy(() -> b.port(70000)).hasMessage("port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> b.host(" ")).hasMessage("bind address must not be empty");
        assertThatThrownBy(() -> b.endpoint(URI.create("relay:8765"))).hasMessageContaining("endpoint must be an absolute");
        assertThatThrownBy(() -> b.endpoint(URI.create("http://relay?x=1"))).hasMessageContaining("without query");
        assertThatThrownBy(() -> b.shutdownTimeout(Duration.ofSeconds(-1))).hasMessageContaining("negative");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("no backend set");
    }

    @Test
    void httpOptionsHaveTheDocumentedDefaultsAndValidate() {
        HttpBackendOptions o = HttpBackendOptions.builder(URI.create("http://127.0.0.1:3000/message")).build();
        assertThat(o.maxInflight()).isEqualTo(1024);
        assertThat(o.maxConnections()).isEqualTo(2048);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.orderingWindow()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.connectUri()).isEmpty();
        assertThat(o.disconnectUri()).isEmpty();
        HttpBackendOptions variant = o.newBuilder().maxInflight(3).build();
        assertThat(variant.maxInflight()).isEqualTo(3);
        assertThat(variant.messageUri()).isEqualTo(o.messageUri());

        assertThatThrownBy(() -> HttpBackendOptions.builder(URI.create("ftp://x/y")))
                .hasMessage("message URI must be an absolute http:// or https:// URL, got 'ftp://x/y'");
        assertThatThrownBy(() -> HttpBackendOptions.builder(URI.create("/message")))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> o.newBuilder().maxInflight(0)).hasMessage("max inflight must be at least 1, got 0");
        assertThatThrownBy(() -> o.newBuilder().maxConnections(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> o.newBuilder().timeout(Duration.ZERO)).hasMessage("backend timeout must be positive, got PT0S");
        assertThatThrownBy(() -> o.newBuilder().orderingWindow(Duration.ofMillis(-1))).hasMessageContaining("negative");
    }
}
