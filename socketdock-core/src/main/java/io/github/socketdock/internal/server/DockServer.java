package io.github.socketdock.internal.server;

import io.github.socketdock.ControlApi;
import io.github.socketdock.SocketDockException;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Threads;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.net.ClientAddress;
import io.github.socketdock.internal.net.Tls;
import io.github.socketdock.internal.relay.RelayCore;
import io.github.socketdock.internal.relay.Settings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.slf4j.Logger;

/**
 * One SocketDock on a server of its own (the standalone way): the Jetty tree
 * {@code Server → GracefulHandler → DockHandler}, its public connector and the optional control
 * connector, its own thread pool, started and stopped together.
 */
public final class DockServer extends RelayOnServer {

    private static final Logger LOG = Logs.SERVER;

    private final Settings settings;
    private final Server server;
    private final ServerConnector connector;
    /** The control routes' own listener, or null when they share the public one. */
    private final ServerConnector controlConnector;
    private final RelayCore relay;

    /**
     * How long Jetty's stop, which comes after the drain, waits for a connection with no request
     * under way (a mediator's idle keep-alive connection) to close; Jetty's default, 1 s, made every
     * stop that long whenever a client kept a connection open.
     */
    private static final long SHUTDOWN_IDLE_TIMEOUT_MS = 100;

    private DockServer(Settings settings, Ticker ticker) {
        this.settings = settings;
        QueuedThreadPool threads = Threads.pool("socketdock");
        LimitedLog limitedLog = new LimitedLog(ticker, LimitedLog.DEFAULT_PER_WINDOW);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConfiguration publicHttp = new HttpConfiguration(http);
        Settings.Listen listen = settings.listen();
        if (listen.trustForwarded()) {
            publicHttp.addCustomizer(ClientAddress.forwarded());
        }
        this.connector = Tls.connector(server, publicHttp, listen.tls(), listen.proxyProtocol() ? limitedLog : null);
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        ControlApi control = settings.control();
        if (control.ownListener()) {
            controlConnector = Tls.connector(server, http, listen.tls(), null);
            controlConnector.setHost(control.host().orElseThrow());
            controlConnector.setPort(control.port());
            controlConnector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
            server.addConnector(controlConnector);
        } else {
            controlConnector = null;
        }
        this.relay = new RelayCore(settings, ticker, threads, limitedLog);
        Handler tree = DockHandler.tree(relay, WebSocketServerComponents.ensureWebSocketComponents(server),
                control.ownListener() ? this::listenerOf : null);
        server.setHandler(new GracefulHandler(tree));
        server.setStopTimeout(1000);
    }

    private Router.Listener listenerOf(Request request) {
        return controlConnector != null && request.getConnectionMetaData().getConnector() == controlConnector
                ? Router.Listener.CONTROL : Router.Listener.PUBLIC;
    }

    /** @return how Jetty may call the handler tree (tests: it must be blocking, see DockHandler) */
    org.eclipse.jetty.util.thread.Invocable.InvocationType invocationType() {
        return server.getHandler().getInvocationType();
    }

    /**
     * Starts the backend, binds, and starts serving.
     *
     * @throws SocketDockException if binding or the backend fails
     */
    public static DockServer start(Settings settings, Ticker ticker) {
        DockServer d = new DockServer(settings, ticker);
        d.doStart();
        return d;
    }

    private void doStart() {
        Settings.Listen listen = settings.listen();
        if (listen.tls() != null) {
            Tls.check("TLS keystore", listen.tls());
        }
        try {
            connector.open();
            if (controlConnector != null) {
                try {
                    controlConnector.open();
                } catch (Exception e) {
                    ControlApi control = settings.control();
                    throw new SocketDockException(bindFailure(e, control.host().orElseThrow(), control.port(),
                            "control ").getMessage(), e);
                }
            }
            relay.start(listen.endpoint() != null ? listen.endpoint() : defaultEndpoint());
            server.start();
            relay.serving();
        } catch (SocketDockException e) {
            stopServerQuietly();
            relay.abort();
            throw e;
        } catch (Exception e) {
            stopServerQuietly();
            relay.abort();
            throw bindFailure(e, listen.host(), listen.port(), "");
        }
        LOG.debug("listening on {}:{}, callbacks at {}", listen.host(), port(), relay.endpoint());
    }

    /** The endpoint when none is set: the control listener when it is separate, else the public one. */
    private URI defaultEndpoint() {
        String configured = controlConnector != null ? settings.control().host().orElseThrow() : settings.listen().host();
        int port = controlConnector != null ? controlConnector.getLocalPort() : port();
        if (isWildcard(configured)) {
            LOG.warn("bound to every interface ({}) without an endpoint: callback URLs use http://127.0.0.1:{}, "
                    + "which only a backend on this machine can reach; for a backend elsewhere set the endpoint "
                    + "(--endpoint on the command line) to a URL it can reach, e.g. http://<this host>:{}",
                    configured, port, port);
        }
        return URI.create((settings.listen().tls() != null ? "https://" : "http://") + reachableHost(configured) + ":" + port);
    }

    /**
     * @return the WebSocket address of the public listener, as a client on this machine reaches it:
     * {@code ws://} or {@code wss://}, the bound host (127.0.0.1 for a wildcard bind), the port, {@code /ws}
     */
    @Override
    public URI webSocketUri() {
        Settings.Listen listen = settings.listen();
        return URI.create((listen.tls() != null ? "wss://" : "ws://") + reachableHost(listen.host()) + ":" + port() + "/ws");
    }

    /** @return the host as it goes into a URL: a wildcard as 127.0.0.1, an IPv6 literal in brackets */
    static String reachableHost(String configured) {
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

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public int controlPort() {
        return controlConnector == null ? -1 : controlConnector.getLocalPort();
    }

    @Override
    RelayCore relay() {
        return relay;
    }

    @Override
    public URI endpoint() {
        return relay.endpoint();
    }

    /**
     * The drain while Jetty still serves (see {@link RelayCore#drain(long)}), then Jetty and the
     * backend stop.
     */
    @Override
    public boolean stop() {
        long deadline = relay.deadline();
        boolean drained = relay.drain(deadline);
        server.setStopTimeout(Math.max(100, TimeUnit.NANOSECONDS.toMillis(RelayCore.remaining(deadline))));
        relay.stopTimers();
        stopServerQuietly();
        relay.closeBackend();
        return drained;
    }

    private void stopServerQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("server did not stop cleanly: {}", e.toString());
        }
    }
}
