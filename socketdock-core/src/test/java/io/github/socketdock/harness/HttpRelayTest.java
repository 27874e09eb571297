package io.github.socketdock.harness;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * A base for tests of one {@link HttpRelay}: {@code start(...)} it, use {@link #backend},
 * {@link #dock} and {@link #client}; it is closed after each test.
 */
public abstract class HttpRelayTest {

    /** The relay's parts, set by {@code start}. */
    protected HttpRelay relay;
    /** The recording backend. */
    protected RecordingBackendServer backend;
    /** The relay. */
    protected SocketDock dock;
    /** The WebSocket client. */
    protected TestClient client;

    @AfterEach
    void closeRelay() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    /** Starts the relay with the http backend's default test options. */
    protected void start(SocketDock.Builder builder) throws Exception {
        start(builder, UnaryOperator.identity());
    }

    /** Starts the relay with {@code tune} applied to the http backend's options. */
    protected void start(SocketDock.Builder builder, UnaryOperator<HttpBackendOptions.Builder> tune) throws Exception {
        relay = HttpRelay.start(builder, tune);
        backend = relay.backend();
        dock = relay.dock();
        client = relay.client();
    }

    /** @return the relay's WebSocket address */
    protected URI ws() {
        return relay.ws();
    }

    /** @return the relay's HTTP base address */
    protected URI base() {
        return relay.base();
    }
}
