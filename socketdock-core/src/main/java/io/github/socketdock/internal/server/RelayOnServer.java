package io.github.socketdock.internal.server;

import io.github.socketdock.Connection;
import io.github.socketdock.SocketDockStats;
import io.github.socketdock.internal.relay.RelayCore;
import java.util.Optional;

/** What a running SocketDock answers from its relay alone, whichever server the relay runs on. */
abstract class RelayOnServer implements RunningDock {

    /** @return the relay core it carries: connections, limits, budget, backend */
    abstract RelayCore relay();

    @Override
    public SocketDockStats.Snapshot stats() {
        return relay().stats();
    }

    @Override
    public Optional<Connection> connection(String id) {
        return relay().connection(id);
    }

    @Override
    public int connectionCount() {
        return relay().connectionCount();
    }
}
