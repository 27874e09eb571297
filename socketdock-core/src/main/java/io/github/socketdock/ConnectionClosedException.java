package io.github.socketdock;

/**
 * A frame could not be sent because the connection is closed or closing. Stages returned by
 * {@link Connection#send(String)} and its siblings fail with this exception.
 */
public class ConnectionClosedException extends SocketDockException {

    private static final long serialVersionUID = 1L;

    /**
     * @param connectionId the id of the closed connection
     */
    public ConnectionClosedException(String connectionId) {
        super("connection " + connectionId + " is closed");
    }
}
