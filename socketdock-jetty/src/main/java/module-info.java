/**
 * Mounts SocketDock on an existing Jetty 12.1 {@code Server}: see
 * {@link io.github.socketdock.jetty.SocketDockMount}.
 */
module io.github.socketdock.jetty {
    exports io.github.socketdock.jetty;

    requires transitive io.github.socketdock;
    // the host's Server appears in this module's API
    requires transitive org.eclipse.jetty.server;
}
