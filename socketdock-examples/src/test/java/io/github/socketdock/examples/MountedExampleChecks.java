package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Envelope;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** What the ITs of the two mounted examples (Jetty, Javalin) check alike. */
final class MountedExampleChecks {

    static final String TOKEN = "example-control-token-0123456789";

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Stops the host. */
    interface Stop {
        void stop() throws Exception;
    }

    private MountedExampleChecks() {
    }

    /** The mediator: its answers through the send URL carry the control token. */
    static MockMediator mediator() throws IOException {
        return MockMediator.start().controlToken(TOKEN);
    }

    /**
     * A message goes to the mediator and its answer, sent to {@code /relay/socket/{id}/send},
     * comes back; the host's own route answers on the same port; stopping the host closes the
     * socket with 1001 and posts its disconnect.
     */
    static void relayThenDrainOnHostStop(MockMediator mediator, SocketDock dock, Stop host) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + dock.port());
        assertThat(dock.uri().toString()).endsWith(":" + dock.port() + "/relay/ws");
        try (TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
            ws.send("ping");
            Envelope message = mediator.takeEnvelope(Kind.MESSAGE, WAIT);
            assertThat(message.path()).isEqualTo("/message");
            assertThat(mediator.reply(message, "re: " + message.message())).isEqualTo(200);
            assertThat(ws.takeText(WAIT)).isEqualTo("re: ping");
            Envelope connect = mediator.takeEnvelope(Kind.CONNECT, WAIT);
            assertThat(connect.path()).isEqualTo("/connect");
            String id = connect.connectionId();
            assertThat(message.sendUri()).contains(base.resolve("/relay/socket/" + id + "/send"));
            assertThat(Http.call("GET", base.resolve("/hello")).body()).isEqualTo("hello from the mediator");

            host.stop();

            assertThat(ws.awaitClose(WAIT).code()).isEqualTo(1001);
            Envelope disconnect = mediator.takeEnvelope(Kind.DISCONNECT, WAIT);
            assertThat(disconnect.path()).isEqualTo("/disconnect");
            assertThat(disconnect.connectionId()).isEqualTo(id);
            assertThat(dock.drained()).isTrue();
        }
    }
}
