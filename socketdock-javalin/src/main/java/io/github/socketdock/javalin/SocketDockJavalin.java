package io.github.socketdock.javalin;

import io.github.socketdock.SocketDock;
import io.github.socketdock.mount.Mounting;
import io.javalin.config.JavalinConfig;
import java.util.Objects;

/**
 * Mounts a SocketDock on a Javalin 7 app, under a path prefix: clients connect to
 * {@code <prefix>/ws} and the backend calls {@code <prefix>/socket/{id}/send} on the app's own
 * port, with its TLS and its thread pool, beside the app's routes.
 *
 * <pre>{@code
 * private SocketDockJavalin relay;                     // a field: the handle leaves the config lambda
 *
 * Javalin app = Javalin.create(config -> {
 *     config.routes.get("/hello", ctx -> ctx.result("the mediator's own route"));
 *     relay = SocketDockJavalin.mount(config, SocketDock.builder()
 *             .backend(Backends.http(HttpBackendOptions.builder(URI.create("http://mediator:9000/message")).build()))
 *             .endpoint(URI.create("http://mediator:8080/relay"))   // required: how the backend reaches /relay
 *             .controlApi(ControlApi.defaults().withTokens(List.of(token))), // or a control connector, below
 *         "/relay");
 * }).start(8080);                                      // ws://…:8080/relay/ws
 * relay.dock().connectionCount();                      // the SocketDock, once the app started
 * app.stop();                                          // drains SocketDock first: every socket 1001
 * }</pre>
 *
 * <p>It runs on the Jetty 12.1 server inside Javalin, through {@code config.jetty.modifyServer}:
 * the relay's {@code ContextHandler(prefix)} goes in front of Javalin's servlet context (inside
 * its statistics handler), so a request under the prefix never reaches Javalin's router and a
 * Javalin route under the prefix is never seen. The SocketDock is built and mounted when the app
 * starts (the builder is read then; a setting that does not fit a mounted SocketDock fails
 * {@code start()} with an {@link IllegalArgumentException} naming it), started with the app's
 * Jetty server, and drained when the app stops ({@code serverStopping}, and again Jetty's own
 * stop, whichever comes first), before Jetty closes its connectors: every socket gets 1001 and
 * every disconnect reaches the backend. Javalin's default stop timeout (none) is fine.
 *
 * <p>Everything {@link io.github.socketdock.jetty.SocketDockMount} says holds here: the
 * {@code endpoint} is required, the callback routes need control tokens or a connector of their
 * own ({@link #mount(JavalinConfig, SocketDock.Builder, String, String)}, with a connector added by
 * {@code config.jetty.addConnector}), TLS and ports are the app's, and {@code close()} drains and
 * detaches the relay while the app keeps running (then {@code <prefix>/…} reaches Javalin, which
 * answers 404).
 *
 * <p>Javalin 7.2 brings Jetty's ee10 modules at its own Jetty version: keep every Jetty jar at one
 * 12.1 version (import {@code org.eclipse.jetty:jetty-bom} and
 * {@code org.eclipse.jetty.ee10:jetty-ee10-bom} at SocketDock's Jetty version). Javalin 6 runs on
 * Jetty 11 and cannot share a JVM with this library.
 */
public final class SocketDockJavalin {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SocketDockJavalin.class);

    private volatile SocketDock dock;

    private SocketDockJavalin() {
    }

    /**
     * Mounts the SocketDock {@code builder} describes on the app {@code config} configures, under
     * {@code prefix}; every route is served on every connector of the app, so the builder must set
     * {@code endpoint(...)} and control tokens ({@code controlApi(ControlApi.defaults().withTokens(...))}).
     *
     * @param config  the app's configuration, inside {@code Javalin.create(config -> …)}
     * @param builder the SocketDock's settings, backend included; built when the app starts
     * @param prefix  the path the relay lives under, e.g. {@code /relay}
     * @return the handle whose {@link #dock()} is the SocketDock once the app started
     */
    public static SocketDockJavalin mount(JavalinConfig config, SocketDock.Builder builder, String prefix) {
        return mount(config, builder, prefix, null);
    }

    /**
     * Mounts as {@link #mount(JavalinConfig, SocketDock.Builder, String)}, with the callback routes
     * served only on the connector named {@code controlConnector} (added with
     * {@code config.jetty.addConnector}, named with {@code setName}), and the WebSocket only on the
     * others; control tokens are then optional.
     *
     * @param config           the app's configuration
     * @param builder          the SocketDock's settings; built when the app starts
     * @param prefix           the path the relay lives under, e.g. {@code /relay}
     * @param controlConnector the name of the connector that alone serves the control routes, or
     *                         null to serve them on every connector (behind control tokens)
     * @return the handle whose {@link #dock()} is the SocketDock once the app started
     */
    public static SocketDockJavalin mount(JavalinConfig config, SocketDock.Builder builder, String prefix,
                                          String controlConnector) {
        Objects.requireNonNull(config, "javalin config");
        Objects.requireNonNull(builder, "builder");
        SocketDockJavalin handle = new SocketDockJavalin();
        config.jetty.modifyServer(server -> handle.dock = Mounting.mount(builder, server, prefix, controlConnector));
        config.events.serverStopping(() -> {
            SocketDock d = handle.dock;
            if (d != null) {
                try {
                    d.close();
                } catch (RuntimeException e) {
                    // Javalin fires this outside its try: a failure here would keep the server from stopping
                    LOG.warn("SocketDock's drain failed: {}", e.toString());
                }
            }
        });
        return handle;
    }

    /**
     * @return the mounted SocketDock: {@code connection(id)}, {@code stats()}, {@code uri()} and
     * {@code close()}
     * @throws IllegalStateException before the app is started
     */
    public SocketDock dock() {
        SocketDock d = dock;
        if (d == null) {
            throw new IllegalStateException("SocketDock is mounted when the Javalin app starts: call dock() after start()");
        }
        return d;
    }
}
