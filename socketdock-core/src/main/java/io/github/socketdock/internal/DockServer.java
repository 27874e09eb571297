package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.Connection;
import io.github.socketdock.SocketDockException;
import io.github.socketdock.SocketDockStats;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;

/**
 * The running server of one SocketDock: the Jetty tree
 * {@code Server → GracefulHandler → WebSocketUpgradeHandler(/ws) → Router(callback routes)},
 * the connection registry and the backend, started and stopped together.
 */
public final class DockServer {

    private static final Logger LOG = Logs.SERVER;
    /** Frames Jetty may queue per connection: above our own bound, so Jetty never refuses first. */
    private static final int JETTY_MAX_OUTGOING_FRAMES = OutboundQueue.MAX_QUEUED_FRAMES + 64;

    /** Largest fragment handed to the endpoint; larger frames are split, so each read is bounded. */
    private static final long MAX_FRAGMENT = 64 * 1024;

    private final Settings settings;
    private final Server server;
    private final ServerConnector connector;
    /** The control routes' own listener, or null when they share the public one. */
    private final ServerConnector controlConnector;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Admissions admissions;
    private final Ticker ticker;
    private final RelayStats stats;
    private final ByteBudget budget;
    private final OriginPolicy origins;
    private final LimitedLog limitedLog;
    private volatile DockContext context;
    private volatile boolean draining;
    /** Set once started: {@code /readyz} answers ready while started and not draining. */
    private volatile boolean started;
    private volatile boolean stopped;
    private boolean backendStarted;

    private DockServer(Settings settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
        this.admissions = new Admissions(settings.maxConnections(), settings.maxConnectionsPerAddress());
        QueuedThreadPool threads = Threads.pool("socketdock");
        this.budget = new ByteBudget(settings.maxBufferedBytes(), threads);
        this.origins = new OriginPolicy(settings.allowedOrigins());
        this.limitedLog = new LimitedLog(ticker, LimitedLog.DEFAULT_PER_WINDOW);
        Settings.Meters meters = settings.meters();
        this.stats = new RelayStats(meters == null || meters.registry() == null ? Metrics.NONE
                : new MicrometerMetrics(meters.registry(), registry::openCount, budget::used));
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConfiguration publicHttp = new HttpConfiguration(http);
        if (settings.trustForwarded()) {
            publicHttp.addCustomizer(ClientAddress.forwarded());
        }
        this.connector = Tls.connector(server, publicHttp, settings.tls(), settings.proxyProtocol() ? limitedLog : null);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        Settings.Control control = settings.control();
        if (control.separate()) {
            controlConnector = Tls.connector(server, http, settings.tls(), null);
            controlConnector.setHost(control.host());
            controlConnector.setPort(control.port());
            server.addConnector(controlConnector);
        } else {
            controlConnector = null;
        }

        Router router = new Router(control.separate() ? this::listenerOf : null);
        ControlAccess access = new ControlAccess(control.tokens(), limitedLog);
        new ControlRoutes(registry, settings.maxMessageSize(), budget, stats.metrics)
                .addTo(router, access, access.required() || control.separate());
        new ProbeRoutes(() -> started && !draining, meters).addTo(router, access);
        router.add("GET", WireFormat.WEBSOCKET_PATH, Router.Listener.PUBLIC, (request, response, callback, params) -> {
            response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            Answers.text(response, callback, HttpStatus.UPGRADE_REQUIRED_426,
                    "this is a WebSocket endpoint: send a WebSocket upgrade request");
        });
        // Jetty's WebSocket core, not its WebSocket API: the API's session keeps copies of the
        // upgrade request and response that hold on to the whole HTTP exchange (connection, parser,
        // request, attributes: about 3 KiB per socket for as long as it is open)
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        upgrade.addMapping(WireFormat.WEBSOCKET_PATH, new WebSocketNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                return endpoint(request, response, callback);
            }

            @Override
            public void customize(Configuration container) {
                container.setMaxTextMessageSize(settings.maxMessageSize());
                container.setMaxBinaryMessageSize(settings.maxMessageSize());
                container.setMaxFrameSize(MAX_FRAGMENT);
                container.setAutoFragment(true);
                container.setIdleTimeout(Duration.ZERO);
                container.setMaxOutgoingFrames(JETTY_MAX_OUTGOING_FRAMES);
            }
        });
        upgrade.setHandler(router);
        Handler ws = settings.connectMode() == ConnectMode.AUTHORIZE
                ? new ConnectGate(upgrade, () -> context, r -> {
                    checkUpgrade(r);
                    return null;
                }, this::admit)
                : upgrade;
        server.setHandler(new GracefulHandler(new Handler.Wrapper(ws) {
            /**
             * Blocking, as Jetty's WebSocket API handler declared itself: the core upgrade handler
             * takes its child's type (the router's, non-blocking), and Jetty then runs requests on
             * the selector's thread, where a route that waits for a connection's lock (a
             * disconnect while the connection hands a message on) stalls every socket of that
             * selector.
             */
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.BLOCKING;
            }

            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                // the control listener serves no WebSocket: its requests skip the upgrade handler
                return listenerOf(request) == Router.Listener.CONTROL && controlConnector != null
                        ? router.handle(request, response, callback)
                        : super.handle(request, response, callback);
            }
        }));
        server.setStopTimeout(1000);
    }

    /**
     * The endpoint of an upgrade to {@code /ws}: the connection the gate accepted, or a new one; or
     * null once the refusal is written (503 draining, 403 origin, 429/503 over the limits).
     */
    private FrameHandler endpoint(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        RelayConnection accepted = (RelayConnection) request.getAttribute(ConnectGate.ACCEPTED);
        RelayConnection c;
        try {
            checkUpgrade(request);
            if (accepted != null) {
                c = accepted;
            } else if (settings.connectMode() == ConnectMode.AUTHORIZE) {
                // fail closed: in AUTHORIZE mode every upgrade must have passed the gate
                throw new UpgradeRefused(HttpStatus.BAD_REQUEST_400, "upgrade not decided by the backend");
            } else {
                c = new RelayConnection(context, admit(request), WireFormat.headers(request.getHeaders()),
                        ClientAddress.of(request));
            }
        } catch (UpgradeRefused e) {
            if (accepted != null) {
                accepted.abandon(e);
            }
            Response.writeError(request, response, callback, e.status(), e.getMessage());
            return null;
        }
        if (!settings.compression()) {
            response.setExtensions(List.of());
        }
        return c;
    }

    /** @throws UpgradeRefused if an upgrade must be refused now: draining (503), or an origin not allowed (403) */
    private void checkUpgrade(Request request) throws UpgradeRefused {
        if (draining) {
            throw refused(request, new UpgradeRefused(HttpStatus.SERVICE_UNAVAILABLE_503, "shutting down"));
        }
        for (String origin : request.getHeaders().getValuesList(HttpHeader.ORIGIN)) {
            if (!origins.allows(origin)) {
                throw refused(request, new UpgradeRefused(HttpStatus.FORBIDDEN_403, "origin not allowed"));
            }
        }
    }

    /** @return the upgrade's admission under the connection limits; @throws UpgradeRefused (503 or 429) if over them */
    private Admissions.Admission admit(Request request) throws UpgradeRefused {
        try {
            return admissions.admit(addressOf(request));
        } catch (UpgradeRefused e) {
            throw refused(request, e);
        }
    }

    /** @return the refusal, logged once with the client's address (an upgrade is refused at its first refusal) */
    private UpgradeRefused refused(Request request, UpgradeRefused refusal) {
        limitedLog.log(LimitedLog.Kind.REFUSED, "upgrade from {} refused with {}: {}",
                Logs.address(ClientAddress.of(request)), refusal.status(), refusal.getMessage());
        return refusal;
    }

    private static InetAddress addressOf(Request request) {
        InetSocketAddress remote = ClientAddress.of(request);
        return remote != null ? remote.getAddress() : null;
    }

    private Router.Listener listenerOf(Request request) {
        return controlConnector != null && request.getConnectionMetaData().getConnector() == controlConnector
                ? Router.Listener.CONTROL : Router.Listener.PUBLIC;
    }

    /**
     * Starts the backend, binds, and starts serving.
     *
     * @throws SocketDockException if binding or the backend fails
     */
    /** @return how Jetty may call the handler tree (tests: it must be blocking, see the wrapper in the constructor) */
    org.eclipse.jetty.util.thread.Invocable.InvocationType invocationType() {
        return server.getHandler().getInvocationType();
    }

    public static DockServer start(Settings settings, Ticker ticker) {
        DockServer d = new DockServer(settings, ticker);
        d.doStart();
        return d;
    }

    private void doStart() {
        if (settings.tls() != null) {
            Tls.check("TLS keystore", settings.tls().keystore(), settings.tls().password());
        }
        Backend backend = settings.backend();
        ticker.start();
        try {
            connector.open();
            if (controlConnector != null) {
                try {
                    controlConnector.open();
                } catch (Exception e) {
                    throw new SocketDockException(bindFailure(e, settings.control().host(), settings.control().port(),
                            "control ").getMessage(), e);
                }
            }
            URI endpoint = settings.endpoint() != null ? settings.endpoint() : defaultEndpoint();
            context = new DockContext(settings, endpoint, registry, admissions, budget, stats, ticker, server.getThreadPool(),
                    limitedLog);
            startBackend(backend);
            server.start();
            scheduleHousekeeping();
            started = true;
        } catch (SocketDockException e) {
            stopQuietly();
            if (backendStarted) {
                backend.close();
            }
            stats.metrics.close();
            throw e;
        } catch (Exception e) {
            stopQuietly();
            if (backendStarted) {
                backend.close();
            }
            stats.metrics.close();
            throw bindFailure(e, settings.host(), settings.port(), "");
        }
        LOG.debug("listening on {}:{}, callbacks at {}", settings.host(), port(), context.endpoint());
    }

    /** Starts the backend: a built-in one with this relay, any other on its own. */
    private void startBackend(Backend backend) {
        try {
            if (backend instanceof BuiltInBackend builtIn) {
                builtIn.start(context);
            } else {
                backend.start();
            }
            backendStarted = true;
        } catch (Exception e) {
            throw new SocketDockException("backend failed to start: " + e.getMessage(), e);
        }
    }

    /** Housekeeping runs at a quarter of the shortest timeout it enforces, between 5 ms and 1 s. */
    private void scheduleHousekeeping() {
        long period = TimeUnit.SECONDS.toNanos(1);
        for (Duration d : List.of(settings.pingInterval(), settings.pingTimeout(), settings.idleTimeout(),
                settings.slowClientTimeout(), settings.unfinishedMessageTimeout())) {
            if (!d.isZero()) {
                period = Math.min(period, d.toNanos() / 4);
            }
        }
        Duration every = Duration.ofNanos(Math.max(period, TimeUnit.MILLISECONDS.toNanos(5)));
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            try {
                registry.housekeep(ticker.nanos());
                limitedLog.flush();
            } catch (RuntimeException e) {
                LOG.warn("housekeeping failed: {}", e.toString());
            }
            if (!stopped) {
                ticker.schedule(tick[0], every);
            }
        };
        ticker.schedule(tick[0], every);
    }

    /** The endpoint when none is set: the control listener when it is separate, else the public one. */
    private URI defaultEndpoint() {
        String configured = controlConnector != null ? settings.control().host() : settings.host();
        int port = controlConnector != null ? controlConnector.getLocalPort() : port();
        if (isWildcard(configured)) {
            LOG.warn("bound to every interface ({}) without an endpoint: callback URLs use http://127.0.0.1:{}, "
                    + "which only a backend on this machine can reach; for a backend elsewhere set the endpoint "
                    + "(--endpoint on the command line) to a URL it can reach, e.g. http://<this host>:{}",
                    configured, port, port);
        }
        return URI.create((settings.tls() != null ? "https://" : "http://") + reachableHost(configured) + ":" + port);
    }

    /**
     * @return the WebSocket address of the public listener, as a client on this machine reaches it:
     * {@code ws://} or {@code wss://}, the bound host (127.0.0.1 for a wildcard bind), the port, {@code /ws}
     */
    public URI webSocketUri() {
        return URI.create((settings.tls() != null ? "wss://" : "ws://") + reachableHost(settings.host()) + ":" + port() + "/ws");
    }

    /** @return the host as it goes into a URL: a wildcard as 127.0.0.1, an IPv6 literal in brackets */
    private static String reachableHost(String configured) {
        String host = isWildcard(configured) ? "127.0.0.1" : configured;
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false; // a name that does not resolve cannot have been bound; keep it as given
        }
    }

    private static SocketDockException bindFailure(Exception e, String host, int port, String which) {
        String where = host + ":" + port;
        Throwable t = e;
        while (t != null && !(t instanceof BindException)) {
            t = t.getCause();
        }
        if (t != null) {
            String why = String.valueOf(t.getMessage());
            if (why.contains("in use")) {
                return new SocketDockException(which + "port " + port + " is already in use on " + host
                        + ": stop the process using it or choose another port", e);
            }
            return new SocketDockException("cannot bind " + which + where + " (" + why
                    + "): is " + host + " an address of this machine?", e);
        }
        if (e instanceof IOException) {
            return new SocketDockException("cannot bind " + which + where + ": " + e.getMessage(), e);
        }
        return new SocketDockException("cannot start on " + where + ": " + e, e);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public int controlPort() {
        return controlConnector == null ? -1 : controlConnector.getLocalPort();
    }

    public URI endpoint() {
        return context.endpoint();
    }

    public SocketDockStats stats() {
        return new SocketDockStats(registry.openCount(), registry.lifetimeCount(), stats.messagesIn.sum(),
                stats.messagesOut.sum(), stats.backendRetries.sum(), stats.undeliveredMessages.sum(),
                stats.abandonedAnswers.sum(), stats.undeliveredDisconnects.sum(), budget.used());
    }

    public Optional<Connection> connection(String id) {
        RelayConnection c = registry.find(id);
        return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
    }

    public int connectionCount() {
        return registry.openCount();
    }

    /**
     * The drain, run while the server still serves (so a send to a closed socket gets 410): refuses
     * new upgrades with 503, closes every connection with 1001 "going away" (waiting for the close
     * replies at most half the shutdown timeout), waits for the backend
     * to take every disconnect and for the http backend's calls under way to finish — all within
     * the shutdown timeout — then stops Jetty and the backend.
     *
     * @return true if every disconnect was taken and every backend call ended within the shutdown
     * timeout; false if the timeout passed first, or the drain failed
     */
    public boolean stop() {
        boolean drained = false;
        draining = true;
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        int open = registry.openCount();
        if (open > 0) {
            LOG.info("closing {}", LogText.count(open, "connection"));
        }
        try {
            CompletableFuture<Void> finished = registry.closeAll(new CloseStatus(CloseStatus.GOING_AWAY, "going away"));
            awaitCloseReplies(deadline);
            finished.get(remaining(deadline), TimeUnit.NANOSECONDS);
            drained = !(settings.backend() instanceof BuiltInBackend builtIn)
                    || builtIn.awaitIdle(Duration.ofNanos(remaining(deadline)));
        } catch (TimeoutException e) {
            LOG.warn("shutdown timeout of {} passed with {} still closing", LogText.duration(settings.shutdownTimeout()),
                    LogText.count(registry.openCount(), "connection"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("drain failed: {}", e.getCause().toString());
        }
        server.setStopTimeout(Math.max(100, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))));
        limitedLog.flushAll(); // the ticker stops below: housekeeping will not write what was left out
        stopQuietly();
        settings.backend().close();
        stats.metrics.close();
        return drained;
    }

    /**
     * Waits for the clients' close replies, at most half of what is left of the shutdown timeout
     * (a client that does not reply within the ping timeout is dropped anyway, as after any close),
     * then drops the sockets still waiting for theirs: a client that never replies must not use up
     * the time the backend needs to take the disconnects.
     */
    private void awaitCloseReplies(long deadline) throws InterruptedException, ExecutionException {
        long wait = remaining(deadline) / 2;
        try {
            registry.allClosed().get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.info("dropping {} that did not answer the close within {}",
                    LogText.count(registry.openCount(), "connection"), LogText.duration(Duration.ofNanos(wait)));
            registry.dropAll();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private void stopQuietly() {
        stopped = true;
        try {
            ticker.stop();
            server.stop();
        } catch (Exception e) {
            LOG.warn("server did not stop cleanly: {}", e.toString());
        }
    }
}
