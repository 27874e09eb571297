package io.github.socketdock;

/**
 * Fail the stage of {@link Backend#onConnect} with this exception, in {@link ConnectMode#AUTHORIZE}
 * mode, to refuse the client's handshake with an HTTP status of your choice (401 or 403 typically).
 */
public class ConnectionRefusedException extends SocketDockException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status the client gets: 400–499. */
    private final int status;

    /**
     * @param status the HTTP status the client gets: 400–499
     * @param reason why, for the logs; not sent to the client
     * @throws IllegalArgumentException if the status is not 4xx
     */
    public ConnectionRefusedException(int status, String reason) {
        super("connection refused with " + status + ": " + reason);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a refusal's status must be 400-499, got " + status);
        }
        this.status = status;
    }

    /** @return the HTTP status the client gets */
    public int status() {
        return status;
    }
}
