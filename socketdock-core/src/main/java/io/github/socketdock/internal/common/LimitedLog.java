package io.github.socketdock.internal.common;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The lines a client can cause as often as it likes — connections opened, closed, refused and
 * paused (INFO on the connections logger), control requests refused for their token (WARN on the
 * control logger), events the backend refused or could not take (WARN on the backend logger: a
 * client's messages can make a backend answer 400 to each) — limited to a number a second per kind, so that no client makes the relay write
 * without bound. A line of a kind past its limit in a window is counted, and once the window is
 * over one line tells how many of that kind were left out. Windows are measured on the relay's
 * {@link Ticker}; {@link #flush()} (called by housekeeping, at least once a second) writes the count
 * of a window that ended with no later line of its kind.
 */
public final class LimitedLog {

    /** What a line is about; each kind has its own limit, logger and level. */
    public enum Kind {
        OPENED("connection opened", Logs.CONNECTIONS, Level.INFO),
        CLOSED("connection closed", Logs.CONNECTIONS, Level.INFO),
        REFUSED("connection refused", Logs.CONNECTIONS, Level.INFO),
        PAUSED("connection paused", Logs.CONNECTIONS, Level.INFO),
        CONTROL_REFUSED("control request refused", Logs.CONTROL, Level.WARN),
        BACKEND_REFUSED("backend refusal", Logs.BACKEND, Level.WARN),
        LISTENER_FAILED("listener failure", Logs.SERVER, Level.WARN);

        private final String what;
        private final Logger log;
        private final Level level;

        Kind(String what, Logger log, Level level) {
            this.what = what;
            this.log = log;
            this.level = level;
        }
    }

    /** Lines written per kind and window by default. */
    public static final int DEFAULT_PER_WINDOW = 10;
    /** The window: a second. */
    static final Duration WINDOW = Duration.ofSeconds(1);

    private final Ticker ticker;
    private final int perWindow;
    private final Map<Kind, Window> windows = new EnumMap<>(Kind.class);

    /**
     * @param ticker    the relay's time
     * @param perWindow lines per kind a window may hold
     */
    public LimitedLog(Ticker ticker, int perWindow) {
        this.ticker = ticker;
        this.perWindow = perWindow;
        for (Kind k : Kind.values()) {
            windows.put(k, new Window());
        }
    }

    /**
     * Writes a line of this kind unless the kind's window is full (it is then counted).
     *
     * @param kind   what the line is about
     * @param format an SLF4J message format
     * @param args   its arguments
     */
    public void log(Kind kind, String format, Object... args) {
        if (take(kind)) {
            kind.log.atLevel(kind.level).log(format, args);
        }
    }

    /**
     * As {@link #log(Kind, String, Object...)}, for a line about one connection: it carries the
     * connection's MDC keys (put only when the line is written).
     *
     * @param connectionId the connection's id
     * @param remote       its client's address, or null
     */
    public void log(Kind kind, String connectionId, SocketAddress remote, String format, Object... args) {
        if (take(kind)) {
            try (Logs.Scope ignored = Logs.connection(connectionId, remote)) {
                kind.log.atLevel(kind.level).log(format, args);
            }
        }
    }

    /** @return whether a line of this kind may be written now; if not, it is counted */
    private boolean take(Kind kind) {
        if (!kind.log.isEnabledForLevel(kind.level)) {
            return false;
        }
        long leftOut;
        boolean write;
        Window w = windows.get(kind);
        synchronized (w) {
            leftOut = w.roll(ticker.nanos());
            write = w.written < perWindow;
            if (write) {
                w.written++;
            } else {
                w.leftOut++;
            }
        }
        report(kind, leftOut);
        return write;
    }

    /** Writes the count of every kind whose window is over with lines left out. */
    public void flush() {
        flush(false);
    }

    /** Writes the count of every kind with lines left out, its window over or not: the relay is stopping. */
    public void flushAll() {
        flush(true);
    }

    private void flush(boolean all) {
        long now = ticker.nanos();
        for (Map.Entry<Kind, Window> e : windows.entrySet()) {
            long leftOut;
            synchronized (e.getValue()) {
                leftOut = all ? e.getValue().end() : e.getValue().roll(now);
            }
            report(e.getKey(), leftOut);
        }
    }

    /** Writes the count, without the MDC of whichever connection's line found the window over. */
    private void report(Kind kind, long leftOut) {
        if (leftOut > 0) {
            try (Logs.Scope ignored = Logs.none()) {
                kind.log.atLevel(kind.level).log("{} left out in a {} window (at most {} a second are written)",
                        LogText.count(leftOut, "'" + kind.what + "' line"), LogText.duration(WINDOW), perWindow);
            }
        }
    }

    /** One kind's current window. Guarded by itself. */
    private static final class Window {
        private long start = Long.MIN_VALUE;
        private int written;
        private long leftOut;

        /** Ends this window at once; @return the lines it left out */
        long end() {
            long ended = leftOut;
            leftOut = 0;
            return ended;
        }

        /** Starts a new window if this one is over; @return the lines the ended window left out */
        long roll(long now) {
            if (start != Long.MIN_VALUE && now - start < WINDOW.toNanos()) {
                return 0;
            }
            long ended = leftOut;
            start = now;
            written = 0;
            leftOut = 0;
            return ended;
        }
    }
}
