package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Envelope;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedHttpRelayIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void relaysToAMediatorThatAnswersThroughTheSendUrl() throws Exception {
        MockMediator mediator = closer.add(MockMediator.start());
        SocketDock dock = closer.add(EmbeddedHttpRelay.start(mediator.uri("/"), 0));
        TestWebSocket ws = closer.add(TestWebSocket.connect(dock.uri()));

        ws.send("ping");
        Envelope message = mediator.takeEnvelope(Kind.MESSAGE, WAIT);
        assertThat(message.path()).isEqualTo("/message");
        assertThat(mediator.reply(message, "re: " + message.message())).isEqualTo(200); // POST meta.send
        assertThat(ws.takeText(WAIT)).isEqualTo("re: ping");
        Envelope connect = mediator.takeEnvelope(Kind.CONNECT, WAIT);
        assertThat(connect.path()).isEqualTo("/connect");
        assertThat(mediator.envelopes()).filteredOn(e -> e.kind() == Kind.CONNECT).hasSize(1);

        ws.close(1000, "bye");
        ws.awaitClose(WAIT);
        Envelope disconnect = mediator.takeEnvelope(Kind.DISCONNECT, WAIT);
        assertThat(disconnect.path()).isEqualTo("/disconnect");
        assertThat(disconnect.connectionId()).isEqualTo(connect.connectionId());
        assertThat(mediator.envelopes()).filteredOn(e -> e.kind() == Kind.DISCONNECT).hasSize(1);
    }
}
