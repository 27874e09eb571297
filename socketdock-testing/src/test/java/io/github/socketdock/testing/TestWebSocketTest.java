package io.github.socketdock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.ConnectionRefusedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestWebSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    SocketDockExtension relay = SocketDockExtension.withRecordingBackend()
            .configure(b -> b.connectMode(ConnectMode.AUTHORIZE));

    @Test
    void aRefusedUpgradeNamesItsStatusAndTheBackendDecidesThroughOnConnect() throws Exception {
        relay.backend().onConnect(c -> c.headers().containsKey("authorization")
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new ConnectionRefusedException(401, "no token")));
        assertThatThrownBy(relay::connect).isInstanceOf(IOException.class).hasMessageContaining("refused with 401");
        TestWebSocket ws = relay.connect(Map.of("Authorization", "Bearer t"));
        assertThat(ws.isOpen()).isTrue();
        assertThat(relay.backend().connections()).hasSize(2);
    }

    @Test
    void aTakeWaitsNoLongerOnceTheSocketClosedWithNothingLeft() throws Exception {
        TestWebSocket ws = relay.connect();
        relay.backend().takeEvent(RecordingBackend.Connected.class, WAIT).connection().send("last words");
        relay.backend().connections().get(0).close(4002, "bye");
        assertThat(ws.awaitClose(WAIT)).isEqualTo(new CloseStatus(4002, "bye"));
        assertThat(ws.takeText(WAIT)).as("what came before the close is still there").isEqualTo("last words");
        // a take that waited its time out would say "within PT30S"
        assertThatThrownBy(() -> ws.takeFrame(Duration.ofSeconds(30))).isInstanceOf(AssertionError.class)
                .hasMessage("no message from the server: the socket closed with 4002 bye; nothing else either");
        assertThat(ws.isOpen()).isFalse();
    }

    @Test
    void anAbortedSocketIsClosedAbnormallyAndTheBackendHearsOfIt() throws Exception {
        TestWebSocket ws = relay.connect();
        ws.abort();
        assertThat(ws.awaitClose(WAIT).code()).isEqualTo(CloseStatus.ABNORMAL);
        assertThat(relay.backend().takeEvent(RecordingBackend.Disconnected.class, WAIT).status().code())
                .isEqualTo(CloseStatus.ABNORMAL);
    }

    @Test
    void aFrameIsEitherTextOrBinaryAndKeepsItsBytesToItself() {
        assertThatThrownBy(() -> new TestWebSocket.Frame(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TestWebSocket.Frame("t", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = {1, 2};
        TestWebSocket.Frame f = new TestWebSocket.Frame(null, bytes);
        bytes[0] = 9;
        f.binary()[1] = 9;
        assertThat(f.binary()).containsExactly(1, 2);
        assertThat(f).isEqualTo(new TestWebSocket.Frame(null, new byte[] {1, 2}));
    }
}
