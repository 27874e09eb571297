package io.github.socketdock.internal.relay;

import io.github.socketdock.internal.common.Ticker;
import java.time.Duration;

/**
 * The time rules of one connection, owned by its {@link RelayConnection}: the times they read
 * (kept here, on the relay's {@link Ticker}) and the one decision of what is due now. It acts on
 * nothing: the owner does what {@link #check} says.
 *
 * <ul>
 *   <li>A ping every ping interval; a client that then does not answer within the ping timeout is
 *       dropped, whether or not the relay is reading its messages (the owner reads ahead for the
 *       answer). Only while a frame of the client's waits unread is it neither pinged nor timed
 *       out: it has answered, and the relay is the one not reading.</li>
 *   <li>A message the client leaves unfinished for the unfinished-message timeout: closed with
 *       1008, and what it held of the budget given back.</li>
 *   <li>No data frame either way for the idle timeout: closed with 1001.</li>
 *   <li>Queued frames that the client reads none of for the slow-client timeout: 1008, dropped.</li>
 *   <li>A close the relay started that the client does not answer within the ping timeout: dropped.</li>
 * </ul>
 */
final class Deadlines {

    /** What is due. */
    enum Due {
        NOTHING, PING, PING_TIMEOUT, IDLE, SLOW_CLIENT, NO_CLOSE_REPLY, UNFINISHED
    }

    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration idleTimeout;
    private final Duration slowClientTimeout;
    private final Duration unfinishedTimeout;
    /** Since when the message being put together has held budget, or -1 if there is none. */
    private volatile long unfinishedSince = -1;
    /** When the unanswered ping was sent, or -1. */
    private volatile long pingSentAt = -1;
    private volatile long lastPing;
    /** When the last data frame went either way. */
    private volatile long lastActivity;
    /** When the client last proved it was there: any frame from it (a pong, a ping, data, its close). */
    private volatile long lastSeen;
    /** When the relay started closing, or -1. */
    private volatile long closeStartedAt = -1;

    Deadlines(Settings settings, long now) {
        this.pingInterval = settings.keepAlive().pingInterval();
        this.pingTimeout = settings.keepAlive().pingTimeout();
        this.idleTimeout = settings.keepAlive().idleTimeout();
        this.slowClientTimeout = settings.limits().slowClientTimeout();
        this.unfinishedTimeout = settings.limits().unfinishedMessageTimeout();
        this.lastPing = now;
        this.lastActivity = now;
        this.lastSeen = now;
    }

    /** A message began that is not finished in its first fragment: it holds budget from now on. */
    void messageStarted(long now) {
        if (unfinishedSince < 0) { // a later fragment of the same message does not restart its clock
            unfinishedSince = now;
        }
    }

    /** The message being put together was finished or dropped. */
    void messageEnded() {
        unfinishedSince = -1;
    }

    /** A frame arrived (any frame answers a ping); a data frame is activity. */
    void arrived(long now, boolean data) {
        pingSentAt = -1;
        lastSeen = now;
        if (data) {
            lastActivity = now;
        }
    }

    /** @return when the client last proved it was there (a frame from it), on the ticker */
    long lastSeen() {
        return lastSeen;
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

    /** @return whether a ping waits for its answer */
    boolean awaitingAnswer() {
        return pingSentAt >= 0;
    }

    /**
     * @param now          the ticker's time
     * @param waitingSince since when queued frames have waited without progress, or -1
     * @param canAnswer    false while a frame of the client's waits unread (no ping's answer could be seen)
     * @return what is due now, the most serious first
     */
    Due check(long now, long waitingSince, boolean canAnswer) {
        long closing = closeStartedAt;
        if (closing >= 0) {
            return now - closing >= pingTimeout.toNanos() ? Due.NO_CLOSE_REPLY : Due.NOTHING;
        }
        long unfinished = unfinishedSince;
        if (unfinished >= 0 && now - unfinished >= unfinishedTimeout.toNanos()) {
            return Due.UNFINISHED;
        }
        if (waitingSince >= 0 && now - waitingSince >= slowClientTimeout.toNanos()) {
            return Due.SLOW_CLIENT;
        }
        if (!idleTimeout.isZero() && now - lastActivity >= idleTimeout.toNanos()) {
            return Due.IDLE;
        }
        if (pingInterval.isZero() || !canAnswer) {
            return Due.NOTHING;
        }
        long sent = pingSentAt;
        if (sent >= 0) {
            return now - sent >= pingTimeout.toNanos() ? Due.PING_TIMEOUT : Due.NOTHING;
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

    Duration unfinishedTimeout() {
        return unfinishedTimeout;
    }
}
