package io.github.socketdock;

import io.github.socketdock.mount.Mounting;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The wire protocol of {@link HttpBackendWireIT}, every test of it, against a SocketDock mounted
 * on a host's Jetty server at {@code /relay} through {@link Mounting}, the door that
 * {@code socketdock-jetty}'s {@code SocketDockMount} and {@code socketdock-javalin} open: clients on
 * the host's public connector, the callback routes on its connector named {@code internal}.
 */
class MountedHttpBackendWireIT extends HttpBackendWireIT {

    @Override
    protected SocketDock start(SocketDock.Builder builder) {
        try {
            Server host = new Server();
            host.addConnector(connector(host, null));
            ServerConnector internal = connector(host, "internal");
            host.addConnector(internal);
            SocketDock mounted = Mounting.mount(
                    builder.endpoint(URI.create("http://127.0.0.1:" + internal.getLocalPort() + "/relay")),
                    host, "/relay", "internal");
            closer.add(host::stop); // after the dock, which the caller adds
            host.start();
            return mounted;
        } catch (Exception e) {
            throw new IllegalStateException("the host did not start", e);
        }
    }

    private static ServerConnector connector(Server host, String name) throws Exception {
        ServerConnector c = new ServerConnector(host);
        c.setName(name);
        c.setHost("127.0.0.1");
        c.setPort(0);
        c.open();
        return c;
    }

    @Override
    protected String route(String path) {
        return "/relay" + path;
    }

    @Override
    protected int controlPort() {
        return dock.controlPort();
    }

    @Override
    protected URI expectedEndpoint() {
        return URI.create("http://127.0.0.1:" + dock.controlPort() + "/relay");
    }
}
