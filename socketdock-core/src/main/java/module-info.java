/**
 * SocketDock: an embeddable WebSocket relay that turns every socket event into a call on a
 * backend.
 *
 * <p>The public API is {@link io.github.socketdock} (start with
 * {@link io.github.socketdock.SocketDock#builder()}) and {@link io.github.socketdock.http} (the
 * {@code http} backend's options and the webhook-signature verifier). The module exports nothing
 * else: {@code io.github.socketdock.internal} is opened at run time only so that Jetty can call
 * the WebSocket endpoint, is not visible to a compiler, and may change in any release.
 *
 * <p>Jetty, gson and slf4j are implementation dependencies: no type of theirs appears in the API,
 * so an application's module needs only {@code requires io.github.socketdock;}. Micrometer is
 * optional ({@code requires static}): it is needed only by an application that records metrics,
 * whose own module then requires {@code micrometer.core}.
 */
// micrometer-core has no module descriptor; its jar names itself micrometer.core (Automatic-Module-Name).
@SuppressWarnings("requires-automatic")
module io.github.socketdock {
    exports io.github.socketdock;
    exports io.github.socketdock.http;

    // Opened, not exported: code outside cannot compile against it. Jetty 12's WebSocket layer
    // builds the endpoint's method handles with MethodHandles.publicLookup(), which at run time
    // reaches only packages exported or opened to every module (jetty/jetty.project#11096); a
    // qualified export or opens to Jetty is not enough (both tried). ModularRuntimeIT in socketdock-examples
    // fails without this line.
    opens io.github.socketdock.internal;

    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.client;
    requires org.eclipse.jetty.websocket.api;
    requires org.eclipse.jetty.websocket.server;
    // LiveConnection hands a checked UTF-8 /send body to the core session as a TEXT frame's payload
    requires org.eclipse.jetty.websocket.common;
    requires org.eclipse.jetty.websocket.core.common;
    requires com.google.gson;
    requires org.slf4j;
    // Optional: only an application that calls Builder.meterRegistry needs Micrometer, and its own
    // module requires micrometer.core. Not transitive: javac would then demand Micrometer from
    // every module that requires this one (socketdock-examples did not compile).
    requires static micrometer.core;
}
