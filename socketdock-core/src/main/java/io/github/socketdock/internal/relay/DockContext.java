package io.github.socketdock.internal.relay;

import io.github.socketdock.Backend;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Ticker;
import java.net.URI;
import java.util.concurrent.Executor;

/**
 * What every part of one running SocketDock shares, and the {@link Relay} its built-in backend is
 * started with: its settings, the endpoint its callback URLs are built on, the connection registry,
 * the connection limits, the byte budget, the counters, the ticker, the server's threads and the
 * connection log.
 *
 * @param settings   the validated settings
 * @param endpoint   the base of the callback URLs
 * @param registry   the connections by id
 * @param admissions the connection limits
 * @param budget     the process-wide byte budget
 * @param stats      the counters
 * @param ticker     the relay's time
 * @param threads    the server's threads, where a busy socket goes to the back of the line
 * @param limitedLog the rate-limited lines about connections opened, closed and refused
 */
record DockContext(Settings settings, URI endpoint, ConnectionRegistry registry, Admissions admissions,
                   ByteBudget budget, Events events, Ticker ticker, Executor threads, LimitedLog limitedLog)
        implements Relay {

    Backend backend() {
        return settings.backend();
    }

    /** @return what a built-in backend adds to the close line of {@code c}, or null */
    String backendSummary(io.github.socketdock.Connection c) {
        return backend() instanceof BuiltInBackend b ? b.closeSummary(c) : null;
    }

    @Override
    public ConnectMode connectMode() {
        return settings.connect().mode();
    }
}
