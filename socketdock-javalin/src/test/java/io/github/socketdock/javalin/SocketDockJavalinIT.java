package io.github.socketdock.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.Backends;
import io.github.socketdock.ControlApi;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SocketDock mounted on a Javalin 7 app, with the test kit mediator authors use: a real WebSocket
 * client ({@link TestWebSocket}) and a real HTTP mediator ({@link MockMediator}).
 */
class SocketDockJavalinIT {

    private static final String TOKEN = "a-control-token-of-32-characters";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    private MockMediator mediator;
    private Javalin app;

    @BeforeEach
    void start() throws Exception {
        mediator = closer.add(MockMediator.start());
    }

    private SocketDock.Builder relay() {
        return SocketDock.builder()
                .backend(Backends.http(mediator.options().build()))
                .controlApi(ControlApi.defaults().withTokens(List.of(TOKEN)));
    }

    private TestWebSocket connect(SocketDock dock) throws IOException {
        return closer.add(TestWebSocket.connect(dock.uri()));
    }

    /** A connector on 127.0.0.1 at a free port, bound now so that its port is known before the mount. */
    private static ServerConnector bound(org.eclipse.jetty.server.Server server, String name) {
        ServerConnector c = new ServerConnector(server);
        c.setName(name);
        c.setHost("127.0.0.1");
        c.setPort(0);
        try {
            c.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    /** An app on 127.0.0.1 at a free port, bound before the mount reads the builder's endpoint. */
    private SocketDockJavalin startApp(SocketDock.Builder relay) {
        SocketDockJavalin[] mounted = new SocketDockJavalin[1];
        app = Javalin.create(config -> {
            config.routes.get("/hello", ctx -> ctx.result("hello from the app"));
            config.routes.get("/relay/hidden", ctx -> ctx.result("a Javalin route under the prefix"));
            config.jetty.modifyServer(server -> {
                ServerConnector http = bound(server, null);
                server.addConnector(http);
                if (relay.toString().contains("endpoint=derived")) {
                    relay.endpoint(URI.create("http://127.0.0.1:" + http.getLocalPort() + "/relay"));
                }
            });
            mounted[0] = SocketDockJavalin.mount(config, relay, "/relay");
        });
        closer.add(app::stop);
        app.start();
        return mounted[0];
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Test
    void theRelayGoesInFrontOfJavalinsRoutesAndAppStopDrainsIt() throws Exception {
        SocketDockJavalin relay = startApp(relay());
        SocketDock dock = relay.dock();
        assertThat(dock.port()).isEqualTo(app.port());
        TestWebSocket s = connect(dock);
        mediator.takeEnvelope(Kind.CONNECT, WAIT);
        assertThat(Http.call("GET", base().resolve("/hello")).body()).isEqualTo("hello from the app");
        assertThat(Http.call("GET", base().resolve("/relay/hidden")).statusCode())
                .as("the relay answers under its prefix").isEqualTo(404);
        assertThat(Http.call("GET", base().resolve("/relay/healthz")).statusCode()).isEqualTo(200);

        app.stop();

        assertThat(s.awaitClose(WAIT).code()).isEqualTo(1001);
        assertThat(mediator.takeEnvelope(Kind.DISCONNECT, WAIT).code()).isEqualTo(1001);
        assertThat(dock.drained()).isTrue();
    }

    @Test
    void closingSocketDockFirstHandsItsPrefixBackToJavalin() throws Exception {
        SocketDock dock = startApp(relay()).dock();
        TestWebSocket s = connect(dock);
        mediator.takeEnvelope(Kind.CONNECT, WAIT);

        dock.close();

        assertThat(s.awaitClose(WAIT).code()).isEqualTo(1001);
        assertThat(mediator.takeEnvelope(Kind.DISCONNECT, WAIT).code()).isEqualTo(1001);
        assertThat(Http.call("GET", base().resolve("/relay/hidden")).body()).isEqualTo("a Javalin route under the prefix");
        assertThat(Http.call("GET", base().resolve("/hello")).statusCode()).isEqualTo(200);
    }

    @Test
    void aConnectorAddedThroughJavalinCanServeTheCallbacksAlone() throws Exception {
        ServerConnector[] internal = new ServerConnector[1];
        SocketDock.Builder relay = SocketDock.builder()
                .backend(Backends.http(HttpBackendOptions.builder(mediator.uri("/message"))
                        .connectUri(mediator.uri("/connect")).build()));
        SocketDockJavalin[] mounted = new SocketDockJavalin[1];
        app = Javalin.create(config -> {
            config.jetty.modifyServer(server -> {
                ServerConnector c = bound(server, "internal");
                internal[0] = c;
                relay.endpoint(URI.create("http://127.0.0.1:" + c.getLocalPort() + "/relay"));
            });
            mounted[0] = SocketDockJavalin.mount(config, relay, "/relay", "internal");
            config.jetty.addConnector((server, http) -> internal[0]);
            config.jetty.addConnector((server, http) -> bound(server, null));
        });
        closer.add(app::stop);
        app.start();
        SocketDock dock = mounted[0].dock();
        assertThat(dock.controlPort()).isEqualTo(internal[0].getLocalPort());
        TestWebSocket s = connect(dock);
        String id = mediator.takeEnvelope(Kind.CONNECT, WAIT).connectionId();
        URI publicSend = URI.create("http://127.0.0.1:" + dock.port() + "/relay/socket/" + id + "/send");
        assertThat(Http.postText(publicSend, "public").statusCode()).as("not on the public connector").isEqualTo(404);
        assertThat(Http.postText(URI.create(dock.endpoint() + "/socket/" + id + "/send"), "internal").statusCode())
                .isEqualTo(200);
        assertThat(s.takeText(WAIT)).isEqualTo("internal");
    }

    @Test
    void aMountThatCannotWorkFailsTheAppsStart() {
        assertThatThrownBy(() -> startApp(relay().controlApi(ControlApi.defaults().withTokens(List.of()))))
                .hasStackTraceContaining("withTokens");
    }

    @Test
    void theSocketDockExistsOnceTheAppStarted() {
        SocketDockJavalin[] mounted = new SocketDockJavalin[1];
        Javalin.create(config -> mounted[0] = SocketDockJavalin.mount(config, relay(), "/relay"));
        assertThatThrownBy(mounted[0]::dock).isInstanceOf(IllegalStateException.class).hasMessageContaining("after start()");
    }
}
