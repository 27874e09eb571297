package io.github.socketdock.examples;

import io.github.socketdock.Backends;
import io.github.socketdock.ControlApi;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.javalin.SocketDockJavalin;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A mediator's own Javalin 7 app, with a route of its own ({@code GET /hello}) and SocketDock
 * mounted at {@code /relay}: clients connect to {@code ws://…/relay/ws}, the mediator answers
 * through {@code POST /relay/socket/{id}/send} with the control token, all on the app's port.
 */
public final class MountedOnJavalin {

    private MountedOnJavalin() {
    }

    /**
     * The running app.
     *
     * @param javalin the mediator's app
     * @param relay   the SocketDock mounted on it
     */
    public record App(Javalin javalin, SocketDockJavalin relay) implements AutoCloseable {
        /** Stops the app: SocketDock drains first (every socket 1001, every disconnect posted). */
        @Override
        public void close() {
            javalin.stop();
        }
    }

    /**
     * Starts the app on 127.0.0.1.
     *
     * @param mediator     base URL of the HTTP mediator, e.g. {@code http://127.0.0.1:3000}
     * @param port         the app's port, 0 for any free one
     * @param controlToken the token the mediator sends with every callback (16 characters or more)
     * @return the started app
     */
    public static App start(URI mediator, int port, String controlToken) {
        SocketDock.Builder relay = SocketDock.builder()
                .backend(Backends.http(HttpBackendOptions.builder(mediator.resolve("/message"))
                        .connectUri(mediator.resolve("/connect"))
                        .disconnectUri(mediator.resolve("/disconnect")).build()))
                .endpoint(URI.create("http://127.0.0.1:" + port + "/relay")) // how the mediator reaches /relay
                .controlApi(ControlApi.defaults().withTokens(List.of(controlToken)));
        SocketDockJavalin[] mounted = new SocketDockJavalin[1];
        Javalin app = Javalin.create(config -> {
            config.routes.get("/hello", ctx -> ctx.result("hello from the mediator"));
            // runs before the mount's own modifyServer: binds the port now and, for port 0, puts the
            // bound port in the endpoint (with a fixed port the endpoint above is right as it is)
            config.jetty.modifyServer(server -> {
                ServerConnector http = new ServerConnector(server);
                http.setHost("127.0.0.1");
                http.setPort(port);
                try {
                    http.open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                server.addConnector(http);
                relay.endpoint(URI.create("http://127.0.0.1:" + http.getLocalPort() + "/relay"));
            });
            mounted[0] = SocketDockJavalin.mount(config, relay, "/relay");
        }).start(); // starts SocketDock too; app.stop() drains it first
        return new App(app, mounted[0]);
    }

    /**
     * Serves port 8080, relaying to the mediator at the first argument (default
     * http://127.0.0.1:3000), with the control token in {@code SOCKETDOCK_CONTROL_TOKEN}.
     *
     * @param args the mediator's URL, optional
     * @throws IOException if no token is set
     */
    public static void main(String[] args) throws IOException {
        String token = System.getenv("SOCKETDOCK_CONTROL_TOKEN");
        if (token == null) {
            throw new IOException("set SOCKETDOCK_CONTROL_TOKEN to a token of 16 characters or more");
        }
        App app = start(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:3000"), 8080, token);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "app-shutdown"));
        System.out.println("relaying " + app.relay().dock().uri() + "; callbacks at " + app.relay().dock().endpoint());
    }
}
