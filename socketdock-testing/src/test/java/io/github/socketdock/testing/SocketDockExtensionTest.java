package io.github.socketdock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.Backends;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.SocketDock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension starts a dock for each test and closes what the test opened after it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocketDockExtensionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** What the first test left behind, for the second to check. */
    private static SocketDock firstDock;
    private static int firstPort;
    private static TestWebSocket firstSocket;
    private static MockMediator firstMediator;

    @RegisterExtension
    SocketDockExtension relay = SocketDockExtension.withMockMediator()
            .configure(b -> b.allowedOrigins(List.of("https://wallet.example")));

    @Test
    @Order(1)
    void startsADockOnALoopbackPortWithTheTestsSettings() throws Exception {
        firstDock = relay.dock();
        firstPort = relay.dock().port();
        firstMediator = relay.mediator();
        assertThat(relay.webSocketUri().toString()).isEqualTo("ws://127.0.0.1:" + relay.dock().port() + "/ws");
        assertThat(relay.dock().allowedOrigins()).containsExactly("https://wallet.example");
        firstSocket = relay.connect(Map.of("Origin", "https://wallet.example"));
        assertThatThrownBy(() -> relay.connect(Map.of("Origin", "https://evil.example")))
                .isInstanceOf(IOException.class).hasMessageContaining("refused with 403");
        relay.mediator().takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
    }

    @Test
    @Order(2)
    void closedTheSocketsTheDockAndTheMediatorOfTheTestBefore() throws Exception {
        assertThat(firstDock).as("run after the test before it").isNotNull();
        assertThat(relay.dock()).isNotSameAs(firstDock);
        assertThat(firstSocket.awaitClose(WAIT).code()).as("closed by the extension before the dock (which sends 1001)")
                .isEqualTo(CloseStatus.NORMAL);
        assertThat(firstMediator.envelopes()).extracting(MockMediator.Envelope::kind)
                .as("the dock posted the disconnect before the mediator stopped")
                .containsExactly(MockMediator.Kind.CONNECT, MockMediator.Kind.DISCONNECT);
        assertThatThrownBy(() -> new Socket("127.0.0.1", firstPort).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket("127.0.0.1", firstMediator.uri("/").getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    @Order(3)
    void refusesTheAccessorsOfWhatItDidNotStart() {
        assertThatThrownBy(relay::backend).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("withRecordingBackend()");
        assertThatThrownBy(SocketDockExtension.withRecordingBackend()::dock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no dock is running");
    }

    /** Any backend: here the built-in loopback, which sends every message back. */
    @org.junit.jupiter.api.Nested
    class WithBackend {

        @RegisterExtension
        SocketDockExtension echo = SocketDockExtension.withBackend(Backends::loopback);

        @Test
        void deliversToTheBackendItWasGiven() throws Exception {
            TestWebSocket ws = echo.connect();
            ws.send("back");
            assertThat(ws.takeText(WAIT)).isEqualTo("back");
            assertThatThrownBy(echo::mediator).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("withMockMediator()");
        }
    }
}
