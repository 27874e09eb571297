package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.fixtures.TestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting, binding and stopping a SocketDock. */
class DockLifecycleIT {

    @Test
    void portZeroPicksAFreePortAndTheEndpointFollowsIt() throws Exception {
        try (SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build().start();
             TestClient client = new TestClient()) {
            assertThat(dock.port()).isPositive();
            assertThat(dock.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + dock.port()));
            assertThat(dock.uri()).isEqualTo(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
            TestClient.Socket s = client.connect(dock.uri());
            s.sendText("echo");
            assertThat(s.nextText()).isEqualTo("echo");
            assertThat(dock.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aWildcardBindGivesALoopbackEndpointAndAnExplicitOneWins() {
        try (SocketDock dock = SocketDock.builder().host("0.0.0.0").port(0).backend(Backends.loopback()).build().start()) {
            assertThat(dock.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + dock.port()));
            assertThat(dock.uri()).isEqualTo(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        }
        try (SocketDock dock = SocketDock.builder().port(0).endpoint(URI.create("https://relay.example.com:443/"))
                .backend(Backends.loopback()).build().start()) {
            assertThat(dock.endpoint()).isEqualTo(URI.create("https://relay.example.com:443"));
        }
    }

    @Test
    void aPortInUseFailsWithAnActionableMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            SocketDock dock = SocketDock.builder().port(port).backend(Backends.loopback()).build();
            assertThatThrownBy(dock::start)
                    .isInstanceOf(SocketDockException.class)
                    .hasMessage("port " + port + " is already in use on 127.0.0.1: stop the process using it or choose another port");
        }
    }

    @Test
    void anAddressNotOnThisMachineFailsWithAnActionableMessage() {
        SocketDock dock = SocketDock.builder().host("192.0.2.1").port(0).backend(Backends.loopback()).build();
        assertThatThrownBy(dock::start)
                .isInstanceOf(SocketDockException.class)
                .hasMessageContaining("cannot bind 192.0.2.1:0")
                .hasMessageContaining("an address of this machine");
    }

    @Test
    void aControlPortInUseIsNamedAsTheControlPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            SocketDock dock = SocketDock.builder().port(0).controlApi(ControlApi.defaults().withListener("127.0.0.1", port))
                    .backend(Backends.loopback()).build();
            assertThatThrownBy(dock::start)
                    .isInstanceOf(SocketDockException.class)
                    .hasMessage("control port " + port + " is already in use on 127.0.0.1: stop the process using it or choose another port");
        }
    }

    @Test
    void aBackendThatCannotStartFailsStart() {
        SocketDock dock = SocketDock.builder().port(0).backend(new Backend() {
            @Override
            public void start() {
                throw new IllegalStateException("no database");
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> onMessage(Connection c, Message m) {
                return null;
            }
        }).build();
        assertThatThrownBy(dock::start).isInstanceOf(SocketDockException.class)
                .hasMessage("backend failed to start: no database");
    }

    @Test
    void startTwiceOrAfterCloseIsRefusedAndCloseIsIdempotent() {
        SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build();
        assertThatThrownBy(dock::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(dock::uri).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        dock.start();
        assertThatThrownBy(dock::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        assertThat(dock.drained()).as("not closed yet").isFalse();
        dock.close();
        assertThat(dock.drained()).as("nothing to drain").isTrue();
        dock.close();
        assertThat(dock.drained()).as("a second close changes nothing").isTrue();

        SocketDock never = SocketDock.builder().port(0).backend(Backends.loopback()).build();
        never.close();
        assertThat(never.drained()).as("never started: nothing drained").isFalse();
        assertThatThrownBy(dock::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void upgradesAreRefusedOnceClosedAndThePortIsFreed() throws Exception {
        SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build().start();
        int port = dock.port();
        dock.close();
        try (SocketDock again = SocketDock.builder().port(port).backend(Backends.loopback()).build().start();
             TestClient client = new TestClient()) {
            TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            s.sendBinary(new byte[] {9, 8, 7});
            assertThat(s.next().binary()).isEqualTo(new byte[] {9, 8, 7});
            assertThat(s.close().code()).isEqualTo(1000);
            assertThat(s.closed().get(1, TimeUnit.SECONDS)).isNotNull();
        }
    }
}
