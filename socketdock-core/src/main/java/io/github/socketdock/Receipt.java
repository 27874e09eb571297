package io.github.socketdock;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a frame sent with {@link Connection#sendWithReceipt} provably reached the client: a
 * write is not delivery. A phone that slept or changed network keeps a "phantom" socket open for
 * many seconds, and every frame written into it is lost; only the client's answer proves it read.
 *
 * <p>SocketDock proves it with no help from the client's code: after the frame's write completed
 * it sends a ping, and every WebSocket client answers pings by itself (RFC 6455). TCP keeps order,
 * so the pong means the client's WebSocket stack read the frame first. The client's close frame in
 * answer to SocketDock's close proves the same for every frame written before that close.
 *
 * <pre>{@code
 * connection.sendWithReceipt(Message.text(json), Duration.ofSeconds(10)).thenAccept(receipt -> {
 *     if (receipt.delivered()) {
 *         queue.remove(messageId);      // the client has it
 *     }                                 // TIMEOUT or CLOSED: keep it, deliver it again later
 * });
 * }</pre>
 *
 * <p>{@link Status#TIMEOUT} means <em>not proven</em>, not lost: the frame may still reach the
 * client, so keep the message and tolerate a duplicate (DIDComm messages carry ids).
 *
 * <p>What is proven is that the client's WebSocket stack read the frame, not what the application
 * on top did with it.
 *
 * @param status    what is known
 * @param roundTrip for {@link Status#DELIVERED}: from the proving ping's send to its pong (or from
 *                  SocketDock's close to the client's answer), when known; null otherwise
 */
public record Receipt(Status status, Duration roundTrip) {

    /** What a receipt says. */
    public enum Status {
        /** The client's WebSocket stack provably read the frame. */
        DELIVERED,
        /** Not proven within the time asked for: the frame may still reach the client. */
        TIMEOUT,
        /** The connection closed before the frame was provably received. */
        CLOSED
    }

    private static final Receipt TIMED_OUT = new Receipt(Status.TIMEOUT, null);
    private static final Receipt CLOSED_FIRST = new Receipt(Status.CLOSED, null);

    /**
     * @param status    what is known
     * @param roundTrip the round trip, for a delivered frame when it is known; null otherwise
     */
    public Receipt {
        Objects.requireNonNull(status, "status");
        if (status != Status.DELIVERED && roundTrip != null) {
            throw new IllegalArgumentException("only a delivered frame has a round trip");
        }
        if (roundTrip != null && roundTrip.isNegative()) {
            throw new IllegalArgumentException("a round trip is not negative, got " + roundTrip);
        }
    }

    /**
     * @param roundTrip the proving ping's round trip; null if unknown
     * @return a receipt for a frame the client received
     */
    public static Receipt proven(Duration roundTrip) {
        return new Receipt(Status.DELIVERED, roundTrip);
    }

    /** @return a receipt for a frame not proven received in time */
    public static Receipt timedOut() {
        return TIMED_OUT;
    }

    /** @return a receipt for a frame whose connection closed before it was proven received */
    public static Receipt closed() {
        return CLOSED_FIRST;
    }

    /** @return whether the client provably received the frame */
    public boolean delivered() {
        return status == Status.DELIVERED;
    }
}
