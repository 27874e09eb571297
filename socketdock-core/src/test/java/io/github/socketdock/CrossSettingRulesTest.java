package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Settings that do not fit together are refused by {@code build()}, one line each; nothing else refuses them. */
class CrossSettingRulesTest {

    private static final URI MESSAGE = URI.create("http://127.0.0.1:9/message");

    private static Backend http(boolean withConnectUri) {
        HttpBackendOptions.Builder o = HttpBackendOptions.builder(MESSAGE);
        if (withConnectUri) {
            o.connectUri(URI.create("http://127.0.0.1:9/connect"));
        }
        return Backends.http(o.build());
    }

    @Test
    void authorizeWithTheHttpBackendAndNoConnectUriIsRefused() {
        // before: every upgrade was accepted silently, nothing being asked
        assertThatThrownBy(() -> SocketDock.builder().connectMode(ConnectMode.AUTHORIZE).backend(http(false)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connect mode AUTHORIZE with the http backend needs a connect URI");
        assertThatCode(() -> SocketDock.builder().connectMode(ConnectMode.AUTHORIZE).backend(http(true)).build())
                .doesNotThrowAnyException();
        assertThatCode(() -> SocketDock.builder().backend(http(false)).build()).as("NOTIFY needs none")
                .doesNotThrowAnyException();
    }

    @Test
    void authorizeWithAnInProcessBackendIsDecidedByItsOnConnect() {
        assertThatCode(() -> SocketDock.builder().connectMode(ConnectMode.AUTHORIZE).backend(Backends.loopback()).build())
                .doesNotThrowAnyException();
        Backend own = new Backend() {
            @Override
            public java.util.concurrent.CompletionStage<Void> onMessage(Connection c, Message m) {
                return null;
            }
        };
        assertThatCode(() -> SocketDock.builder().connectMode(ConnectMode.AUTHORIZE).backend(own).build())
                .doesNotThrowAnyException();
    }

    @Test
    void theProxyProtocolWithTheHttpBackendNeedsAControlListenerOfItsOwn() {
        assertThatThrownBy(() -> SocketDock.builder().proxyProtocol(true).backend(http(true)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the PROXY protocol with the http backend needs a control listener of its own");
        assertThatCode(() -> SocketDock.builder().proxyProtocol(true)
                .controlApi(ControlApi.defaults().withListener("127.0.0.1", 0))
                .backend(http(true)).build()).doesNotThrowAnyException();
        assertThatCode(() -> SocketDock.builder().proxyProtocol(true).backend(Backends.loopback()).build())
                .as("an in-process backend makes no callbacks").doesNotThrowAnyException();
    }
}
