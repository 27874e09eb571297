package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import java.net.URI;

/**
 * What every part of one running SocketDock shares: its settings, the endpoint its callback URLs
 * are built on, the connection registry, the byte budget, the counters and the backend.
 *
 * @param settings the validated settings
 * @param endpoint the base of the callback URLs
 * @param registry the connections
 * @param budget   the process-wide byte budget
 * @param stats    the counters
 */
record DockContext(Settings settings, URI endpoint, ConnectionRegistry registry, ByteBudget budget, RelayStats stats) {

    Backend backend() {
        return settings.backend();
    }
}
