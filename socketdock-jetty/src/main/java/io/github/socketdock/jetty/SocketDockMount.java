package io.github.socketdock.jetty;

import io.github.socketdock.SocketDock;
import io.github.socketdock.mount.Mounting;
import org.eclipse.jetty.server.Server;

/**
 * Mounts a SocketDock on a Jetty 12.1 {@link Server} that the application already runs, under a
 * path prefix: clients connect to {@code <prefix>/ws} and the backend calls
 * {@code <prefix>/socket/{id}/send} and {@code <prefix>/socket/{id}/disconnect} on the host's own
 * port, with the host's TLS and thread pool.
 *
 * <pre>{@code
 * Server host = new Server();                          // the mediator's server, not started yet
 * ServerConnector http = new ServerConnector(host);
 * http.setPort(8080);
 * host.addConnector(http);
 * host.setHandler(mediatorRoutes);                     // the host's own handlers stay as they are
 *
 * SocketDock dock = SocketDockMount.mount(SocketDock.builder()
 *         .backend(Backends.http(HttpBackendOptions.builder(URI.create("http://mediator:9000/message")).build()))
 *         .endpoint(URI.create("http://mediator:8080/relay"))   // required: how the backend reaches /relay
 *         .controlApi(ControlApi.defaults().withTokens(List.of(token))), // or name an internal connector, below
 *         host, "/relay");
 * host.start();                                         // starts SocketDock too: ws://…:8080/relay/ws
 * …
 * host.stop();                                          // drains SocketDock first: every socket 1001
 * }</pre>
 *
 * <h2>What the host must provide</h2>
 * <ul>
 *   <li>Jetty 12.1.x (the version this library was built with, or a later 12.1), not yet started:
 *       Jetty builds a handler tree once, so mounting a started server fails with
 *       {@link IllegalStateException}.</li>
 *   <li>Its handler tree, any shape: the relay's {@code ContextHandler(prefix)} is placed first
 *       (set as the handler when there is none, added to a {@code ContextHandlerCollection},
 *       put in front of a {@code Handler.Sequence}, or else paired with the existing handler in a
 *       new sequence), so that no host handler that takes every request hides it. Requests
 *       outside the prefix never reach the relay.</li>
 *   <li>Its connectors: TLS, the port, HTTP settings and any forwarded-header customizer are the
 *       host connector's. The builder's {@code host}, {@code port}, {@code tls},
 *       {@code proxyProtocol} and {@code trustForwarded}, and a control API with a listener of its
 *       own ({@code ControlApi.withListener}), belong to a server of SocketDock's own and are
 *       refused here.</li>
 *   <li>No stop timeout: the drain does not rely on Jetty's graceful shutdown.</li>
 * </ul>
 *
 * <h2>The callback routes</h2>
 * They let whoever reaches them send to and close any socket, so a mount requires one of:
 * control tokens on the builder ({@code controlApi(ControlApi.defaults().withTokens(...))}: the
 * backend then sends {@code Authorization: Bearer <token>} with every callback, others get 401),
 * or the name of a host connector that alone serves them ({@link #mount(SocketDock.Builder, Server, String,
 * String)}): an internal port the public cannot reach, which then serves no WebSocket, while the
 * other connectors serve no callback route. {@code endpoint(...)} is required either way, since
 * the relay cannot know how the backend reaches the host: the base URL with the prefix, e.g.
 * {@code http://mediator:8080/relay} (or the internal connector's address).
 *
 * <h2>Life</h2>
 * SocketDock follows the host. As the host starts it starts the backend and its timers (a backend
 * that cannot start fails the host's start). As the host begins to stop, before Jetty closes
 * its connectors, SocketDock drains: it refuses new upgrades with 503, closes every socket with
 * 1001 "going away", and waits (up to its shutdown timeout) for the backend to take every
 * disconnect; a late {@code /send} to a closed socket still gets 410. {@link SocketDock#close()}
 * before the host stops drains the same way, then detaches: the host keeps running and
 * {@code <prefix>/…} gets what the host answers for a path it does not know (usually 404).
 *
 * <h2>Threads</h2>
 * The relay runs on the host's thread pool, with no pool of its own; the {@code http} backend's
 * client keeps its own small pool ({@code socketdock-backend-<n>}) and the timers one daemon thread.
 * {@link SocketDock#port()} and {@link SocketDock#uri()} answer once the host's connector is bound
 * (the host started, or the connector opened before): the port of the host's first network
 * connector other than the control one, and {@code ws://<its host>:<port><prefix>/ws}
 * ({@code wss://} on a TLS connector; 127.0.0.1 for a connector bound to every interface). Before
 * that they throw {@link IllegalStateException}. {@link SocketDock#endpoint()} is the one given.
 */
public final class SocketDockMount {

    private SocketDockMount() {
    }

    /**
     * Mounts the SocketDock {@code builder} describes on {@code host} under {@code prefix}, serving
     * every route on every host connector; the builder must set {@code endpoint(...)} and
     * control tokens ({@code controlApi(ControlApi.defaults().withTokens(...))}).
     *
     * @param builder the SocketDock's settings, backend included; built here
     * @param host    the host server, not started
     * @param prefix  the path the relay lives under, e.g. {@code /relay}
     * @return the SocketDock, which starts and stops with {@code host}; {@code close()} drains and detaches it
     * @throws IllegalArgumentException if a setting does not fit a mounted SocketDock, with a message naming it
     * @throws IllegalStateException    if {@code host} is already started
     */
    public static SocketDock mount(SocketDock.Builder builder, Server host, String prefix) {
        return Mounting.mount(builder, host, prefix, null);
    }

    /**
     * Mounts as {@link #mount(SocketDock.Builder, Server, String)}, with the callback routes (and
     * {@code /status}, {@code /metrics}) served only on the host connector named
     * {@code controlConnector}, and the WebSocket and health routes only on the others. Control
     * tokens are then optional. The connector must exist by the time the host starts (it fails
     * to start otherwise); name it with {@code connector.setName(...)}.
     *
     * @param builder          the SocketDock's settings, backend included; built here
     * @param host             the host server, not started
     * @param prefix           the path the relay lives under, e.g. {@code /relay}
     * @param controlConnector the name of the host connector that alone serves the control routes
     * @return the SocketDock, which starts and stops with {@code host}
     * @throws IllegalArgumentException if a setting does not fit a mounted SocketDock, with a message naming it
     * @throws IllegalStateException    if {@code host} is already started
     */
    public static SocketDock mount(SocketDock.Builder builder, Server host, String prefix, String controlConnector) {
        if (controlConnector == null) {
            throw new IllegalArgumentException("control connector name must not be null");
        }
        return Mounting.mount(builder, host, prefix, controlConnector);
    }
}
