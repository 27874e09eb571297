package io.github.socketdock.internal.server;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.Connection;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDockException;
import io.github.socketdock.SocketDockStats;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Secrets;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.net.ClientAddress;
import io.github.socketdock.internal.net.OriginPolicy;
import io.github.socketdock.internal.relay.Admissions;
import io.github.socketdock.internal.relay.BuiltInBackend;
import io.github.socketdock.internal.relay.ByteBudget;
import io.github.socketdock.internal.relay.ConnectGate;
import io.github.socketdock.internal.relay.ConnectionRegistry;
import io.github.socketdock.internal.relay.DockContext;
import io.github.socketdock.internal.relay.Events;
import io.github.socketdock.internal.relay.OutboundQueue;
import io.github.socketdock.internal.relay.RelayConnection;
import io.github.socketdock.internal.relay.Settings;
import io.github.socketdock.internal.relay.UpgradeRefused;
import io.github.socketdock.internal.wire.WireFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;

/**
 * The relay's request handling, on whichever Jetty {@code Server} it runs: its own
 * ({@link DockServer}) or a host's, under a path prefix ({@link MountedDock}). It owns the
 * connection registry, the limits, the byte budget, the counters, the housekeeping, the backend's
 * start and the drain; the handler tree {@code upgrade(/ws) → Router(callback and probe routes)};
 * and nothing of the server: no connector, no thread pool, no lifecycle of Jetty's.
 *
 * <p>Its life: {@link #start(URI)} before the server serves, {@link #serving()} once it does,
 * {@link #drain()} while it still serves, then {@link #stopTimers()} and {@link #closeBackend()}.
 */
final class DockHandler {

    private static final Logger LOG = Logs.SERVER;
    /** Frames Jetty may queue per connection: above our own bound, so Jetty never refuses first. */
    private static final int JETTY_MAX_OUTGOING_FRAMES = OutboundQueue.MAX_QUEUED_FRAMES + 64;

    /** Largest fragment handed to the endpoint; larger frames are split, so each read is bounded. */
    private static final long MAX_FRAGMENT = 64 * 1024;

    private final Settings settings;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Admissions admissions;
    private final Ticker ticker;
    private final Events events;
    private final ByteBudget budget;
    private final OriginPolicy origins;
    private final LimitedLog limitedLog;
    private final Executor threads;
    private final Handler handler;
    private volatile DockContext context;
    private volatile boolean draining;
    /** Set once serving: {@code /readyz} answers ready while serving and not draining. */
    private volatile boolean started;
    private volatile boolean stopped;
    private boolean backendStarted;

    /**
     * @param components  the WebSocket components of the server (or of the context) it runs in
     * @param threads     the server's threads
     * @param limitedLog  the rate-limited log lines (shared with the connectors' PROXY protocol)
     * @param listenerOf  which listener a request came in on, or null when the control routes
     *                    share the public listener
     */
    DockHandler(Settings settings, Ticker ticker, WebSocketComponents components, Executor threads,
                LimitedLog limitedLog, Function<Request, Router.Listener> listenerOf) {
        this.settings = settings;
        this.ticker = ticker;
        this.threads = threads;
        this.limitedLog = limitedLog;
        Limits limits = settings.limits();
        this.admissions = new Admissions(limits.maxConnections(), limits.maxConnectionsPerAddress());
        this.budget = new ByteBudget(limits.maxBufferedBytes(), threads);
        this.origins = new OriginPolicy(settings.listen().allowedOrigins());
        Settings.Observers observers = settings.observers();
        this.events = new Events(new SocketDockStats(), observers.listeners(), limitedLog);

        Router router = new Router(listenerOf);
        ControlAccess access = new ControlAccess(Secrets.tokens(settings.control()), limitedLog);
        new ControlRoutes(registry, limits.maxMessageSize(), budget, events)
                .addTo(router, access, access.required() || listenerOf != null);
        new ProbeRoutes(() -> started && !draining, observers).addTo(router, access);
        router.add("GET", WireFormat.WEBSOCKET_PATH, Router.Listener.PUBLIC, (request, response, callback, params) -> {
            response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            Answers.text(response, callback, HttpStatus.UPGRADE_REQUIRED_426,
                    "this is a WebSocket endpoint: send a WebSocket upgrade request");
        });
        // Jetty's WebSocket core, not its WebSocket API: the API's session keeps copies of the
        // upgrade request and response that hold on to the whole HTTP exchange (connection, parser,
        // request, attributes: about 3 KiB per socket for as long as it is open)
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler(components);
        upgrade.addMapping(WireFormat.WEBSOCKET_PATH, new WebSocketNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                return endpoint(request, response, callback);
            }

            @Override
            public void customize(Configuration container) {
                container.setMaxTextMessageSize(limits.maxMessageSize());
                container.setMaxBinaryMessageSize(limits.maxMessageSize());
                container.setMaxFrameSize(MAX_FRAGMENT);
                container.setAutoFragment(true);
                container.setIdleTimeout(Duration.ZERO);
                container.setMaxOutgoingFrames(JETTY_MAX_OUTGOING_FRAMES);
            }
        });
        upgrade.setHandler(router);
        Handler ws = settings.connect().mode() == ConnectMode.AUTHORIZE
                ? new ConnectGate(upgrade, () -> context, r -> {
                    checkUpgrade(r);
                    return null;
                }, this::admit)
                : upgrade;
        this.handler = new Handler.Wrapper(ws) {
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
                return listenerOf != null && listenerOf.apply(request) == Router.Listener.CONTROL
                        ? router.handle(request, response, callback)
                        : super.handle(request, response, callback);
            }
        };
    }

    /** @return the relay's handler tree, to place in a server or a context */
    Handler handler() {
        return handler;
    }

    /**
     * Starts the ticker and the backend, with callback URLs built on {@code endpoint}. Call before
     * the server serves; on failure everything started here is stopped again.
     *
     * @throws SocketDockException if the backend fails to start
     */
    void start(URI endpoint) {
        ticker.start();
        context = new DockContext(settings, endpoint, registry, admissions, budget, events, ticker, threads, limitedLog);
        startBackend(settings.backend());
    }

    /** The server serves: housekeeping starts and {@code /readyz} answers ready. */
    void serving() {
        scheduleHousekeeping();
        started = true;
    }

    /** After a failed start: stops the timers and what started, quietly. */
    void abort() {
        stopTimers();
        if (backendStarted) {
            settings.backend().close();
        }
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
            } else if (settings.connect().mode() == ConnectMode.AUTHORIZE) {
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
        if (!settings.listen().compression()) {
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
        for (Duration d : List.of(settings.keepAlive().pingInterval(), settings.keepAlive().pingTimeout(),
                settings.keepAlive().idleTimeout(), settings.limits().slowClientTimeout(),
                settings.limits().unfinishedMessageTimeout())) {
            if (!d.isZero()) {
                period = Math.min(period, d.toNanos() / 4);
            }
        }
        Duration every = Duration.ofNanos(Math.max(period, TimeUnit.MILLISECONDS.toNanos(5)));
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            try {
                registry.housekeep(ticker.nanos());
                events.budgetSample(budget.used(), budget.limit());
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

    /** @return the base of the callback URLs; null before {@link #start(URI)} */
    URI endpoint() {
        DockContext c = context;
        return c == null ? null : c.endpoint();
    }

    /** @return the SocketDock's own counts, the budget's level read now */
    SocketDockStats.Snapshot stats() {
        return events.stats().snapshot().withBufferedBytes(budget.used());
    }

    Optional<Connection> connection(String id) {
        RelayConnection c = registry.find(id);
        return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
    }

    int connectionCount() {
        return registry.openCount();
    }

    /**
     * The drain, run while the server still serves (so a send to a closed socket gets 410): refuses
     * new upgrades with 503, closes every connection with 1001 "going away" (waiting for the close
     * replies at most half the shutdown timeout), and waits for the backend to take every
     * disconnect and for the http backend's calls under way to finish — all within the shutdown
     * timeout.
     *
     * @return true if every disconnect was taken and every backend call ended within the shutdown
     * timeout; false if the timeout passed first, or the drain failed
     */
    boolean drain(long deadline) {
        boolean drained = false;
        draining = true;
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
        limitedLog.flushAll(); // the ticker stops next: housekeeping will not write what was left out
        return drained;
    }

    /** @return the drain's deadline if it starts now */
    long deadline() {
        return System.nanoTime() + settings.shutdownTimeout().toNanos();
    }

    /** Stops housekeeping and the timers. */
    void stopTimers() {
        stopped = true;
        ticker.stop();
    }

    /** Closes the backend after the drain and the server's stop, and reports the budget's last level. */
    void closeBackend() {
        try {
            settings.backend().close();
        } finally {
            events.budgetLevel(budget.used(), budget.limit());
        }
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

    static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
