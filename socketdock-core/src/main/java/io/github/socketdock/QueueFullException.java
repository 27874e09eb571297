package io.github.socketdock;

/**
 * A frame could not be sent because the connection's outbound queue is full: the client is not
 * reading as fast as frames are sent to it. The frame was not queued; the connection stays open.
 * Try again later. Stages returned by {@link Connection#send(String)} and its siblings fail with
 * this exception at once, without waiting.
 */
public class QueueFullException extends SocketDockException {

    private static final long serialVersionUID = 1L;

    /**
     * @param connectionId the id of the connection
     * @param queuedBytes  bytes already queued
     * @param limit        the bound on queued bytes
     */
    public QueueFullException(String connectionId, long queuedBytes, long limit) {
        super("outbound queue of connection " + connectionId + " is full (" + queuedBytes + " of " + limit
                + " bytes queued); the client reads too slowly");
    }

    private QueueFullException(String message) {
        super(message);
    }

    /**
     * @param connectionId the id of the connection
     * @param waiting      receipts waiting already, the bound
     * @return the refusal of a send with a receipt when that many receipts wait for the connection
     */
    public static QueueFullException receipts(String connectionId, int waiting) {
        return new QueueFullException("connection " + connectionId + " has " + waiting
                + " receipts waiting, its bound; the client reads too slowly or is gone");
    }

    /**
     * @param connectionId the id of the connection
     * @param waiting      probes waiting already, the bound
     * @return the refusal of a liveness probe when that many probes wait for the connection
     */
    public static QueueFullException probes(String connectionId, int waiting) {
        return new QueueFullException("connection " + connectionId + " has " + waiting
                + " probes waiting, its bound; try again later");
    }
}
