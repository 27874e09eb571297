package io.github.socketdock.internal;

import java.time.Duration;

/**
 * The time rules of one connection, owned by its {@link RelayConnection}: the times they read
 * (kept here, on the relay's {@link Ticker}) and the one decision of what is due now. It acts on
 * nothing: the owner does what {@link #check} says.
 *
 * <ul>
 *   <li>A ping every ping interval; a client that then does not answer within the ping timeout,
 *       counted only while the relay waits for a frame (not while a slow backend or a full budget
 *       holds the reading), is dropped.</li>
 *   <li>No data frame either way for the idle timeout: closed with 1001.</li>
 *   <li>Queued frames that the client reads none of for the slow-client timeout: 1008, dropped.</li>
 *   <li>A close the relay started that the client does not answer within the ping timeout: dropped.</li>
 * </ul>
 */
final class KeepAlive {

    /** What is due. */
    enum Due {
        NOTHING, PING, PING_TIMEOUT, IDLE, SLOW_CLIENT, NO_CLOSE_REPLY
    }

    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration idleTimeout;
    private final Duration slowClientTimeout;
    /** Since when the relay has been waiting for a frame, or -1 while a frame is being handled. */
    private volatile long readingSince = -1;
    /** When the unanswered ping was sent, or -1. */
    private volatile long pingSentAt = -1;
    private volatile long lastPing;
    /** When the last data frame went either way. */
    private volatile long lastActivity;
    /** When the relay started closing, or -1. */
    private volatile long closeStartedAt = -1;

    KeepAlive(Settings settings, long now) {
        this.pingInterval = settings.pingInterval();
        this.pingTimeout = settings.pingTimeout();
        this.idleTimeout = settings.idleTimeout();
        this.slowClientTimeout = settings.slowClientTimeout();
        this.lastPing = now;
        this.lastActivity = now;
    }

    /** The relay demanded a frame: from now on it waits for the client. */
    void reading(long now) {
        readingSince = now;
    }

    /** A frame arrived (any frame answers a ping); a data frame is activity. */
    void arrived(long now, boolean data) {
        readingSince = -1;
        pingSentAt = -1;
        if (data) {
            lastActivity = now;
        }
    }

    /** A data frame was written to the client. */
    void written(long now) {
        lastActivity = now;
    }

    /** The relay started closing; the first call counts. */
    void closeStarted(long now) {
        if (closeStartedAt < 0) {
            closeStartedAt = now;
        }
    }

    /** A ping went out. */
    void pinged(long now) {
        lastPing = now;
        pingSentAt = now;
    }

    /**
     * @param now          the ticker's time
     * @param waitingSince since when queued frames have waited without progress, or -1
     * @return what is due now, the most serious first
     */
    Due check(long now, long waitingSince) {
        long closing = closeStartedAt;
        if (closing >= 0) {
            return now - closing >= pingTimeout.toNanos() ? Due.NO_CLOSE_REPLY : Due.NOTHING;
        }
        if (waitingSince >= 0 && now - waitingSince >= slowClientTimeout.toNanos()) {
            return Due.SLOW_CLIENT;
        }
        if (!idleTimeout.isZero() && now - lastActivity >= idleTimeout.toNanos()) {
            return Due.IDLE;
        }
        if (pingInterval.isZero()) {
            return Due.NOTHING;
        }
        long sent = pingSentAt;
        long reading = readingSince;
        if (sent >= 0) {
            return reading >= 0 && now - Math.max(sent, reading) >= pingTimeout.toNanos() ? Due.PING_TIMEOUT : Due.NOTHING;
        }
        return now - lastPing >= pingInterval.toNanos() ? Due.PING : Due.NOTHING;
    }

    /** @return the ping timeout, for the log lines of the owner */
    Duration pingTimeout() {
        return pingTimeout;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration slowClientTimeout() {
        return slowClientTimeout;
    }
}
