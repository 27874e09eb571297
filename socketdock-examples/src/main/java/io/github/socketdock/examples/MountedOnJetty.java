package io.github.socketdock.examples;

import io.github.socketdock.Backends;
import io.github.socketdock.ControlApi;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.jetty.SocketDockMount;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A mediator's own Jetty 12 server, with a route of its own ({@code GET /hello}) and SocketDock
 * mounted at {@code /relay}: clients connect to {@code ws://…/relay/ws}, the mediator answers
 * through {@code POST /relay/socket/{id}/send} with the control token, all on one port.
 */
public final class MountedOnJetty {

    private MountedOnJetty() {
    }

    /**
     * The running host.
     *
     * @param server the mediator's Jetty server
     * @param dock   the SocketDock mounted on it
     */
    public record Host(Server server, SocketDock dock) implements AutoCloseable {
        /** Stops the host: SocketDock drains first (every socket 1001, every disconnect posted). */
        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("the host did not stop cleanly", e);
            }
        }
    }

    /**
     * Starts the host on 127.0.0.1.
     *
     * @param mediator     base URL of the HTTP mediator, e.g. {@code http://127.0.0.1:3000}
     * @param port         the host's port, 0 for any free one
     * @param controlToken the token the mediator sends with every callback (16 characters or more)
     * @return the started host
     * @throws Exception if the host cannot start
     */
    public static Host start(URI mediator, int port, String controlToken) throws Exception {
        Handler mediatorRoutes = new Handler.Abstract.NonBlocking() { // the mediator's own: GET /hello
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"/hello".equals(Request.getPathInContext(request))) {
                    return false;
                }
                Content.Sink.write(response, true, "hello from the mediator", callback);
                return true;
            }
        };
        Server server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(port);
        server.addConnector(http);
        http.open(); // bound before start, so that with port 0 the endpoint below knows its port
        server.setHandler(mediatorRoutes);
        SocketDock dock = SocketDockMount.mount(SocketDock.builder()
                .backend(Backends.http(HttpBackendOptions.builder(mediator.resolve("/message"))
                        .connectUri(mediator.resolve("/connect"))
                        .disconnectUri(mediator.resolve("/disconnect")).build()))
                .endpoint(URI.create("http://127.0.0.1:" + http.getLocalPort() + "/relay")) // how the mediator reaches /relay
                .controlApi(ControlApi.defaults().withTokens(List.of(controlToken))), server, "/relay");
        server.start(); // starts SocketDock too; server.stop() drains it first
        return new Host(server, dock);
    }

    /**
     * Serves port 8080, relaying to the mediator at the first argument (default
     * http://127.0.0.1:3000), with the control token in {@code SOCKETDOCK_CONTROL_TOKEN}.
     *
     * @param args the mediator's URL, optional
     * @throws Exception if the host cannot start
     */
    public static void main(String[] args) throws Exception {
        String token = System.getenv("SOCKETDOCK_CONTROL_TOKEN");
        if (token == null) {
            throw new IOException("set SOCKETDOCK_CONTROL_TOKEN to a token of 16 characters or more");
        }
        Host host = start(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:3000"), 8080, token);
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "host-shutdown"));
        System.out.println("relaying " + host.dock().uri() + "; callbacks at " + host.dock().endpoint());
        host.server().join();
    }
}
