package io.github.socketdock;

import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what SocketDock accepts and holds: connections in all and from one address, the
 * largest message, the bytes waiting for one client and for the whole instance, and how long a
 * client may leave frames unread or a message unfinished. Together they bound its memory; the
 * README's "Memory bounds" section adds them up.
 *
 * <pre>{@code
 * SocketDock dock = SocketDock.builder()
 *         .limits(Limits.defaults()
 *                 .withMaxConnections(10_000)
 *                 .withMaxConnectionsPerAddress(20)
 *                 .withMaxMessageSize(1 << 20))              // 1 MiB
 *         .backend(backend)
 *         .build();
 * }</pre>
 *
 * <p>Immutable: each {@code with…} method checks its value and returns a new value, or throws
 * {@link IllegalArgumentException} with a message that names the setting ({@code max queued bytes
 * must be at least 1, got 0}). {@link #toString()} writes sizes and durations as the command line
 * takes them ({@code 4MiB}, {@code 60s}, {@code unlimited}).
 */
public final class Limits {

    /** Default largest message accepted in either direction: {@value} bytes (4 MiB), as the original. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 4_194_304L;
    /** Default bound on bytes waiting in one connection's outbound queue: {@value} (16 MiB). */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    /** Default time a client may leave frames unread while they wait: 60 seconds. */
    public static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(60);
    /** Default of {@link #withUnfinishedMessageTimeout(Duration)}: 30 seconds. */
    public static final Duration DEFAULT_UNFINISHED_MESSAGE_TIMEOUT = Duration.ofSeconds(30);

    /** The largest message Jetty's frame handling can hold: a little under 2 GiB. */
    private static final long LARGEST_MESSAGE = Integer.MAX_VALUE - 8;

    private static final Limits DEFAULTS = new Limits(0, 0, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_QUEUED_BYTES,
            Runtime.getRuntime().maxMemory() / 4, DEFAULT_SLOW_CLIENT_TIMEOUT, DEFAULT_UNFINISHED_MESSAGE_TIMEOUT);

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final long maxMessageSize;
    private final long maxQueuedBytes;
    private final long maxBufferedBytes;
    private final Duration slowClientTimeout;
    private final Duration unfinishedMessageTimeout;

    /** Every value passes through here, so the rules are checked in one place. */
    private Limits(int maxConnections, int maxConnectionsPerAddress, long maxMessageSize, long maxQueuedBytes,
                   long maxBufferedBytes, Duration slowClientTimeout, Duration unfinishedMessageTimeout) {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max connections must not be negative, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("max connections per address must not be negative, got "
                    + maxConnectionsPerAddress);
        }
        if (maxMessageSize < 1 || maxMessageSize > LARGEST_MESSAGE) {
            throw new IllegalArgumentException("max message size must be between 1 and " + LARGEST_MESSAGE
                    + " bytes, got " + maxMessageSize);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("max queued bytes must be at least 1, got " + maxQueuedBytes);
        }
        if (maxBufferedBytes < 1) {
            throw new IllegalArgumentException("max buffered bytes must be at least 1, got " + maxBufferedBytes);
        }
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.maxMessageSize = maxMessageSize;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxBufferedBytes = maxBufferedBytes;
        this.slowClientTimeout = Require.positive("slow client timeout", slowClientTimeout);
        this.unfinishedMessageTimeout = Require.positive("unfinished message timeout", unfinishedMessageTimeout);
    }

    /**
     * @return connections unlimited, messages up to 4 MiB, 16 MiB queued per connection, a quarter
     * of the maximum heap buffered in all, 60 seconds for a slow client, 30 for an unfinished message
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /**
     * Bound on open connections; beyond it new upgrades are refused with 503. Default zero:
     * unlimited.
     *
     * @param max zero (unlimited) or positive
     * @return these limits with that bound
     */
    public Limits withMaxConnections(int max) {
        return new Limits(max, maxConnectionsPerAddress, maxMessageSize, maxQueuedBytes, maxBufferedBytes,
                slowClientTimeout, unfinishedMessageTimeout);
    }

    /**
     * Bound on open connections from one client address; beyond it an upgrade from that address
     * is refused with 429. The address is the peer's, or the client's behind a load balancer with
     * {@link SocketDock.Builder#proxyProtocol(boolean)} or
     * {@link SocketDock.Builder#trustForwarded(boolean)}. Default zero: unlimited.
     *
     * @param max zero (unlimited) or positive
     * @return these limits with that bound
     */
    public Limits withMaxConnectionsPerAddress(int max) {
        return new Limits(maxConnections, max, maxMessageSize, maxQueuedBytes, maxBufferedBytes,
                slowClientTimeout, unfinishedMessageTimeout);
    }

    /**
     * The largest message accepted, from clients (a larger one closes the socket with 1009) and
     * on the send route (a larger body is refused with 413). Default 4 MiB.
     *
     * @param bytes at least 1, below 2 GiB
     * @return these limits with that size
     */
    public Limits withMaxMessageSize(long bytes) {
        return new Limits(maxConnections, maxConnectionsPerAddress, bytes, maxQueuedBytes, maxBufferedBytes,
                slowClientTimeout, unfinishedMessageTimeout);
    }

    /**
     * Bound on bytes waiting in one connection's outbound queue. A send beyond it fails with
     * {@link QueueFullException} (the send route answers 503). Default 16 MiB.
     *
     * @param bytes at least 1
     * @return these limits with that bound
     */
    public Limits withMaxQueuedBytes(long bytes) {
        return new Limits(maxConnections, maxConnectionsPerAddress, maxMessageSize, bytes, maxBufferedBytes,
                slowClientTimeout, unfinishedMessageTimeout);
    }

    /**
     * One budget for the whole SocketDock: the bytes of every frame waiting in an outbound queue
     * plus every inbound message not yet delivered to the backend. At the bound the send route
     * answers 503, {@link Connection#send(String)} fails with {@link QueueFullException}, and
     * sockets stop being read until it drains. Default a quarter of the maximum heap.
     *
     * @param bytes at least 1
     * @return these limits with that budget
     */
    public Limits withMaxBufferedBytes(long bytes) {
        return new Limits(maxConnections, maxConnectionsPerAddress, maxMessageSize, maxQueuedBytes, bytes,
                slowClientTimeout, unfinishedMessageTimeout);
    }

    /**
     * Closes a connection with 1008 "slow client" when frames wait in its outbound queue and the
     * client has read none of them for this long. Default 60 seconds.
     *
     * @param timeout positive
     * @return these limits with that timeout
     */
    public Limits withSlowClientTimeout(Duration timeout) {
        return new Limits(maxConnections, maxConnectionsPerAddress, maxMessageSize, maxQueuedBytes, maxBufferedBytes,
                timeout, unfinishedMessageTimeout);
    }

    /**
     * How long a client may take to finish a message once it holds part of the byte budget: from
     * its first fragment that is not also its last, to its last. Past it the connection is closed
     * with 1008 "message not finished in time", and what the message held is given back at once,
     * so clients that begin messages and never end them cannot keep the budget from others. (A
     * message larger than 64 KiB waits, unread, until the budget can take the largest message, and
     * any socket waits while the budget is spent; those waits count too.) Default 30 seconds.
     *
     * @param timeout positive
     * @return these limits with that timeout
     */
    public Limits withUnfinishedMessageTimeout(Duration timeout) {
        return new Limits(maxConnections, maxConnectionsPerAddress, maxMessageSize, maxQueuedBytes, maxBufferedBytes,
                slowClientTimeout, timeout);
    }

    /** @return the bound on open connections; 0 for unlimited */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return the bound on open connections from one client address; 0 for unlimited */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** @return the largest message accepted in either direction, in bytes */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** @return the bound on bytes waiting in one connection's outbound queue */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** @return the bound on bytes buffered by the whole SocketDock, both ways */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** @return how long a client may leave its waiting frames unread */
    public Duration slowClientTimeout() {
        return slowClientTimeout;
    }

    /** @return how long a message may stay unfinished once it holds part of the budget */
    public Duration unfinishedMessageTimeout() {
        return unfinishedMessageTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits l && maxConnections == l.maxConnections
                && maxConnectionsPerAddress == l.maxConnectionsPerAddress && maxMessageSize == l.maxMessageSize
                && maxQueuedBytes == l.maxQueuedBytes && maxBufferedBytes == l.maxBufferedBytes
                && slowClientTimeout.equals(l.slowClientTimeout) && unfinishedMessageTimeout.equals(l.unfinishedMessageTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConnections, maxConnectionsPerAddress, maxMessageSize, maxQueuedBytes, maxBufferedBytes,
                slowClientTimeout, unfinishedMessageTimeout);
    }

    @Override
    public String toString() {
        return "Limits[" + settings() + "]";
    }

    /** @return the settings as {@code SocketDock.Builder}'s {@code limits} group writes them */
    String settings() {
        return "maxConnections=" + bound(maxConnections) + ", maxConnectionsPerAddress=" + bound(maxConnectionsPerAddress)
                + ", maxMessageSize=" + LogText.size(maxMessageSize) + ", maxQueuedBytes=" + LogText.size(maxQueuedBytes)
                + ", maxBufferedBytes=" + LogText.size(maxBufferedBytes)
                + ", slowClientTimeout=" + LogText.timeout(slowClientTimeout)
                + ", unfinishedMessageTimeout=" + LogText.timeout(unfinishedMessageTimeout);
    }

    private static String bound(int max) {
        return max == 0 || max == Integer.MAX_VALUE ? "unlimited" : Integer.toString(max);
    }
}
