package io.github.socketdock.internal.relay;

import io.github.socketdock.CloseStatus;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A connection as its callback URLs reach it ({@link RelayCore#target}): open, or with its upgrade
 * still under way, when a frame sent waits in its queue and a close is applied once it opens.
 */
public interface CallbackTarget {

    /** @return its id */
    String id();

    /** @return the client's address, or null if unknown */
    InetSocketAddress remoteAddress();

    /**
     * Queues a frame: written in order once the socket is open, failed with
     * {@code ConnectionClosedException} if it never opens. A refusal is already set on the
     * returned future when this returns: {@code QueueFullException} (a queue or the budget is
     * full), {@code IllegalArgumentException} (the frame is larger than a message may be),
     * {@code ConnectionClosedException} (the connection closed since it was found).
     */
    CompletableFuture<Void> send(OutFrame frame);

    /**
     * Queues a frame as {@link #send} does and proves its receipt (see {@code Receipts}). A
     * refusal is {@link #send}'s, or {@code QueueFullException} when as many receipts wait as
     * frames may be queued; otherwise the result completes with the receipt.
     *
     * @param within positive; at most the max receipt wait is waited
     * @throws IllegalArgumentException if {@code within} is not positive
     */
    CompletableFuture<io.github.socketdock.Receipt> sendWithReceipt(OutFrame frame, java.time.Duration within);

    /**
     * Pings the client now.
     *
     * @param within positive; at most the max receipt wait is waited
     * @return the round trip once its pong came; fails with a {@code TimeoutException} after
     *     {@code within}, a {@code ConnectionClosedException}, or {@code QueueFullException} when
     *     too many probes wait
     */
    CompletableFuture<java.time.Duration> probe(java.time.Duration within);

    /** @return when it opened and how long ago the client last proved it was there */
    Liveness liveness();

    /**
     * @param openedAt when the socket opened; null while its upgrade is under way
     * @param lastSeen time since the client's last frame (a pong, a ping, data)
     */
    record Liveness(java.time.Instant openedAt, java.time.Duration lastSeen) {
    }

    /** @return completes once the socket is open (frames sent before are then queued), fails if it never opens */
    CompletableFuture<Void> upgraded();

    /** Starts a close handshake with any code, including ones reserved for servers such as 1011. */
    void close(CloseStatus status);
}
