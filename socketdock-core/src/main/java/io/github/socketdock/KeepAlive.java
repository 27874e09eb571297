package io.github.socketdock;

import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * How SocketDock tells a live client from one that went away: a ping every
 * {@linkplain #pingInterval() ping interval}, answered within the {@linkplain #pingTimeout() ping
 * timeout}, optionally an {@linkplain #idleTimeout() idle timeout} for connections that carry
 * no data, and the rules of {@linkplain Receipt receipts}: how long one may be waited for at most
 * ({@linkplain #maxReceiptWait() max receipt wait}) and whether a socket whose receipt or probe
 * timed out is closed ({@linkplain #closeOnReceiptTimeout() close on receipt timeout}).
 *
 * <pre>{@code
 * SocketDock dock = SocketDock.builder()
 *         .keepAlive(KeepAlive.defaults()
 *                 .withPingInterval(Duration.ofSeconds(30))
 *                 .withIdleTimeout(Duration.ofMinutes(10)))
 *         .backend(backend)
 *         .build();
 * }</pre>
 *
 * <p>Immutable: each {@code with…} method checks its value and returns a new value, or throws
 * {@link IllegalArgumentException} with a message that names the setting ({@code ping timeout
 * must be positive, got PT0S}). {@link #toString()} writes durations as the command line takes
 * them: {@code KeepAlive[pingInterval=20s, pingTimeout=20s, idleTimeout=off, maxReceiptWait=30s,
 * closeOnReceiptTimeout=false]}.
 */
public final class KeepAlive {

    /** Default interval between pings to each client: 20 seconds. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
    /** Default time a client has to answer a ping: 20 seconds. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(20);
    /** Default longest wait for a receipt or a probe: 30 seconds. */
    public static final Duration DEFAULT_MAX_RECEIPT_WAIT = Duration.ofSeconds(30);

    private static final KeepAlive DEFAULTS = new KeepAlive(DEFAULT_PING_INTERVAL, DEFAULT_PING_TIMEOUT, Duration.ZERO,
            DEFAULT_MAX_RECEIPT_WAIT, false);

    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration idleTimeout;
    private final Duration maxReceiptWait;
    private final boolean closeOnReceiptTimeout;

    /** Every value passes through here, so the rules are checked in one place. */
    private KeepAlive(Duration pingInterval, Duration pingTimeout, Duration idleTimeout, Duration maxReceiptWait,
                      boolean closeOnReceiptTimeout) {
        this.pingInterval = Require.notNegative("ping interval", pingInterval);
        this.pingTimeout = Require.positive("ping timeout", pingTimeout);
        this.idleTimeout = Require.notNegative("idle timeout", idleTimeout);
        this.maxReceiptWait = Require.positive("max receipt wait", maxReceiptWait);
        this.closeOnReceiptTimeout = closeOnReceiptTimeout;
    }

    /** @return pings every 20 seconds, 20 seconds to answer one, no idle timeout */
    public static KeepAlive defaults() {
        return DEFAULTS;
    }

    /**
     * How often each client is pinged. A client that has not answered within the
     * {@linkplain #withPingTimeout(Duration) ping timeout} is dropped (its disconnect carries 1006
     * "ping timeout"). While the backend holds a connection's reading (a stage is pending), its
     * ping timeout does not run: nothing can be read from it then. Default 20 seconds; zero turns
     * pings off.
     *
     * @param interval zero or positive
     * @return these settings with that interval
     */
    public KeepAlive withPingInterval(Duration interval) {
        return new KeepAlive(interval, pingTimeout, idleTimeout, maxReceiptWait, closeOnReceiptTimeout);
    }

    /**
     * How long a client has to answer a ping, and to answer a close the relay started. Default 20
     * seconds.
     *
     * @param timeout positive
     * @return these settings with that timeout
     */
    public KeepAlive withPingTimeout(Duration timeout) {
        return new KeepAlive(pingInterval, timeout, idleTimeout, maxReceiptWait, closeOnReceiptTimeout);
    }

    /**
     * Closes a connection with 1001 "idle timeout" when no data frame went either way for this
     * long. Default zero: off.
     *
     * @param timeout zero (off) or positive
     * @return these settings with that timeout
     */
    public KeepAlive withIdleTimeout(Duration timeout) {
        return new KeepAlive(pingInterval, pingTimeout, timeout, maxReceiptWait, closeOnReceiptTimeout);
    }

    /**
     * The longest a receipt ({@link Connection#sendWithReceipt}, {@code /send?receipt=}) or a
     * liveness probe ({@code GET /socket/{id}?probe=}) may be waited for; a longer wait asked for
     * is shortened to this. Default 30 seconds.
     *
     * @param wait positive
     * @return these settings with that maximum
     */
    public KeepAlive withMaxReceiptWait(Duration wait) {
        return new KeepAlive(pingInterval, pingTimeout, idleTimeout, wait, closeOnReceiptTimeout);
    }

    /**
     * The dead-socket policy: when on, a socket whose receipt or probe timed out is closed with
     * 1001, and the backend's disconnect says 1006 "receipt timeout", so the client reconnects and
     * picks its messages up. Default off: a timeout only answers the one who asked.
     *
     * @param close whether to close such a socket
     * @return these settings with that policy
     */
    public KeepAlive withCloseOnReceiptTimeout(boolean close) {
        return new KeepAlive(pingInterval, pingTimeout, idleTimeout, maxReceiptWait, close);
    }

    /** @return the time between pings; zero when pings are off */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** @return the time a client has to answer a ping */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** @return the time without data frames after which a connection is closed; zero for never */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return the longest wait for a receipt or a probe */
    public Duration maxReceiptWait() {
        return maxReceiptWait;
    }

    /** @return whether a socket whose receipt or probe timed out is closed */
    public boolean closeOnReceiptTimeout() {
        return closeOnReceiptTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeepAlive k && pingInterval.equals(k.pingInterval) && pingTimeout.equals(k.pingTimeout)
                && idleTimeout.equals(k.idleTimeout) && maxReceiptWait.equals(k.maxReceiptWait)
                && closeOnReceiptTimeout == k.closeOnReceiptTimeout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pingInterval, pingTimeout, idleTimeout, maxReceiptWait, closeOnReceiptTimeout);
    }

    @Override
    public String toString() {
        return "KeepAlive[" + settings() + "]";
    }

    /** @return the settings as {@code SocketDock.Builder}'s {@code keep-alive} group writes them */
    String settings() {
        return "pingInterval=" + LogText.timeout(pingInterval) + ", pingTimeout=" + LogText.duration(pingTimeout)
                + ", idleTimeout=" + LogText.timeout(idleTimeout) + ", maxReceiptWait=" + LogText.duration(maxReceiptWait)
                + ", closeOnReceiptTimeout=" + closeOnReceiptTimeout;
    }
}
