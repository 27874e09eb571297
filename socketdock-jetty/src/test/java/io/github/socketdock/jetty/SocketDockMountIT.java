package io.github.socketdock.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.Backends;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.ControlApi;
import io.github.socketdock.KeepAlive;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.TestKeystores;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Envelope;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SocketDock mounted on a host's Jetty server, with the test kit mediator authors use: a real
 * WebSocket client ({@link TestWebSocket}) and a real HTTP mediator ({@link MockMediator}).
 */
class SocketDockMountIT {

    private static final String TOKEN = "a-control-token-of-32-characters";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    private MockMediator mediator;
    private Server host;
    private ServerConnector connector;

    @BeforeEach
    void start() throws Exception {
        mediator = closer.add(MockMediator.start());
        host = new Server();
        closer.add(host::stop); // after the test's sockets, before the mediator that takes the disconnects
        connector = new ServerConnector(host);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        connector.open(); // bound now: the endpoint names the port before the host starts
        host.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"/hello".equals(Request.getPathInContext(request))) {
                    return false;
                }
                Response.writeError(request, response, callback, 200, "hello from the host");
                return true;
            }
        });
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private SocketDock.Builder relay() {
        return SocketDock.builder()
                .backend(Backends.http(mediator.options().build()))
                .endpoint(URI.create(base() + "/relay"))
                .controlApi(ControlApi.defaults().withTokens(List.of(TOKEN)));
    }

    private static Map<String, String> bearer() {
        return Map.of("Authorization", "Bearer " + TOKEN);
    }

    private TestWebSocket connect(URI uri) throws IOException {
        return closer.add(TestWebSocket.connect(uri));
    }

    /** @return the next envelope of {@code kind}, which the http backend posted to its own path ({@code /connect}, …) */
    private Envelope take(Kind kind) throws InterruptedException {
        Envelope e = mediator.takeEnvelope(kind, WAIT);
        assertThat(e.path()).isEqualTo("/" + kind.name().toLowerCase(Locale.ROOT));
        return e;
    }

    @Test
    void relaysUnderThePrefixBesideTheHostsOwnRoutes() throws Exception {
        mediator.controlToken(TOKEN);
        SocketDock dock = SocketDockMount.mount(relay(), host, "/relay");
        host.start();

        assertThat(dock.port()).isEqualTo(connector.getLocalPort());
        assertThat(dock.uri()).isEqualTo(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/relay/ws"));
        TestWebSocket s = connect(dock.uri());
        Envelope connect = take(Kind.CONNECT);
        String id = connect.connectionId();
        assertThat(connect.sendUri().map(URI::toString)).hasValue(base() + "/relay/socket/" + id + "/send");
        s.send("ping");
        Envelope ping = take(Kind.MESSAGE);
        assertThat(mediator.reply(ping, "re: " + ping.message())).as("through its send URL, with the token").isEqualTo(200);
        assertThat(s.takeText(WAIT)).isEqualTo("re: ping");

        assertThat(Http.call("GET", URI.create(base() + "/hello")).body()).contains("hello from the host");
        assertThat(Http.call("GET", URI.create(base() + "/relay/healthz")).statusCode()).isEqualTo(200);
        assertThat(Http.call("GET", URI.create(base() + "/relay/readyz")).statusCode()).isEqualTo(200);
        assertThat(Http.postText(URI.create(base() + "/relay/socket/" + id + "/send"), "no token").statusCode())
                .isEqualTo(401);
        assertThat(Http.call("GET", URI.create(base() + "/ws")).statusCode()).as("outside the prefix").isEqualTo(404);
        assertThat(dock.connectionCount()).isEqualTo(1);
    }

    @Test
    void hostStopClosesEverySocketWith1001AndPostsTheDisconnect() throws Exception {
        SocketDock dock = SocketDockMount.mount(relay(), host, "/relay");
        host.start();
        TestWebSocket s = connect(dock.uri());
        String id = take(Kind.CONNECT).connectionId();

        host.stop(); // no stop timeout: SocketDock's drain does not rely on Jetty's graceful phase

        assertThat(s.awaitClose(WAIT).code()).isEqualTo(1001);
        assertThat(take(Kind.DISCONNECT).connectionId()).isEqualTo(id);
        assertThat(dock.drained()).isTrue();
    }

    @Test
    void closingSocketDockFirstDrainsAndLeavesTheHostRunning() throws Exception {
        SocketDock dock = SocketDockMount.mount(relay(), host, "/relay");
        host.start();
        TestWebSocket s = connect(dock.uri());
        String id = take(Kind.CONNECT).connectionId();

        dock.close();

        assertThat(s.awaitClose(WAIT).code()).isEqualTo(1001);
        assertThat(take(Kind.DISCONNECT).connectionId()).isEqualTo(id);
        assertThat(mediator.envelopes()).filteredOn(e -> e.kind() == Kind.DISCONNECT).hasSize(1);
        assertThat(dock.drained()).isTrue();
        assertThat(host.isStarted()).isTrue();
        assertThat(Http.call("GET", URI.create(base() + "/hello")).statusCode()).isEqualTo(200);
        assertThat(Http.post(URI.create(base() + "/relay/socket/" + id + "/send"), "text/plain", new byte[1], bearer())
                .statusCode()).as("detached: the host answers").isEqualTo(404);
    }

    @Test
    void aBackendThatFailsToCloseDoesNotKeepTheHostFromStopping() throws Exception {
        SocketDock dock = SocketDockMount.mount(SocketDock.builder()
                .backend(new io.github.socketdock.Backend() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> onMessage(io.github.socketdock.Connection c,
                                                                                io.github.socketdock.Message m) {
                        return c.send(m);
                    }

                    @Override
                    public void close() {
                        throw new IllegalStateException("the backend's close failed");
                    }
                })
                .endpoint(URI.create(base() + "/relay"))
                .controlApi(ControlApi.defaults().withTokens(List.of(TOKEN))), host, "/relay");
        host.start();
        TestWebSocket s = connect(dock.uri());

        host.stop();

        assertThat(s.awaitClose(WAIT).code()).isEqualTo(1001);
        assertThat(host.isStopped()).as("stopped, not failed, with its connectors closed").isTrue();
        assertThat(connector.isOpen()).isFalse();
        assertThat(dock.drained()).as("the backend's close failed").isFalse();
    }

    @Test
    void aHostStartedAgainAfterItsStopServesNothingUnderThePrefix() throws Exception {
        SocketDockMount.mount(relay(), host, "/relay");
        host.start();
        assertThat(Http.call("GET", URI.create(base() + "/relay/healthz")).statusCode()).isEqualTo(200);
        host.stop();
        connector.setPort(0);
        host.start();

        assertThat(Http.call("GET", URI.create(base() + "/relay/healthz")).statusCode())
                .as("a stopped mount is detached: mount a new one on a new Server").isEqualTo(404);
        assertThat(Http.call("GET", URI.create(base() + "/hello")).statusCode()).isEqualTo(200);
    }

    @Test
    void thePrefixItselfIsTheRelaysNotARedirect() throws Exception {
        SocketDockMount.mount(relay(), host, "/relay");
        host.start();

        assertThat(Http.call("GET", URI.create(base() + "/relay")).statusCode()).isEqualTo(404);
    }

    @Test
    void theRelayRunsOnTheHostsThreadPoolWithNoServerPoolOfItsOwn() throws Exception {
        java.util.concurrent.CompletableFuture<String> calledOn = new java.util.concurrent.CompletableFuture<>();
        SocketDock dock = SocketDockMount.mount(SocketDock.builder()
                .backend(new io.github.socketdock.Backend() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> onMessage(io.github.socketdock.Connection c,
                                                                                io.github.socketdock.Message m) {
                        calledOn.complete(Thread.currentThread().getName());
                        return c.send("ok");
                    }
                })
                .endpoint(URI.create(base() + "/relay"))
                .controlApi(ControlApi.defaults().withTokens(List.of(TOKEN))), host, "/relay");
        host.start();
        TestWebSocket s = connect(dock.uri());
        s.send("which thread?");
        assertThat(s.takeText(WAIT)).isEqualTo("ok");

        String hostPool = ((org.eclipse.jetty.util.thread.QueuedThreadPool) host.getThreadPool()).getName();
        assertThat(calledOn.get()).startsWith(hostPool + "-");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.matches("socketdock-\\d+"));
    }

    @Test
    void tlsIsTheHostConnectors() throws Exception {
        TestKeystores keys = new TestKeystores(TestKeystores.tempDir());
        java.nio.file.Path keystore = keys.keystore("host");
        org.eclipse.jetty.util.ssl.SslContextFactory.Server tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        tls.setKeyStorePath(keystore.toString());
        tls.setKeyStorePassword(TestKeystores.PASSWORD);
        Server secure = new Server();
        closer.add(secure::stop);
        ServerConnector https = new ServerConnector(secure, tls);
        https.setHost("127.0.0.1");
        https.setPort(0);
        secure.addConnector(https);
        https.open();
        SocketDock dock = SocketDockMount.mount(relay()
                .endpoint(URI.create("https://127.0.0.1:" + https.getLocalPort() + "/relay")), secure, "/relay");
        secure.start();
        HttpClient trusting = HttpClient.newBuilder()
                .sslContext(TestKeystores.sslContext(keys.truststore("trust-host", keystore))).build();

        assertThat(dock.uri()).isEqualTo(URI.create("wss://127.0.0.1:" + https.getLocalPort() + "/relay/ws"));
        TestWebSocket s = closer.add(TestWebSocket.connect(trusting, dock.uri(), Map.of()));
        s.send("over TLS");
        assertThat(take(Kind.MESSAGE).message()).isEqualTo("over TLS");
    }

    @Test
    void metricsAndStatusAreServedUnderThePrefixBehindTheToken() throws Exception {
        SocketDockMount.mount(relay().metricsPage("text/plain; charset=utf-8", () -> "relay_up 1\n"), host, "/relay");
        host.start();
        assertThat(Http.call("GET", URI.create(base() + "/relay/metrics")).statusCode()).isEqualTo(401);
        assertThat(Http.call("GET", URI.create(base() + "/relay/metrics"), bearer()).body()).isEqualTo("relay_up 1\n");
        assertThat(Http.call("GET", URI.create(base() + "/relay/status"), bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void inAuthorizeModeTheBackendDecidesEachUpgradeUnderThePrefix() throws Exception {
        mediator.answerWith(e -> e.path().equals("/connect") && e.upgradeHeaders().containsKey("x-refuse-me") ? 403 : 200);
        SocketDock dock = SocketDockMount.mount(relay().connectMode(io.github.socketdock.ConnectMode.AUTHORIZE),
                host, "/relay");
        host.start();

        TestWebSocket accepted = connect(dock.uri());
        accepted.send("let in");
        assertThat(take(Kind.MESSAGE).message()).isEqualTo("let in");
        try (io.github.socketdock.fixtures.RawSocket raw = new io.github.socketdock.fixtures.RawSocket(dock.port())) {
            assertThat(raw.upgradeAt("/relay/ws", "X-Refuse-Me: yes")).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void keepAliveRulesRunWhileMountedAnIdleSocketIsClosed() throws Exception {
        SocketDock dock = SocketDockMount.mount(relay()
                .keepAlive(KeepAlive.defaults().withIdleTimeout(java.time.Duration.ofMillis(300))), host, "/relay");
        host.start();
        TestWebSocket s = connect(dock.uri());

        CloseStatus closed = s.awaitClose(WAIT); // the housekeeping, started with the host, closes it
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(closed.reason()).isEqualTo("idle timeout");
        take(Kind.DISCONNECT);
        assertThat(mediator.envelopes()).filteredOn(e -> e.kind() == Kind.DISCONNECT).hasSize(1);
    }

    @Test
    void aNamedControlConnectorAloneServesTheCallbacks() throws Exception {
        ServerConnector internal = new ServerConnector(host);
        internal.setName("internal");
        internal.setHost("127.0.0.1");
        internal.setPort(0);
        host.addConnector(internal);
        internal.open();
        URI internalBase = URI.create("http://127.0.0.1:" + internal.getLocalPort());
        SocketDock dock = SocketDockMount.mount(SocketDock.builder()
                .backend(Backends.http(HttpBackendOptions.builder(mediator.uri("/message"))
                        .connectUri(mediator.uri("/connect")).build()))
                .endpoint(URI.create(internalBase + "/relay")), host, "/relay", "internal");
        host.start();

        assertThat(dock.controlPort()).isEqualTo(internal.getLocalPort());
        TestWebSocket s = connect(dock.uri());
        String id = take(Kind.CONNECT).connectionId();
        assertThat(Http.postText(URI.create(base() + "/relay/socket/" + id + "/send"), "public").statusCode())
                .as("not on the public connector").isEqualTo(404);
        assertThat(Http.postText(URI.create(internalBase + "/relay/socket/" + id + "/send"), "internal").statusCode())
                .isEqualTo(200);
        assertThat(s.takeText(WAIT)).isEqualTo("internal");
    }

    @Test
    void aControlConnectorTheHostLacksFailsTheHostsStart() {
        SocketDockMount.mount(relay(), host, "/relay", "nosuch");
        assertThatThrownBy(host::start).hasMessageContaining("no connector named 'nosuch'");
    }

    @Test
    void aMountThatCannotWorkIsRefusedWithWhatToChange() throws Exception {
        assertThatThrownBy(() -> SocketDockMount.mount(relay().endpoint(null), host, "/relay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs endpoint(...)");
        assertThatThrownBy(() -> SocketDockMount.mount(relay().endpoint(base()), host, "/relay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not end with the mount prefix /relay");
        assertThatThrownBy(() -> SocketDockMount.mount(relay()
                .controlApi(ControlApi.defaults().withTokens(List.of())), host, "/relay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withTokens");
        assertThatThrownBy(() -> SocketDockMount.mount(relay(), host, "relay/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mount prefix");
        assertThatThrownBy(() -> SocketDockMount.mount(relay().port(9999), host, "/relay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host/port");
        host.start();
        assertThatThrownBy(() -> SocketDockMount.mount(relay(), host, "/relay"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the host starts");
    }

    @Test
    void aMountedSocketDockStartsWithItsHostOnly() {
        SocketDock dock = SocketDockMount.mount(relay(), host, "/relay");
        assertThatThrownBy(dock::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("starts with the host");
        assertThat(dock.port()).as("the connector was bound before the host started").isEqualTo(connector.getLocalPort());

        Server unbound = new Server();
        unbound.addConnector(new ServerConnector(unbound));
        SocketDock notYet = SocketDockMount.mount(relay(), unbound, "/relay");
        assertThatThrownBy(notYet::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        notYet.close();
    }
}
