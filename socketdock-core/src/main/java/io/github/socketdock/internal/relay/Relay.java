package io.github.socketdock.internal.relay;

import io.github.socketdock.ConnectMode;
import io.github.socketdock.Connection;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Ticker;
import java.util.function.Supplier;

/**
 * What a running SocketDock hands a {@link BuiltInBackend} at start: its byte budget, counters,
 * connect mode and ticker, a slot for the backend's own state on each connection, and the one
 * place that decides what a failed backend call does to a socket.
 */
public interface Relay {

    /** @return the process-wide byte budget, which the backend's request bodies count against */
    ByteBudget budget();

    /** @return the counters the backend counts into */
    Events events();

    /** @return whether the backend decides each upgrade ({@code AUTHORIZE}) or hears of it */
    ConnectMode connectMode();

    /** @return the relay's time */
    Ticker ticker();

    /** @return the rate-limited log lines, for those a client can cause at will (a backend's refusals) */
    LimitedLog limitedLog();

    /**
     * The backend could not take an event of {@code connection} after its retries: the socket is
     * closed with 1011 "backend unavailable", logged once with {@code event} and {@code cause}.
     */
    default void backendFailed(Connection connection, String event, Throwable cause) {
        RelayConnection.of(connection).backendFailed(event, cause);
    }

    /**
     * @return whether the message of {@code connection} being handed to the backend now (asked
     *     during {@code onMessage}) went past its allowance and holds a grant of the budget: the
     *     body of its call then counts in the share of large messages ({@link ByteBudget#reserveLarge})
     */
    default boolean largeMessage(Connection connection) {
        return connection instanceof RelayConnection r && r.deliveringLarge();
    }

    /**
     * @return the backend's state for {@code connection}, made by {@code create} on first use and
     *     dropped with the connection
     * @throws IllegalArgumentException if the connection is not one of a SocketDock's
     */
    default <T> T state(Connection connection, Supplier<T> create) {
        return RelayConnection.of(connection).backendState(create);
    }

    /**
     * @return a relay for a built-in backend started on its own: no budget bound, counters nobody
     *     reads, {@code NOTIFY}, the system's time on a timer thread started now, its lines limited
     *     (the count of those left out is written with the next line of their kind)
     */
    static Relay detached() {
        Ticker ticker = Ticker.system();
        ticker.start();
        ByteBudget budget = new ByteBudget(Long.MAX_VALUE);
        LimitedLog log = new LimitedLog(ticker, LimitedLog.DEFAULT_PER_WINDOW);
        Events events = Events.counting(log);
        return new Relay() {
            @Override
            public ByteBudget budget() {
                return budget;
            }

            @Override
            public Events events() {
                return events;
            }

            @Override
            public ConnectMode connectMode() {
                return ConnectMode.NOTIFY;
            }

            @Override
            public Ticker ticker() {
                return ticker;
            }

            @Override
            public LimitedLog limitedLog() {
                return log;
            }
        };
    }
}
