package io.github.socketdock.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.SocketDock;
import java.lang.reflect.Field;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.Test;

/**
 * Jetty runs a request on the selector's own thread when the whole handler tree says it never
 * blocks; SocketDock's routes may wait for a connection's lock, so the tree must say it blocks.
 * (Jetty's WebSocket API handler said so by itself; its core upgrade handler takes its child's
 * type, and without the wrapper's word the storm tests saw requests unanswered for seconds.)
 */
class HandlerInvocationTest {

    @Test
    void theHandlerTreeTellsJettyItMayBlock() throws Exception {
        try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(io.github.socketdock.Backends.loopback()).build().start()) {
            Field f = SocketDock.class.getDeclaredField("server");
            f.setAccessible(true);
            DockServer server = (DockServer) f.get(dock);
            assertThat(server.invocationType()).isEqualTo(Invocable.InvocationType.BLOCKING);
        }
    }
}
