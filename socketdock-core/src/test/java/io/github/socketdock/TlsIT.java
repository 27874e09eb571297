package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.fixtures.TestKeystores;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS on the listeners (wss://, https://) and to the backend (private CA, mutual TLS), with keystores made by keytool. */
class TlsIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static Path relayKeys;
    private static Path backendKeys;
    private static Path trustRelay;
    private static Path trustBackend;
    private static Path trustRelayAsClient;

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;

    @BeforeAll
    static void keystores() throws Exception {
        TestKeystores k = new TestKeystores(TestKeystores.tempDir());
        relayKeys = k.keystore("relay");
        backendKeys = k.keystore("backend");
        trustRelay = k.truststore("trust-relay", relayKeys);
        trustBackend = k.truststore("trust-backend", backendKeys);
        trustRelayAsClient = k.truststore("trust-relay-client", relayKeys);
    }

    private static HttpClient httpsTrusting(Path truststore) throws Exception {
        return HttpClient.newBuilder().sslContext(TestKeystores.sslContext(truststore))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Test
    void bothListenersServeTlsAndTheEndpointIsHttps() throws Exception {
        dock = closer.add(SocketDock.builder().port(0).controlApi(ControlApi.defaults().withListener("127.0.0.1", 0))
                .tls(Keystore.pkcs12(relayKeys, TestKeystores.PASSWORD)).backend(Backends.loopback()).build().start());
        client = closer.add(TestClient.trusting(trustRelay));
        assertThat(dock.uri()).isEqualTo(URI.create("wss://127.0.0.1:" + dock.port() + "/ws"));
        TestClient.Socket s = client.connect(dock.uri());
        s.sendText("over wss");
        assertThat(s.nextText()).isEqualTo("over wss");
        assertThat(dock.endpoint()).isEqualTo(URI.create("https://127.0.0.1:" + dock.controlPort()));

        HttpResponse<String> status = httpsTrusting(trustRelay).send(
                HttpRequest.newBuilder(URI.create(dock.endpoint() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(dock.endpoint() + "/status")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()))
                .as("a client that does not trust the certificate is refused").isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aWrongKeystorePasswordFailsStartWithoutShowingIt() {
        SocketDock d = SocketDock.builder().port(0).tls(Keystore.pkcs12(relayKeys, "not-the-password"))
                .backend(Backends.loopback()).build();
        assertThatThrownBy(d::start).isInstanceOf(SocketDockException.class)
                .hasMessageContaining("cannot read the TLS keystore " + relayKeys)
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void anHttpsBackendBehindAPrivateCaIsReachedWithTheBackendTruststore() throws Exception {
        backend = closer.add(RecordingBackendServer.startTls(backendKeys, null));
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .trustStore(Keystore.pkcs12(trustBackend, TestKeystores.PASSWORD)).build())).build().start());
        client = closer.add(new TestClient());
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        s.sendText("over https");
        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("over https");
    }

    @Test
    void withoutTheTruststoreThePrivateCaIsNotTrustedAndTheSocketCloses1011() throws Exception {
        backend = closer.add(RecordingBackendServer.startTls(backendKeys, null));
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .retry(Retry.defaults().withRetries(1).withBackoff(Duration.ofMillis(10))).build())).build().start());
        client = closer.add(new TestClient());
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        s.sendText("untrusted");
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void mutualTlsPresentsTheBackendKeystoreAndIsRefusedWithoutIt() throws Exception {
        backend = closer.add(RecordingBackendServer.startTls(backendKeys, trustRelayAsClient));
        HttpBackendOptions.Builder options = HttpBackendOptions.builder(backend.uri("/message"))
                .trustStore(Keystore.pkcs12(trustBackend, TestKeystores.PASSWORD)).retry(Retry.defaults().withRetries(0));
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.http(options.build())).build().start());
        client = closer.add(new TestClient());
        TestClient.Socket anonymous = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        anonymous.sendText("no client certificate");
        assertThat(anonymous.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1011);
        dock.close();

        dock = closer.add(SocketDock.builder().port(0)
                .backend(Backends.http(options.keyStore(Keystore.pkcs12(relayKeys, TestKeystores.PASSWORD))
                .build())).build().start());
        TestClient.Socket identified = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        identified.sendText("with a client certificate");
        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("with a client certificate");
    }
}
