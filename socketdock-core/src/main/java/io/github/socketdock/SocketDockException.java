package io.github.socketdock;

/**
 * SocketDock could not do what was asked, for a reason worth telling an operator: the port is
 * already taken, the address cannot be bound, the backend failed to start. The message says what
 * happened and what to change.
 */
public class SocketDockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened and what to do about it
     */
    public SocketDockException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do about it
     * @param cause   the underlying failure
     */
    public SocketDockException(String message, Throwable cause) {
        super(message, cause);
    }
}
