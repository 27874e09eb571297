package io.github.socketdock.internal.common;

import java.time.Duration;

/**
 * The relay's time: every rule that depends on time (ordering window, pings and the ping timeout,
 * idle and slow-client timeouts, retry backoff, the connect decision) reads {@link #nanos()} and
 * waits through {@link #schedule}, never {@code System.nanoTime()} or a scheduler of its own. The
 * relay runs on {@link #system()}; tests hand in a manual ticker whose time moves only when the
 * test says so, so a rule measured in seconds is tested in milliseconds.
 */
public interface Ticker {

    /** @return a monotonic time in nanoseconds, comparable only with other readings of this ticker */
    long nanos();

    /**
     * Runs {@code task} once {@code delay} has passed on this ticker, on a thread of the ticker's.
     * A task scheduled on a stopped ticker never runs.
     *
     * @return a handle that cancels the task if it has not run
     */
    Timer schedule(Runnable task, Duration delay);

    /** Starts the ticker's thread, if it has one; called once, by the relay that owns it. */
    default void start() {
    }

    /** Stops the ticker: tasks not yet run are dropped. */
    default void stop() {
    }

    /** A scheduled task. */
    interface Timer {
        /** Cancels the task; no effect if it ran already. */
        void cancel();
    }

    /** @return a new ticker on the system's monotonic clock, with one daemon thread of its own */
    static Ticker system() {
        return new SystemTicker();
    }
}
