package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.fixtures.TestClient;
import org.junit.jupiter.api.Test;

/**
 * Empty messages (a text or binary frame without payload) are messages like any other: the loopback
 * backend echoes them (HttpBackendWireIT checks the http backend relays them).
 */
class EmptyMessagesIT {

    @Test
    void theLoopbackBackendEchoesEmptyTextAndBinaryMessagesInOrder() throws Exception {
        try (SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build().start();
             TestClient client = new TestClient()) {
            TestClient.Socket s = client.connect(dock.uri());
            s.sendText("");
            s.sendBinary(new byte[0]);
            s.sendText("after");
            TestClient.Frame text = s.next();
            assertThat(text.isText()).isTrue();
            assertThat(text.text()).isEmpty();
            TestClient.Frame binary = s.next();
            assertThat(binary.isText()).isFalse();
            assertThat(binary.binary()).isEmpty();
            assertThat(s.nextText()).isEqualTo("after");
        }
    }
}
