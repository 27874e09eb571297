package io.github.socketdock;

import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.internal.backend.HttpBackend;
import java.util.concurrent.CompletionStage;

/**
 * The built-in backends.
 *
 * <ul>
 *   <li>{@link #loopback()} echoes every message back to its sender in a frame of the same type;
 *       for trying SocketDock out and for tests.</li>
 *   <li>{@link #http(HttpBackendOptions)} relays every socket event to a mediator as a JSON POST,
 *       wire-compatible with the original SocketDock; the mediator answers through
 *       {@link Connection#sendUri()} and {@link Connection#disconnectUri()}.</li>
 * </ul>
 *
 * <pre>{@code
 * Backend backend = Backends.http(HttpBackendOptions.builder(URI.create("http://127.0.0.1:3000/message")).build());
 * }</pre>
 */
public final class Backends {

    private Backends() {
    }

    /**
     * A backend that echoes every message back on its connection, text as text and binary as
     * binary.
     *
     * @return a new loopback backend
     */
    public static Backend loopback() {
        return new Loopback();
    }

    /**
     * Echoes every message back on its connection in a frame of the same type. The next message
     * is read once the echo has been written, so a client that does not read its echoes stops
     * being read.
     */
    private static final class Loopback implements Backend {
        @Override
        public CompletionStage<Void> onMessage(Connection connection, Message message) {
            return connection.send(message);
        }

        @Override
        public String toString() {
            return "loopback";
        }
    }

    /**
     * A backend that POSTs every socket event to a mediator over HTTP, through one pooled HTTP
     * client started and stopped with the {@link SocketDock} that uses it.
     *
     * @param options where to POST, and the limits to keep
     * @return a new http backend; give each SocketDock its own
     */
    public static Backend http(HttpBackendOptions options) {
        return new HttpBackend(options);
    }
}
