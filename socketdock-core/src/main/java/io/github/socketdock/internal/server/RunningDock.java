package io.github.socketdock.internal.server;

import io.github.socketdock.Connection;
import io.github.socketdock.SocketDockStats;
import java.net.URI;
import java.util.Optional;

/**
 * A started SocketDock as {@code SocketDock} sees it, whichever server it runs on: its own
 * ({@link DockServer}) or a host's ({@link MountedDock}).
 */
public interface RunningDock {

    /** @return the port clients connect to */
    int port();

    /** @return the port of the control listener, or -1 when the control routes share the public one */
    int controlPort();

    /** @return the WebSocket address clients connect to */
    URI webSocketUri();

    /** @return the base of the callback URLs */
    URI endpoint();

    /** @return what it has done since it started */
    SocketDockStats.Snapshot stats();

    /** @return the open connection with this id, or empty */
    Optional<Connection> connection(String id);

    /** @return the number of open connections */
    int connectionCount();

    /**
     * Drains (every socket 1001, every disconnect to the backend) and stops.
     *
     * @return whether the drain finished within the shutdown timeout
     */
    boolean stop();
}
