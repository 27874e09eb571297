package io.github.socketdock.internal.server;

import io.github.socketdock.SocketDock;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.relay.RelayCore;
import io.github.socketdock.internal.relay.Settings;
import io.github.socketdock.internal.wire.WireFormat;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;

/**
 * One SocketDock mounted on a host's Jetty {@code Server} under a path prefix: a
 * {@code ContextHandler(prefix) → DockHandler} placed first in the host's handler tree, serving on
 * the host's connectors with the host's thread pool (no pool of its own; the {@code http}
 * backend's client keeps its small pool). Its life follows the host's through a
 * {@link LifeCycle.Listener}: the backend and the timers start as the host starts; the drain runs
 * as the host begins to stop, before Jetty stops its connectors, so every socket gets 1001 and
 * every disconnect reaches the backend whatever the host's stop timeout. Stopped first by its
 * user, it drains, then detaches: its context hands every request on to the host's other
 * handlers (so {@code /prefix/*} answers what the host answers for an unknown path, usually 404).
 */
public final class MountedDock extends RelayOnServer {

    private static final Logger LOG = Logs.SERVER;
    /** One or more path segments, each of unreserved characters. */
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    private final Settings settings;
    private final Server host;
    private final String prefix;
    private final String controlConnector;
    private final RelayCore relay;
    private final LifeCycle.Listener hostListener;
    private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();
    private final Object lock = new Object();
    private boolean stopping;
    private volatile boolean detached;
    private volatile boolean relayStarted;
    private volatile Runnable onHostStopping;

    private MountedDock(Settings settings, Ticker ticker, Server host, String prefix, String controlConnector) {
        this.settings = settings;
        this.host = host;
        this.prefix = prefix;
        this.controlConnector = controlConnector;
        ContextHandler context = new ContextHandler(prefix);
        context.setAllowNullPathInContext(true); // /prefix itself is the relay's (404), not a redirect to /prefix/
        LimitedLog limitedLog = new LimitedLog(ticker, LimitedLog.DEFAULT_PER_WINDOW);
        this.relay = new RelayCore(settings, ticker, host.getThreadPool(), limitedLog);
        Handler tree = DockHandler.tree(relay,
                org.eclipse.jetty.websocket.core.server.WebSocketServerComponents.ensureWebSocketComponents(host, context),
                controlConnector != null ? this::listenerOf : null);
        context.setHandler(new Handler.Wrapper(tree) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                // closed by its user while the host runs: as if it had never been mounted
                return !detached && super.handle(request, response, callback);
            }
        });
        place(host, context);
        this.hostListener = new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                hostStarting();
            }

            @Override
            public void lifeCycleStarted(LifeCycle event) {
                relay.serving();
                // no port here: a host may serve through connectors that have none
                LOG.debug("serving at {} on the host server, callbacks at {}", MountedDock.this.prefix, relay.endpoint());
            }

            @Override
            public void lifeCycleFailure(LifeCycle event, Throwable cause) {
                // the host failed to start (or to stop): nothing is left running, and a retried start is refused
                if (!stopped.isDone()) {
                    if (relayStarted) {
                        quietly("stopping the timers", relay::stopTimers);
                        quietly("closing the backend", relay::closeBackend);
                    }
                    stopped.complete(false);
                }
                detached = true;
                host.removeEventListener(this);
            }

            @Override
            public void lifeCycleStopping(LifeCycle event) {
                // Jetty does not catch a listener's failure: the host must stop whatever happens here
                Runnable hook = onHostStopping;
                quietly("the drain", hook != null ? hook : MountedDock.this::stop);
            }
        };
        host.addEventListener(hostListener);
    }

    /**
     * Mounts a SocketDock on {@code host} under {@code prefix}: {@code <prefix>/ws} and the
     * callback routes {@code <prefix>/socket/{id}/…}. The host must not be started yet.
     *
     * @param controlConnector the name of the host's connector that alone serves the control
     *                         routes (and no WebSocket), or null to serve them on every connector,
     *                         then behind the control tokens
     * @throws IllegalArgumentException if the settings do not fit a mounted SocketDock, with a
     *                                  message naming what to change
     * @throws IllegalStateException    if the host is already started
     */
    public static MountedDock mount(Settings settings, Ticker ticker, Server host, String prefix, String controlConnector) {
        check(settings, prefix, controlConnector);
        if (!host.isStopped()) {
            throw new IllegalStateException("the host server is " + host.getState()
                    + ": mount SocketDock before the host starts (Jetty starts a handler tree once)");
        }
        return new MountedDock(settings, ticker, host, prefix, controlConnector);
    }

    /** Refuses the settings that belong to a server of its own, and a mount without a guard on the control routes. */
    static void check(Settings settings, String prefix, String controlConnector) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("mount prefix must be a path like /relay (segments of letters, digits, "
                    + "'.', '_', '~', '-'; no trailing slash), got '" + prefix + "'");
        }
        URI endpoint = settings.listen().endpoint();
        if (endpoint == null) {
            throw new IllegalArgumentException("a mounted SocketDock needs endpoint(...): the base URL through which the "
                    + "backend reaches the host server, prefix included, e.g. http://mediator:8080" + prefix);
        }
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        if (!path.endsWith(prefix)) {
            throw new IllegalArgumentException("endpoint " + endpoint + " does not end with the mount prefix " + prefix
                    + ": callback URLs " + endpoint + "/socket/{id}/send would miss the relay; use e.g. "
                    + endpoint.resolve(prefix));
        }
        if (controlConnector == null && !settings.control().requiresToken()) {
            throw new IllegalArgumentException("a mounted SocketDock serves its control routes (/socket/{id}/send, "
                    + "/disconnect) on the host's connectors: set controlApi(ControlApi.defaults().withTokens(...)) "
                    + "or name the host's internal connector that alone serves them (controlConnector)");
        }
        if (controlConnector != null && controlConnector.isBlank()) {
            throw new IllegalArgumentException("control connector name must not be empty");
        }
        String own = ownServerSetting(settings);
        if (own != null) {
            throw new IllegalArgumentException(own + " is a setting of SocketDock's own server and does not apply when "
                    + "mounted: configure it on the host server's connectors");
        }
    }

    private static String ownServerSetting(Settings settings) {
        Settings.Listen listen = settings.listen();
        if (!SocketDock.DEFAULT_HOST.equals(listen.host()) || listen.port() != SocketDock.DEFAULT_PORT) {
            return "host/port";
        }
        if (listen.tls() != null) {
            return "tls";
        }
        if (settings.control().ownListener()) {
            return "the control API's own listener (ControlApi.withListener; use the host's connector name instead)";
        }
        if (listen.proxyProtocol()) {
            return "proxyProtocol";
        }
        if (listen.trustForwarded()) {
            return "trustForwarded";
        }
        return null;
    }

    /**
     * Places the relay's context first, so that a host handler that takes every request (a servlet
     * context at {@code /}) does not hide it: inside the host's outer wrappers (statistics,
     * graceful; not into a context), in front of what they wrap. An empty tree gets a sequence, so
     * that a host adding its handlers later (Javalin does) appends them after the relay.
     */
    static void place(Server host, ContextHandler context) {
        Handler.Wrapper parent = host;
        Handler h = host.getHandler();
        while (h instanceof Handler.Wrapper w && !(h instanceof ContextHandler)) {
            parent = w;
            h = w.getHandler();
        }
        if (h == null) {
            parent.setHandler(new Handler.Sequence(context));
        } else if (h instanceof ContextHandlerCollection contexts) {
            contexts.addHandler(context);
        } else if (h instanceof Handler.Sequence sequence) {
            java.util.List<Handler> handlers = new java.util.ArrayList<>(sequence.getHandlers());
            handlers.add(0, context);
            sequence.setHandlers(handlers);
        } else {
            parent.setHandler(new Handler.Sequence(context, h));
        }
    }

    /** Runs {@code hook} instead of {@link #stop()} when the host begins to stop (SocketDock closes itself). */
    public void onHostStopping(Runnable hook) {
        this.onHostStopping = hook;
    }

    private void hostStarting() {
        if (stopped.isDone()) {
            throw new IllegalStateException("this mounted SocketDock has stopped (with its host, or closed): "
                    + "a host started again needs a new mount, on a new Server");
        }
        if (controlConnector != null && findConnector(controlConnector) == null) {
            throw new IllegalStateException("the host server has no connector named '" + controlConnector
                    + "' for SocketDock's control routes; its connectors: " + connectorNames());
        }
        try {
            relay.start(settings.listen().endpoint());
            relayStarted = true;
        } catch (RuntimeException e) {
            relay.abort();
            stopped.complete(false);
            throw e;
        }
    }

    private Router.Listener listenerOf(Request request) {
        return controlConnector.equals(request.getConnectionMetaData().getConnector().getName())
                ? Router.Listener.CONTROL : Router.Listener.PUBLIC;
    }

    private Connector findConnector(String name) {
        for (Connector c : host.getConnectors()) {
            if (name.equals(c.getName())) {
                return c;
            }
        }
        return null;
    }

    private String connectorNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Connector c : host.getConnectors()) {
            names.add(c.getName() == null ? "(unnamed)" : c.getName());
        }
        return names.toString();
    }

    /** @return the host's first network connector that is not the control one */
    private NetworkConnector publicConnector() {
        for (Connector c : host.getConnectors()) {
            if (c instanceof NetworkConnector n && (controlConnector == null || !controlConnector.equals(c.getName()))) {
                return n;
            }
        }
        throw new IllegalStateException("the host server has no network connector");
    }

    private static int localPort(NetworkConnector c) {
        int port = c.getLocalPort();
        if (port <= 0) {
            throw new IllegalStateException("the host server is not started: its port is not bound yet");
        }
        return port;
    }

    /** @return the local port of the host's first public connector */
    @Override
    public int port() {
        return localPort(publicConnector());
    }

    @Override
    public int controlPort() {
        return controlConnector == null || !(findConnector(controlConnector) instanceof NetworkConnector n)
                ? -1 : localPort(n);
    }

    /** @return {@code ws(s)://<host of the public connector>:<port><prefix>/ws} */
    @Override
    public URI webSocketUri() {
        NetworkConnector c = publicConnector();
        boolean tls = c.getConnectionFactory(SslConnectionFactory.class) != null;
        String bound = c.getHost() == null ? "0.0.0.0" : c.getHost();
        return URI.create((tls ? "wss://" : "ws://") + DockServer.reachableHost(bound) + ":" + localPort(c)
                + prefix + WireFormat.WEBSOCKET_PATH);
    }

    @Override
    RelayCore relay() {
        return relay;
    }

    @Override
    public URI endpoint() {
        return settings.listen().endpoint();
    }

    /** Runs {@code step}; a failure is logged, not thrown. @return whether it ran without failing */
    private static boolean quietly(String step, Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException | Error e) {
            LOG.warn("mounted SocketDock: {} failed: {}", step, e.toString());
            return false;
        }
    }

    /**
     * The drain while the host still serves (see {@link RelayCore#drain(long)}), then the timers
     * and the backend stop and the relay detaches from the host. Once only: a later or concurrent
     * call waits for the first one's result.
     */
    @Override
    public boolean stop() {
        synchronized (lock) {
            if (stopping || stopped.isDone()) {
                return stopped.join();
            }
            stopping = true;
        }
        boolean drained = false;
        try {
            if (relayStarted) {
                drained = relay.drain(relay.deadline());
                quietly("stopping the timers", relay::stopTimers);
                drained &= quietly("closing the backend", relay::closeBackend);
            }
        } finally {
            detached = true;
            host.removeEventListener(hostListener);
            stopped.complete(drained);
        }
        return drained;
    }
}
