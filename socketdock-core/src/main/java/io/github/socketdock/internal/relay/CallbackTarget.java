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

    /** @return completes once the socket is open (frames sent before are then queued), fails if it never opens */
    CompletableFuture<Void> upgraded();

    /** Starts a close handshake with any code, including ones reserved for servers such as 1011. */
    void close(CloseStatus status);
}
