package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.testing.TestClient;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pings and pongs, from either side. */
class KeepAliveIT {

    private SocketDock dock;
    private TestClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (dock != null) {
            dock.close();
        }
    }

    private TestClient.Socket connect(SocketDock.Builder builder) throws Exception {
        dock = builder.port(0).build().start();
        client = new TestClient();
        return client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
    }

    @Test
    void aClientPingIsAnsweredAndTheSocketKeepsRelaying() throws Exception {
        TestClient.Socket s = connect(SocketDock.builder().backend(Backends.loopback()));
        s.ping(new byte[] {1, 2, 3});
        assertThat(s.nextPong()).containsExactly(1, 2, 3);
        s.sendText("after ping");
        assertThat(s.nextText()).isEqualTo("after ping");
        s.ping(new byte[] {4});
        s.ping(new byte[] {5});
        s.sendText("after two pings");
        assertThat(s.nextText()).isEqualTo("after two pings");
        assertThat(s.nextPong()).containsExactly(4);
        assertThat(s.nextPong()).containsExactly(5);
    }
}
