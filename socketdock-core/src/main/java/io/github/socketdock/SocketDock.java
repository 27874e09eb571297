package io.github.socketdock;

import io.github.socketdock.internal.DockServer;
import io.github.socketdock.internal.Settings;
import io.github.socketdock.internal.Version;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A WebSocket relay: it accepts client WebSockets at {@code /ws} and turns every socket event into
 * a call on a {@link Backend}.
 *
 * <p>Create one with {@link #builder()}, {@link #start()} it, and {@link #close()} it when done:
 *
 * <pre>{@code
 * try (SocketDock dock = SocketDock.builder()
 *         .port(0)                                  // any free port
 *         .backend(Backends.loopback())
 *         .build()
 *         .start()) {
 *     System.out.println("ws://127.0.0.1:" + dock.port() + "/ws");
 * }
 * }</pre>
 *
 * <p>Besides {@code /ws}, SocketDock serves the callback routes a backend outside the process uses
 * to reach a connection: {@code POST /socket/{id}/send} and {@code POST /socket/{id}/disconnect}.
 * An in-process backend does the same through {@link Connection}, and finds a live connection
 * later with {@link #connection(String)}.
 *
 * <p>A SocketDock is started once and closed once. {@link #close()} closes every socket with
 * {@link CloseStatus#GOING_AWAY 1001}, waits (up to the shutdown timeout) until the backend has
 * taken every disconnect, then stops the server and the backend. It installs no shutdown hook:
 * an application that wants one calls {@code close()} from its own.
 */
public final class SocketDock implements AutoCloseable {

    /** Default host to bind: {@value}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port: {@value}, as the original SocketDock. */
    public static final int DEFAULT_PORT = 8765;
    /** Default largest message accepted in either direction: {@value} bytes (4 MiB), as the original. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 4_194_304L;
    /** Default bound on bytes waiting in one connection's outbound queue: {@value} (16 MiB). */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    /** Default time {@link #close()} waits for connections to close and disconnects to be taken. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final Settings settings;
    private final Object lock = new Object();
    private DockServer server;
    private boolean closed;

    private SocketDock(Settings settings) {
        this.settings = settings;
    }

    /** @return the version of this library, e.g. {@code 0.1.0} */
    public static String version() {
        return Version.get();
    }

    /** @return a builder with every setting at its default */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving. Starts the backend first.
     *
     * @return this SocketDock, started
     * @throws SocketDockException if the port cannot be bound (the message names the address and
     *                             what to change) or the backend cannot start
     * @throws IllegalStateException if already started or closed
     */
    public SocketDock start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this SocketDock is closed; build a new one");
            }
            if (server != null) {
                throw new IllegalStateException("this SocketDock is already started");
            }
            server = DockServer.start(settings);
            return this;
        }
    }

    /**
     * @return the port it listens on; the actual port when built with {@code port(0)}
     * @throws IllegalStateException if not started
     */
    public int port() {
        return started().port();
    }

    /**
     * The base URL of the callback routes given to backends, e.g. {@code http://10.0.0.5:8765}.
     * The one set with {@link Builder#endpoint(URI)}, or else derived from the bound address.
     *
     * @return the endpoint
     * @throws IllegalStateException if not started
     */
    public URI endpoint() {
        return started().endpoint();
    }

    /**
     * Finds a live connection by id.
     *
     * @param id a connection id
     * @return the connection, or empty if no open connection has that id
     * @throws IllegalStateException if not started
     */
    public Optional<Connection> connection(String id) {
        return started().connection(id);
    }

    /**
     * @return the number of open connections
     * @throws IllegalStateException if not started
     */
    public int connectionCount() {
        return started().connectionCount();
    }

    /**
     * Closes every connection with 1001, waits up to the shutdown timeout for the backend to take
     * each disconnect, then stops the server and the backend. Idempotent.
     */
    @Override
    public void close() {
        DockServer toStop;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = server;
        }
        if (toStop != null) {
            toStop.stop();
        }
    }

    private DockServer started() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("this SocketDock is not started; call start() first");
            }
            return server;
        }
    }

    /**
     * Builds a {@link SocketDock}. Every setting has a default except the backend; every setter
     * validates its value at once and throws {@link IllegalArgumentException} with a message that
     * names the setting.
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private URI endpoint;
        private Backend backend;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private Builder() {
        }

        /**
         * The address to bind: a host name or IP literal; {@code 0.0.0.0} or {@code ::} for every
         * interface. Default {@value SocketDock#DEFAULT_HOST}.
         *
         * @param host not blank
         * @return this builder
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("bind address must not be empty");
            }
            this.host = host.strip();
            return this;
        }

        /**
         * The port to bind; 0 picks a free one (read it back with {@link SocketDock#port()}).
         * Default {@value SocketDock#DEFAULT_PORT}.
         *
         * @param port 0–65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The base URL that callback URLs are built on ({@code <endpoint>/socket/<id>/send}): how a
         * backend elsewhere reaches this instance. Default {@code http://<host>:<port>} with a
         * wildcard host replaced by 127.0.0.1, which only a backend on the same machine can reach.
         *
         * @param endpoint an absolute http(s) URL without query or fragment, or null for the default
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            if (endpoint != null) {
                String scheme = endpoint.getScheme();
                if (!endpoint.isAbsolute() || endpoint.getHost() == null
                        || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                        || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
                    throw new IllegalArgumentException(
                            "endpoint must be an absolute http:// or https:// URL without query, got '" + endpoint + "'");
                }
                String s = endpoint.toString();
                endpoint = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            }
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Where socket events go. Required.
         *
         * @param backend a backend; see {@link Backends} for the built-in ones
         * @return this builder
         */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The largest message accepted, from clients (a larger one closes the socket with 1009)
         * and on the send route (a larger body is refused with 413). Default 4 MiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("max message size must be between 1 and "
                        + (Integer.MAX_VALUE - 8) + " bytes, got " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Bound on bytes waiting in one connection's outbound queue. A send beyond it fails with
         * {@link QueueFullException} (the send route answers 503). Default 16 MiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max queued bytes must be at least 1, got " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * How long {@link SocketDock#close()} waits for connections to close and the backend to
         * take their disconnects before it stops anyway. Default 10 seconds.
         *
         * @param timeout zero or positive
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "shutdown timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdown timeout must not be negative, got " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /** @return every setting, for logs and tests */
        @Override
        public String toString() {
            return "SocketDock.Builder[host=" + host + ", port=" + port + ", endpoint=" + endpoint + ", backend="
                    + backend + ", maxMessageSize=" + maxMessageSize + ", maxQueuedBytes=" + maxQueuedBytes
                    + ", shutdownTimeout=" + shutdownTimeout + "]";
        }

        /**
         * @return a SocketDock with these settings, not yet started
         * @throws IllegalStateException if no backend was set
         */
        public SocketDock build() {
            if (backend == null) {
                throw new IllegalStateException("no backend set: call backend(...), e.g. backend(Backends.loopback())");
            }
            return new SocketDock(new Settings(host, port, endpoint, backend, maxMessageSize, maxQueuedBytes,
                    shutdownTimeout));
        }
    }
}
