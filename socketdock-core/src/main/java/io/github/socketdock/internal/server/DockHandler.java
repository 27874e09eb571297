package io.github.socketdock.internal.server;

import io.github.socketdock.internal.common.Secrets;
import io.github.socketdock.internal.relay.RelayCore;
import io.github.socketdock.internal.relay.Settings;
import io.github.socketdock.internal.wire.WireFormat;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The relay's handler tree, on whichever Jetty {@code Server} it runs: its own ({@link DockServer})
 * or a host's, under a path prefix ({@link MountedDock}):
 * {@code upgrade(/ws) → Router(callback and probe routes)}, each part handing its work to the
 * {@link RelayCore}. It holds nothing of the server (no connector, no thread pool, no lifecycle of
 * Jetty's) and nothing of the relay (no connection, no limit, no budget): the core's owner starts,
 * drains and stops the core.
 */
final class DockHandler {

    private DockHandler() {
    }

    /**
     * @param components  the WebSocket components of the server (or of the context) it runs in
     * @param listenerOf  which listener a request came in on, or null when the control routes
     *                    share the public listener
     * @return the handler tree of {@code core}, to place in a server or a context
     */
    static Handler tree(RelayCore core, WebSocketComponents components, Function<Request, Router.Listener> listenerOf) {
        Settings settings = core.settings();
        Router router = new Router(listenerOf);
        ControlAccess access = new ControlAccess(Secrets.secrets(settings.control()), core.limitedLog());
        new ControlRoutes(core).addTo(router, access, access.required() || listenerOf != null);
        new ProbeRoutes(core::ready, settings.observers()).addTo(router, access);
        router.add("GET", WireFormat.WEBSOCKET_PATH, Router.Listener.PUBLIC, (request, response, callback, params) -> {
            response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            Answers.text(response, callback, HttpStatus.UPGRADE_REQUIRED_426,
                    "this is a WebSocket endpoint: send a WebSocket upgrade request");
        });
        // Jetty's WebSocket core, not its WebSocket API: the API's session keeps copies of the
        // upgrade request and response that hold on to the whole HTTP exchange (connection, parser,
        // request, attributes: about 3 KiB per socket for as long as it is open)
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler(components);
        upgrade.addMapping(WireFormat.WEBSOCKET_PATH, new WebSocketNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                return core.accept(request, response, callback);
            }

            @Override
            public void customize(Configuration container) {
                core.configure(container);
            }
        });
        upgrade.setHandler(router);
        return new Handler.Wrapper(core.gate(upgrade)) {
            /**
             * Blocking, as Jetty's WebSocket API handler declared itself: the core upgrade handler
             * takes its child's type (the router's, non-blocking), and Jetty then runs requests on
             * the selector's thread, where a route that waits for a connection's lock (a
             * disconnect while the connection hands a message on) stalls every socket of that
             * selector.
             */
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.BLOCKING;
            }

            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                // the control listener serves no WebSocket: its requests skip the upgrade handler
                return listenerOf != null && listenerOf.apply(request) == Router.Listener.CONTROL
                        ? router.handle(request, response, callback)
                        : super.handle(request, response, callback);
            }
        };
    }
}
