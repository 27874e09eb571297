package io.github.socketdock;

import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Require;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.common.Version;
import io.github.socketdock.internal.net.OriginPolicy;
import io.github.socketdock.internal.relay.BuiltInBackend;
import io.github.socketdock.internal.relay.Settings;
import io.github.socketdock.internal.server.DockServer;
import io.github.socketdock.internal.server.RunningDock;
import io.github.socketdock.mount.Mounting;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 *     System.out.println(dock.uri());             // ws://127.0.0.1:<port>/ws
 * }
 * }</pre>
 *
 * <p>Settings that belong together are values of their own, each set with one builder call:
 * {@link Keystore} ({@link Builder#tls(Keystore)}), {@link ControlApi}, {@link KeepAlive} and
 * {@link Limits}. A SocketDock tells its settings through accessors ({@link #host()},
 * {@link #keepAlive()}, {@link #limits()}, …), and {@link #newBuilder()} starts a builder holding
 * them, to build a variant:
 *
 * <pre>{@code
 * SocketDock dock = SocketDock.builder()
 *         .keepAlive(KeepAlive.defaults().withPingInterval(Duration.ofSeconds(30)))
 *         .limits(Limits.defaults().withMaxConnections(10_000))
 *         .controlApi(ControlApi.defaults().withTokens(List.of(controlToken)))
 *         .backend(Backends.http(options))
 *         .build();
 * }</pre>
 *
 * <p>Besides {@code /ws}, SocketDock serves the callback routes a backend outside the process uses
 * to reach a connection: {@code POST /socket/{id}/send} and {@code POST /socket/{id}/disconnect}.
 * An in-process backend does the same through {@link Connection}, and finds a live connection
 * later with {@link #connection(String)}.
 *
 * <p>A SocketDock is started once and closed once. {@link #close()} refuses new upgrades with 503,
 * closes every socket with {@link CloseStatus#GOING_AWAY 1001}, waits (up to the shutdown timeout)
 * until the backend has taken every disconnect and its calls under way have finished, then stops
 * the server and the backend. It installs no shutdown hook:
 * an application that wants one calls {@code close()} from its own.
 *
 * <h2>Threads</h2>
 * SocketDock runs on a pool of its own, threads named {@code socketdock-<n>} (at most 8 per
 * processor or 32, whichever is more): they read the sockets, serve the callback routes and call the
 * {@link Backend}, one call at a time per connection. The {@code http} backend's requests and their
 * answers run on a second pool, {@code socketdock-backend-<n>}, and timers (keep-alive, ordering
 * windows, retries) on one daemon thread, {@code socketdock-timer}. Nothing on them may block: a
 * backend returns a stage and does slow work elsewhere.
 *
 * <h2>Mounted on a host's server</h2>
 * A mediator that already runs Jetty 12.1 or Javalin 7 mounts SocketDock on it instead, under a
 * path prefix ({@code socketdock-jetty}'s {@code SocketDockMount}, {@code socketdock-javalin}'s
 * {@code SocketDockJavalin}): it then serves on the host's connectors and runs on the host's thread
 * pool instead of {@code socketdock-<n>}, starts when the host starts ({@link #start()} is refused),
 * and drains when the host begins to stop or when {@link #close()} is called first.
 *
 * <h2>Logging</h2>
 * Through SLF4J, to whatever logging the application has, on four loggers an application can tune
 * one by one:
 * <ul>
 *   <li>{@code io.github.socketdock.connections}: INFO a line per connection opened, closed
 *       (code, reason, lifetime, messages in and out), upgrade or connection refused, and paused
 *       while the byte budget is full; DEBUG the details of a connection's life;</li>
 *   <li>{@code io.github.socketdock.backend}: DEBUG a line per backend call (event, status or
 *       failure, duration, try); WARN an event the backend refused or could not take;</li>
 *   <li>{@code io.github.socketdock.control}: WARN a callback or {@code /metrics} request refused
 *       for its token (401); DEBUG every other refused {@code /send} or {@code /disconnect}
 *       (status, why);</li>
 *   <li>{@code io.github.socketdock.server}: where it listens, the drain, and what went wrong in
 *       the server itself.</li>
 * </ul>
 * The lines a client can cause at will (opened, closed, refused, paused, a token refused, an
 * event the backend refused) are limited to 10 a second of each kind, with one line counting
 * those left out once a second has passed, so no client makes the relay write without bound.
 * A line about one connection carries the MDC keys {@code connection_id} and {@code remote} (the
 * client's address), so JSON logs can be filtered by connection. Durations read like
 * {@code 140ms}, sizes like {@code 4MiB}.
 */
public final class SocketDock implements AutoCloseable {

    /** Default host to bind: {@value}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port: {@value}, as the original SocketDock. */
    public static final int DEFAULT_PORT = 8765;
    /** Default time {@link #close()} waits for connections to close and disconnects to be taken. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Default connect decision timeout: 60 seconds. */
    public static final Duration DEFAULT_CONNECT_DECISION_TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    /** The relay's time; null for the system's (a manual one in tests, through the builder). */
    private final Ticker ticker;
    private final Object lock = new Object();
    private RunningDock server;
    /** Whether it runs on a host's server (started and stopped with it), not on its own. */
    private boolean mounted;
    private boolean closed;
    /** Completes once the drain of {@link #close()} is over: with whether it was clean. */
    private final java.util.concurrent.CompletableFuture<Boolean> drain = new java.util.concurrent.CompletableFuture<>();

    private SocketDock(Settings settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
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
     * A builder holding this SocketDock's settings, to build a variant:
     * {@code dock.newBuilder().port(0).build()}. It holds the same {@link Backend} instance: a
     * backend serves one SocketDock at a time, so give the variant a backend of its own
     * ({@link Builder#backend(Backend)}) before both run. It holds the same listeners too, so the
     * variant's events reach them as well (a {@link SocketDockStats} then counts both).
     *
     * @return a builder with these settings
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        Settings.Listen listen = settings.listen();
        b.host = listen.host();
        b.port = listen.port();
        b.endpoint = listen.endpoint();
        b.tls = listen.tls();
        b.allowedOrigins = listen.allowedOrigins();
        b.compression = listen.compression();
        b.proxyProtocol = listen.proxyProtocol();
        b.trustForwarded = listen.trustForwarded();
        b.controlApi = settings.control();
        b.keepAlive = settings.keepAlive();
        b.limits = settings.limits();
        b.backend = settings.backend();
        b.connectMode = settings.connect().mode();
        b.connectDecisionTimeout = settings.connect().decisionTimeout();
        b.shutdownTimeout = settings.shutdownTimeout();
        Settings.Observers observers = settings.observers();
        b.listeners = observers.listeners();
        b.metricsContentType = observers.contentType();
        b.metricsPage = observers.page();
        b.ticker = ticker;
        return b;
    }

    /** @return the settings as built, for tests of this package: {@code newBuilder().build()} gives equal ones */
    Settings settings() {
        return settings;
    }

    /** @return the address it binds, as set with {@link Builder#host(String)} */
    public String host() {
        return settings.listen().host();
    }

    /** @return the keystore it serves TLS with; empty for plain {@code ws://} and {@code http://} */
    public Optional<Keystore> tls() {
        return Optional.ofNullable(settings.listen().tls());
    }

    /** @return whether it reads the client's address from a PROXY protocol header */
    public boolean proxyProtocol() {
        return settings.listen().proxyProtocol();
    }

    /** @return whether it takes the client's address from the balancer's forwarded headers */
    public boolean trustForwarded() {
        return settings.listen().trustForwarded();
    }

    /** @return the browser origins allowed to connect; empty for all */
    public List<String> allowedOrigins() {
        return settings.listen().allowedOrigins();
    }

    /** @return whether it offers permessage-deflate */
    public boolean compression() {
        return settings.listen().compression();
    }

    /** @return where the control routes are served and whether they require a token */
    public ControlApi controlApi() {
        return settings.control();
    }

    /** @return its pings and idle timeout */
    public KeepAlive keepAlive() {
        return settings.keepAlive();
    }

    /** @return its bounds on connections, messages, buffered bytes and slow clients */
    public Limits limits() {
        return settings.limits();
    }

    /** @return where socket events go */
    public Backend backend() {
        return settings.backend();
    }

    /** @return whether the backend decides on each upgrade */
    public ConnectMode connectMode() {
        return settings.connect().mode();
    }

    /** @return how long an upgrade may wait for its socket to open */
    public Duration connectDecisionTimeout() {
        return settings.connect().decisionTimeout();
    }

    /** @return how long {@link #close()} waits for the drain */
    public Duration shutdownTimeout() {
        return settings.shutdownTimeout();
    }

    /**
     * Binds the port and starts serving. Starts the backend first.
     *
     * @return this SocketDock, started
     * @throws SocketDockException if the port cannot be bound (the message names the address and
     *                             what to change) or the backend cannot start
     * @throws IllegalStateException if already started or closed, or mounted on a host's server
     *                               (it starts with the host)
     */
    public SocketDock start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this SocketDock is closed; build a new one");
            }
            if (mounted) {
                throw new IllegalStateException("this SocketDock is mounted on a host server: it starts with the host");
            }
            if (server != null) {
                throw new IllegalStateException("this SocketDock is already started");
            }
            server = DockServer.start(settings, ticker != null ? ticker : Ticker.system());
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
     * @return the port of the separate control listener, or -1 when the control routes share the
     * public listener
     * @throws IllegalStateException if not started
     */
    public int controlPort() {
        return started().controlPort();
    }

    /**
     * The WebSocket address clients connect to, as a client on this machine reaches it, e.g.
     * {@code ws://127.0.0.1:8765/ws}: {@code wss://} with TLS, and {@code 127.0.0.1} when bound to
     * every interface ({@code 0.0.0.0} or {@code ::}).
     *
     * @return the address of {@code /ws}
     * @throws IllegalStateException if not started
     */
    public URI uri() {
        return started().webSocketUri();
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
     * @return what this SocketDock has done since it started: connections, messages, backend
     * retries and failures, bytes buffered
     * @throws IllegalStateException if not started
     */
    public SocketDockStats.Snapshot stats() {
        return started().stats();
    }

    /**
     * Closes every connection with 1001 "going away", waits up to the shutdown timeout for the
     * backend to take each disconnect and for backend calls under way to finish, then stops the
     * server and the backend. Idempotent: a later or concurrent call returns once that drain is
     * over. {@link #drained()} then tells whether it all finished within the timeout.
     */
    @Override
    public void close() {
        RunningDock toStop;
        synchronized (lock) {
            if (closed) {
                toStop = null;
            } else {
                closed = true;
                toStop = server;
                if (toStop == null) {
                    drain.complete(false); // never started: nothing drained
                }
            }
        }
        if (toStop != null) {
            try {
                drain.complete(toStop.stop());
            } catch (RuntimeException | Error e) {
                drain.complete(false);
                throw e;
            }
        }
        drain.join(); // a second caller returns once the first one's drain is over too
    }

    /**
     * Whether the last {@link #close()} drained cleanly: every disconnect taken by the backend and
     * every backend call under way finished within the shutdown timeout. The command line exits
     * with 0 when it did and 1 when it did not.
     *
     * @return true once {@code close()} has returned after a clean drain; false before, if the
     * shutdown timeout passed first, or if it was never started
     */
    public boolean drained() {
        return drain.getNow(false);
    }

    static {
        // the adapters (socketdock-jetty, socketdock-javalin) build mounted instances through this
        Mounting.grant((builder, mount) -> builder.buildMounted(mount));
    }

    private RunningDock started() {
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
     * names the setting. Settings that belong together are set as one value, checked as it is
     * made: {@link #keepAlive(KeepAlive)}, {@link #limits(Limits)}, {@link #controlApi(ControlApi)}
     * and {@link #tls(Keystore)}; {@link #build()} then checks the settings against each other.
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private URI endpoint;
        private Backend backend;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration connectDecisionTimeout = DEFAULT_CONNECT_DECISION_TIMEOUT;
        private Ticker ticker;
        private KeepAlive keepAlive = KeepAlive.defaults();
        private Limits limits = Limits.defaults();
        private boolean compression;
        private List<String> allowedOrigins = List.of();
        private ControlApi controlApi = ControlApi.defaults();
        private ConnectMode connectMode = ConnectMode.NOTIFY;
        private Keystore tls;
        private boolean proxyProtocol;
        private boolean trustForwarded;
        private List<SocketDockListener> listeners = List.of();
        private String metricsContentType;
        private java.util.function.Supplier<String> metricsPage;

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
         * How long {@link SocketDock#close()} waits for connections to close, the backend to take
         * their disconnects and in-flight backend calls to finish before it stops anyway. Default
         * 30 seconds.
         *
         * @param timeout zero or positive
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Require.notNegative("shutdown timeout", timeout);
            return this;
        }

        /**
         * Pings, the time to answer one, and the idle timeout; see {@link KeepAlive}. Default
         * {@link KeepAlive#defaults()}: a ping every 20 seconds, 20 seconds to answer it, no idle
         * timeout.
         *
         * @param keepAlive the keep-alive settings, e.g.
         *                  {@code KeepAlive.defaults().withIdleTimeout(Duration.ofMinutes(10))}
         * @return this builder
         */
        public Builder keepAlive(KeepAlive keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keep-alive");
            return this;
        }

        /**
         * How long an upgrade may wait for its socket to open: for the backend's decision in
         * {@link ConnectMode#AUTHORIZE} (the client then gets 503), and for the handshake to
         * complete. A send to a connection that is not open yet waits in its queue until then, and
         * fails ({@link ConnectionClosedException}; 410 on the send route) if it never opens.
         * Default 60 seconds.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectDecisionTimeout(Duration timeout) {
            this.connectDecisionTimeout = Require.positive("connect decision timeout", timeout);
            return this;
        }

        /**
         * The relay's time, for tests of its time rules: a manual ticker moves only when told.
         * Package-private on purpose: not an API.
         */
        Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Bounds on connections, messages, queued and buffered bytes, slow clients and unfinished
         * messages; see {@link Limits}. Default {@link Limits#defaults()}.
         *
         * @param limits the limits, e.g. {@code Limits.defaults().withMaxConnections(10_000)}
         * @return this builder
         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Offers permessage-deflate to clients. Off by default: it costs memory on every socket.
         * An inflated message is still bounded by the maximum message size.
         *
         * @param on true to offer compression
         * @return this builder
         */
        public Builder compression(boolean on) {
            this.compression = on;
            return this;
        }

        /**
         * Browser origins allowed to open a WebSocket: exact ({@code https://app.example.com}) or
         * with wildcard labels ({@code https://*.example.com}, a {@code *} standing for one or more
         * whole labels). An origin matches only as a whole: the scheme, the host label by label,
         * and the port (a missing port is the scheme's default); an {@code Origin} with a path,
         * query, userinfo, an empty label or a trailing dot matches no pattern, so
         * {@code https://evil.com?.example.com} is refused. An upgrade whose {@code Origin} is not
         * allowed is refused with 403; one without an {@code Origin} header (a native agent) is not
         * affected. Default: empty, every origin allowed.
         *
         * @param origins scheme, host and optional port each; no path
         * @return this builder
         */
        public Builder allowedOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "allowed origins");
            this.allowedOrigins = origins.stream().map(OriginPolicy::checked).toList();
            return this;
        }

        /**
         * Where the control routes ({@code /socket/{id}/send}, {@code /socket/{id}/disconnect},
         * {@code /status}, {@code /metrics}) are served and the bearer tokens they require; see
         * {@link ControlApi}. Default {@link ControlApi#defaults()}: on the public listener, no
         * token required, as in the original.
         *
         * @param controlApi the settings, e.g. {@code ControlApi.defaults().withTokens(List.of(token))}
         * @return this builder
         */
        public Builder controlApi(ControlApi controlApi) {
            this.controlApi = Objects.requireNonNull(controlApi, "control API");
            return this;
        }

        /**
         * Whether the backend decides on each upgrade; see {@link ConnectMode}. Default
         * {@link ConnectMode#NOTIFY}, as the original.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder connectMode(ConnectMode mode) {
            this.connectMode = Objects.requireNonNull(mode, "connect mode");
            return this;
        }

        /**
         * Serves {@code wss://} and {@code https://} on the public listener and the control listener
         * with the certificate in a PKCS12 keystore. The default endpoint then starts with
         * {@code https://}. Default: plain {@code ws://} and {@code http://}.
         *
         * @param keystore a PKCS12 keystore holding the certificate chain and its private key, e.g.
         *                 {@code Keystore.pkcs12(Path.of("tls.p12"), password)}
         * @return this builder
         * @throws IllegalArgumentException if its file cannot be read
         */
        public Builder tls(Keystore keystore) {
            Objects.requireNonNull(keystore, "TLS keystore");
            Require.readable("TLS keystore", keystore.file());
            this.tls = keystore;
            return this;
        }

        /**
         * Adds a listener that hears what the relay does: connections opened and closed, messages
         * each way, backend calls, {@code /send} answers, sockets paused, the byte budget's level.
         * May be called more than once: every listener hears every event, in the order added.
         * Default: none (the SocketDock's own {@link SocketDock#stats() stats} count regardless).
         *
         * <p>For Micrometer meters, add the {@code socketdock-micrometer} module's listener:
         * <pre>{@code
         * PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
         * SocketDock dock = SocketDock.builder()
         *         .backend(backend)
         *         .listener(new SocketDockMeters(prometheus))
         *         .metricsPage("text/plain; version=0.0.4; charset=utf-8", prometheus::scrape)
         *         .build();
         * }</pre>
         *
         * @param listener the listener; see {@link SocketDockListener} for its threading rules
         * @return this builder
         */
        public Builder listener(SocketDockListener listener) {
            Objects.requireNonNull(listener, "listener");
            List<SocketDockListener> more = new java.util.ArrayList<>(listeners);
            more.add(listener);
            this.listeners = List.copyOf(more);
            return this;
        }

        /**
         * Serves {@code GET /metrics} with a page the application renders, typically its registry's
         * scrape in the Prometheus text format. The route is on the control listener when it is
         * separate, else on the public one, and requires a control token when tokens are set.
         * Default: no {@code /metrics} route.
         *
         * @param contentType the page's content type, e.g. {@code text/plain; version=0.0.4; charset=utf-8}
         * @param page        renders the page on each request; called on a server thread
         * @return this builder
         */
        public Builder metricsPage(String contentType, java.util.function.Supplier<String> page) {
            this.metricsContentType = Objects.requireNonNull(contentType, "metrics content type");
            this.metricsPage = Objects.requireNonNull(page, "metrics page");
            return this;
        }

        /**
         * Reads HAProxy's PROXY protocol (v1 and v2) on the public listener, for SocketDock behind a
         * load balancer that speaks it (HAProxy {@code send-proxy}/{@code send-proxy-v2}, AWS NLB,
         * …): the client's address in the header becomes the one used in logs, in the per-address
         * limit, in {@link Connection#remoteAddress()} and in the connect envelope's
         * {@code remote}. The header is read before TLS.
         *
         * <p>Every connection to the public listener must then start with a header: one without is
         * refused, so make the listener reachable only from the balancer (whoever reaches it can
         * claim any address), and serve the control routes on their {@linkplain
         * ControlApi#withListener(String, int) own listener}, which a backend reaches directly. Health
         * checks of the public listener must send the header too (HAProxy: {@code check-send-proxy}).
         * Default: off.
         *
         * @param on true to require and read a PROXY protocol header on every public connection
         * @return this builder
         */
        public Builder proxyProtocol(boolean on) {
            this.proxyProtocol = on;
            return this;
        }

        /**
         * Takes the client's address from the forwarded headers the load balancer adds: the last
         * address of {@code X-Forwarded-For} or, without it, the last {@code for=} of
         * {@code Forwarded} — the entry the balancer in front appended. Earlier entries, which the
         * client could have written itself, are ignored. That address is used in logs, in the
         * per-address limit, in {@link Connection#remoteAddress()} and in the connect envelope's
         * {@code remote}.
         *
         * <p>Turn it on only behind a balancer that sets or appends the header, and make the
         * public listener reachable only through it: a client that reaches SocketDock directly
         * could name any address. A balancer that writes only {@code Forwarded} must remove an
         * {@code X-Forwarded-For} the client sent. Default: off, and the headers change nothing.
         *
         * @param on true to believe the balancer's forwarded headers
         * @return this builder
         */
        public Builder trustForwarded(boolean on) {
            this.trustForwarded = on;
            return this;
        }

        /**
         * Every setting, secrets masked, for logs and tests: {@code SocketDock.Builder[} then groups
         * separated by {@code "; "} (listen, control, keep-alive, limits, backend), each a name, a
         * colon and its settings, durations and sizes written as the command line takes them
         * ({@code 20s}, {@code 4MiB}; {@code off} for a timeout that is off), then {@code ]}.
         *
         * @return the settings
         */
        @Override
        public String toString() {
            return "SocketDock.Builder[listen: host=" + host + ", port=" + port
                    + ", endpoint=" + (endpoint == null ? "derived" : endpoint)
                    + ", tls=" + (tls == null ? "off" : tls.file())
                    + ", proxyProtocol=" + proxyProtocol + ", trustForwarded=" + trustForwarded
                    + ", allowedOrigins=" + (allowedOrigins.isEmpty() ? "all" : allowedOrigins)
                    + ", compression=" + compression
                    + "; control: " + controlApi.settings()
                    + ", metrics=" + (metricsPage == null ? "off" : "/metrics")
                    + (listeners.isEmpty() ? "" : ", listeners=" + listeners.size())
                    + "; keep-alive: " + keepAlive.settings()
                    + "; limits: " + limits.settings() + ", shutdownTimeout=" + LogText.duration(shutdownTimeout)
                    + "; backend: " + backend + ", connectMode=" + connectMode
                    + ", connectDecisionTimeout=" + LogText.duration(connectDecisionTimeout) + "]";
        }

        /**
         * Checks the settings against each other and builds. Refused: {@link ConnectMode#AUTHORIZE}
         * with the http backend and no connect URI (nothing would decide); the PROXY protocol with
         * the http backend and no control listener of its own (the backend's callbacks carry no
         * PROXY header).
         *
         * @return a SocketDock with these settings, not yet started
         * @throws IllegalStateException if no backend was set
         * @throws IllegalArgumentException if settings do not fit together, with one line naming them
         */
        public SocketDock build() {
            if (backend == null) {
                throw new IllegalStateException("no backend set: call backend(...), e.g. backend(Backends.loopback())");
            }
            if (backend instanceof BuiltInBackend builtIn) {
                String misfit = builtIn.misfit(connectMode, proxyProtocol && !controlApi.ownListener());
                if (misfit != null) {
                    throw new IllegalArgumentException(misfit);
                }
            }
            Set<Settings.Feature> features = EnumSet.noneOf(Settings.Feature.class);
            if (compression) {
                features.add(Settings.Feature.COMPRESSION);
            }
            if (proxyProtocol) {
                features.add(Settings.Feature.PROXY_PROTOCOL);
            }
            if (trustForwarded) {
                features.add(Settings.Feature.TRUST_FORWARDED);
            }
            Settings.Observers observers = new Settings.Observers(listeners, metricsContentType, metricsPage);
            return new SocketDock(new Settings(new Settings.Listen(host, port, endpoint, tls, allowedOrigins, features),
                    controlApi, keepAlive, limits, backend, new Settings.Connect(connectMode, connectDecisionTimeout),
                    shutdownTimeout, observers), ticker);
        }

        /** Builds, then runs {@code mount} on the settings: a SocketDock on a host's server, started with it. */
        SocketDock buildMounted(java.util.function.BiFunction<Settings, Ticker, RunningDock> mount) {
            SocketDock dock = build();
            RunningDock running = mount.apply(dock.settings, dock.ticker != null ? dock.ticker : Ticker.system());
            synchronized (dock.lock) {
                dock.server = running;
                dock.mounted = true;
            }
            return dock;
        }
    }
}
