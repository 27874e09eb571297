package io.github.socketdock.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.Backends;
import io.github.socketdock.ControlApi;
import io.github.socketdock.KeepAlive;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SocketDock mounted on a host's Jetty server, with a real WebSocket client and a real HTTP backend. */
class SocketDockMountIT {

    private static final String TOKEN = "a-control-token-of-32-characters";

    private RecordingBackendServer backend;
    private TestClient client;
    private Server host;
    private ServerConnector connector;

    @BeforeEach
    void start() throws Exception {
        backend = RecordingBackendServer.start();
        client = new TestClient();
        host = new Server();
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

    @AfterEach
    void stop() throws Exception {
        client.close();
        host.stop();
        backend.close();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private SocketDock.Builder relay() {
        return SocketDock.builder()
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                        .connectUri(backend.uri("/connect"))
                        .disconnectUri(backend.uri("/disconnect")).build()))
                .endpoint(URI.create(base() + "/relay"))
                .controlApi(ControlApi.defaults().withTokens(List.of(TOKEN)));
    }

    private static Map<String, String> bearer() {
        return Map.of("Authorization", "Bearer " + TOKEN);
    }

    /** Answers every message through its send URL, with the token. */
    private void echoThroughSendUrl() {
        backend.onRequest(r -> {
            if (r.path().equals("/message")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                Http.post(URI.create(send), "text/plain; charset=utf-8",
                        ("re: " + r.json().get("message").getAsString()).getBytes(StandardCharsets.UTF_8), bearer());
            }
        });
    }

    @Test
    void relaysUnderThePrefixBesideTheHostsOwnRoutes() throws Exception {
        echoThroughSendUrl();
        SocketDock dock = SocketDockMount.mount(relay(), host, "/relay");
        host.start();

        assertThat(dock.port()).isEqualTo(connector.getLocalPort());
        assertThat(dock.uri()).isEqualTo(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/relay/ws"));
        TestClient.Socket s = client.connect(dock.uri());
        String id = backend.await("/connect", 1).get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();
        assertThat(backend.requests("/connect").get(0).json().getAsJsonObject("meta").get("send").getAsString())
                .isEqualTo(base() + "/relay/socket/" + id + "/send");
        s.sendText("ping");
        assertThat(s.nextText()).isEqualTo("re: ping");

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
        TestClient.Socket s = client.connect(dock.uri());
        String id = backend.await("/connect", 1).get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();

        host.stop(); // no stop timeout: SocketDock's drain does not rely on Jetty's graceful phase

        assertThat(s.closed().get().code()).isEqualTo(1001);
        assertThat(backend.await("/disconnect", 1).get(0).json().get("connection_id").getAsString()).isEqualTo(id);
        assertThat(dock.drained()).isTrue();
    }

    @Test
    void closingSocketDockFirstDrainsAndLeavesTheHostRunning() throws Exception {
        SocketDock dock = SocketDockMount.mount(relay(), host, "/relay");
        host.start();
        TestClient.Socket s = client.connect(dock.uri());
        String id = backend.await("/connect", 1).get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();

        dock.close();

        assertThat(s.closed().get().code()).isEqualTo(1001);
        assertThat(backend.await("/disconnect", 1)).hasSize(1);
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
        TestClient.Socket s = client.connect(dock.uri());

        host.stop();

        assertThat(s.closed().get().code()).isEqualTo(1001);
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
        TestClient.Socket s = client.connect(dock.uri());
        s.sendText("which thread?");
        assertThat(s.nextText()).isEqualTo("ok");

        String hostPool = ((org.eclipse.jetty.util.thread.QueuedThreadPool) host.getThreadPool()).getName();
        assertThat(calledOn.get()).startsWith(hostPool + "-");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.matches("socketdock-\\d+"));
    }

    @Test
    void tlsIsTheHostConnectors() throws Exception {
        io.github.socketdock.fixtures.TestKeystores keys =
                new io.github.socketdock.fixtures.TestKeystores(io.github.socketdock.fixtures.TestKeystores.tempDir());
        java.nio.file.Path keystore = keys.keystore("host");
        org.eclipse.jetty.util.ssl.SslContextFactory.Server tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        tls.setKeyStorePath(keystore.toString());
        tls.setKeyStorePassword(io.github.socketdock.fixtures.TestKeystores.PASSWORD);
        Server secure = new Server();
        ServerConnector https = new ServerConnector(secure, tls);
        https.setHost("127.0.0.1");
        https.setPort(0);
        secure.addConnector(https);
        https.open();
        SocketDock dock = SocketDockMount.mount(relay()
                .endpoint(URI.create("https://127.0.0.1:" + https.getLocalPort() + "/relay")), secure, "/relay");
        secure.start();
        try (TestClient trusting = TestClient.trusting(keys.truststore("trust-host", keystore))) {
            assertThat(dock.uri()).isEqualTo(URI.create("wss://127.0.0.1:" + https.getLocalPort() + "/relay/ws"));
            TestClient.Socket s = trusting.connect(dock.uri());
            s.sendText("over TLS");
            assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("over TLS");
        } finally {
            secure.stop();
        }
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
        backend.answerBy(r -> r.path().equals("/connect")
                && r.json().getAsJsonObject("meta").getAsJsonObject("headers").has("x-refuse-me") ? 403 : 200);
        SocketDock dock = SocketDockMount.mount(relay().connectMode(io.github.socketdock.ConnectMode.AUTHORIZE),
                host, "/relay");
        host.start();

        TestClient.Socket accepted = client.connect(dock.uri());
        accepted.sendText("let in");
        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("let in");
        try (io.github.socketdock.fixtures.RawSocket raw = new io.github.socketdock.fixtures.RawSocket(dock.port())) {
            assertThat(raw.upgradeAt("/relay/ws", "X-Refuse-Me: yes")).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void keepAliveRulesRunWhileMountedAnIdleSocketIsClosed() throws Exception {
        SocketDock dock = SocketDockMount.mount(relay()
                .keepAlive(KeepAlive.defaults().withIdleTimeout(java.time.Duration.ofMillis(300))), host, "/relay");
        host.start();
        TestClient.Socket s = client.connect(dock.uri());

        TestClient.Closed closed = s.closed().get(); // the housekeeping, started with the host, closes it
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(closed.reason()).isEqualTo("idle timeout");
        assertThat(backend.await("/disconnect", 1)).hasSize(1);
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
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                        .connectUri(backend.uri("/connect")).build()))
                .endpoint(URI.create(internalBase + "/relay")), host, "/relay", "internal");
        host.start();

        assertThat(dock.controlPort()).isEqualTo(internal.getLocalPort());
        TestClient.Socket s = client.connect(dock.uri());
        String id = backend.await("/connect", 1).get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();
        assertThat(Http.postText(URI.create(base() + "/relay/socket/" + id + "/send"), "public").statusCode())
                .as("not on the public connector").isEqualTo(404);
        assertThat(Http.postText(URI.create(internalBase + "/relay/socket/" + id + "/send"), "internal").statusCode())
                .isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("internal");
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
