package io.github.socketdock.harness;

import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A SocketDock with the http backend in front of a {@link RecordingBackendServer} (connect, message
 * and disconnect at {@code /connect}, {@code /message}, {@code /disconnect}; retries 10 ms apart),
 * and a {@link TestClient}; {@link #close()} stops all three, held answers released first.
 *
 * <pre>{@code
 * try (HttpRelay relay = HttpRelay.start(SocketDock.builder(), o -> o.retry(Retry.defaults().withRetries(2).withBackoff(Duration.ofMillis(10))))) {
 *     TestClient.Socket s = relay.client().connect(relay.ws());
 *     relay.backend().await("/connect", 1);
 * }
 * }</pre>
 */
public final class HttpRelay implements AutoCloseable {

    private final RecordingBackendServer backend;
    private final SocketDock dock;
    private final TestClient client;

    private HttpRelay(RecordingBackendServer backend, SocketDock dock, TestClient client) {
        this.backend = backend;
        this.dock = dock;
        this.client = client;
    }

    /**
     * @param builder the relay's settings; port and backend are set here
     * @param tune    changes to the http backend's options
     * @return the relay, started, with its backend and a client
     */
    public static HttpRelay start(SocketDock.Builder builder, UnaryOperator<HttpBackendOptions.Builder> tune)
            throws Exception {
        RecordingBackendServer backend = RecordingBackendServer.start();
        try {
            HttpBackendOptions.Builder options = HttpBackendOptions.builder(backend.uri("/message"))
                    .connectUri(backend.uri("/connect"))
                    .disconnectUri(backend.uri("/disconnect"))
                    .retry(Retry.defaults().withBackoff(Duration.ofMillis(10)));
            SocketDock dock = builder.port(0).backend(Backends.http(tune.apply(options).build())).build().start();
            return new HttpRelay(backend, dock, new TestClient());
        } catch (Exception | Error e) {
            backend.close();
            throw e;
        }
    }

    /** @return the recording backend */
    public RecordingBackendServer backend() {
        return backend;
    }

    /** @return the relay */
    public SocketDock dock() {
        return dock;
    }

    /** @return the WebSocket client */
    public TestClient client() {
        return client;
    }

    /** @return {@code ws://127.0.0.1:<port>/ws} */
    public URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public URI base() {
        return URI.create("http://127.0.0.1:" + dock.port());
    }

    @Override
    public void close() throws Exception {
        backend.releaseHeld();
        try (RecordingBackendServer b = backend; SocketDock d = dock; TestClient c = client) {
            // closed in reverse: the client, the relay (its disconnects reach the backend), the backend
        }
    }
}
