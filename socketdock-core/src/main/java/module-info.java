/**
 * SocketDock: an embeddable WebSocket relay that turns every socket event into a call on a
 * backend.
 *
 * <p>The public API is {@link io.github.socketdock} (start with
 * {@link io.github.socketdock.SocketDock#builder()}) and {@link io.github.socketdock.http} (the
 * {@code http} backend's options and the webhook-signature verifier). The module exports nothing
 * else to applications: no package under {@code io.github.socketdock.internal} is exported or
 * opened, to anyone (Jetty reaches the relay through the interfaces it implements, never by
 * reflection), and {@code io.github.socketdock.mount}, the one door the adapter modules
 * {@code io.github.socketdock.jetty} and {@code io.github.socketdock.javalin} use, is exported to
 * them alone; it is not an API and may change in any release.
 *
 * <p>Jetty, gson and slf4j are implementation dependencies: no type of theirs appears in the API,
 * so an application's module needs only {@code requires io.github.socketdock;}. Metrics libraries
 * hear the relay through {@link io.github.socketdock.SocketDockListener}; Micrometer's listener is
 * the module {@code io.github.socketdock.micrometer}.
 */
module io.github.socketdock {
    exports io.github.socketdock;
    exports io.github.socketdock.http;
    // how the adapter modules mount a SocketDock on a host's Jetty server: theirs only, not an API
    exports io.github.socketdock.mount to io.github.socketdock.jetty, io.github.socketdock.javalin;

    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.client;
    // Jetty's WebSocket core (the endpoint is a core FrameHandler; Jetty's WebSocket API is not used)
    requires org.eclipse.jetty.websocket.core.server;
    requires org.eclipse.jetty.websocket.core.common;
    requires com.google.gson;
    requires org.slf4j;
}
