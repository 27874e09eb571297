package io.github.socketdock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecordingBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    SocketDockExtension relay = SocketDockExtension.withRecordingBackend();

    @Test
    void recordsConnectMessagesAndDisconnectAsValuesInOrder() throws Exception {
        TestWebSocket ws = relay.connect();
        RecordingBackend backend = relay.backend();
        Connection c = backend.takeEvent(RecordingBackend.Connected.class, WAIT).connection();
        ws.send("one");
        ws.send(new byte[] {1, 2, 3});
        assertThat(backend.takeEvent(RecordingBackend.Received.class, WAIT).message()).isEqualTo(Message.text("one"));
        RecordingBackend.Event binary = backend.takeEvent(WAIT);
        assertThat(binary).isInstanceOf(RecordingBackend.Received.class);
        assertThat(((RecordingBackend.Received) binary).message().bytes()).containsExactly(1, 2, 3);
        assertThat(binary.connection()).isSameAs(c);

        ws.close(4000, "done");
        RecordingBackend.Disconnected gone = backend.takeEvent(RecordingBackend.Disconnected.class, WAIT);
        assertThat(gone.status().code()).isEqualTo(4000);
        assertThat(gone.status().reason()).isEqualTo("done");
        assertThat(backend.connections()).containsExactly(c);
        assertThat(backend.pendingEvents()).isEmpty();
    }

    @Test
    void aMissingEventFailsTheTestWithWhatWasExpectedAndWhatCameInstead() throws Exception {
        RecordingBackend backend = relay.backend();
        assertThatThrownBy(() -> backend.takeEvent(Duration.ofMillis(1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no socket event within PT0.001S; nothing else");
        relay.connect().send("m");
        backend.takeEvent(RecordingBackend.Received.class, WAIT); // the connect came before it, and stays
        assertThatThrownBy(() -> backend.takeEvent(RecordingBackend.Disconnected.class, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no Disconnected event within PT0.05S; not taken: [Connected[");
    }

    @Test
    void takingOneKindLeavesTheOthersForLaterTakes() throws Exception {
        TestWebSocket ws = relay.connect();
        ws.send("first");
        ws.close(1000, "");
        RecordingBackend backend = relay.backend();
        assertThat(backend.takeEvent(RecordingBackend.Disconnected.class, WAIT).status().code()).isEqualTo(1000);
        assertThat(backend.takeEvent(RecordingBackend.Received.class, WAIT).message().text()).isEqualTo("first");
        assertThat(backend.takeEvent(WAIT)).isInstanceOf(RecordingBackend.Connected.class);
        assertThat(backend.pendingEvents()).isEmpty();
    }

    @Test
    void onMessageDecidesWhatAMessageDoesAfterItIsRecorded() throws Exception {
        relay.backend().onMessage((connection, message) -> connection.send(message.text().toUpperCase()));
        TestWebSocket ws = relay.connect();
        ws.send("echo");
        assertThat(relay.backend().takeEvent(RecordingBackend.Connected.class, WAIT)).isNotNull();
        assertThat(relay.backend().takeEvent(RecordingBackend.Received.class, WAIT).message().text()).isEqualTo("echo");
        assertThat(ws.takeText(WAIT)).isEqualTo("ECHO");
    }

    @Test
    void aFailedStageClosesTheSocketWith1011() throws Exception {
        relay.backend().onMessage((connection, message) -> CompletableFuture.failedFuture(new IllegalStateException("no")));
        TestWebSocket ws = relay.connect();
        ws.send("refused");
        assertThat(ws.awaitClose(WAIT).code()).isEqualTo(1011);
        assertThat(relay.backend().takeEvent(RecordingBackend.Connected.class, WAIT)).isNotNull();
        assertThat(relay.backend().takeEvent(RecordingBackend.Received.class, WAIT)).isNotNull();
        assertThat(relay.backend().takeEvent(RecordingBackend.Disconnected.class, WAIT).status().code()).isEqualTo(1011);
    }
}
