package io.github.socketdock.internal.relay;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDockException;
import io.github.socketdock.SocketDockStats;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Ticker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.slf4j.Logger;

/**
 * The relay core of one running SocketDock, as the server that carries it sees it: the one entry
 * point of this package for the {@code server} layer, which routes requests to it and never
 * names a connection's class, the registry, the limits or the budget.
 *
 * <p>It assembles the parts: the validated {@link Settings}, the connection registry, the
 * connection limits, the process-wide byte budget, the {@link Events} (the dock's own counter and
 * its listeners), the origin policy, the connect gate, the housekeeping and the backend's start.
 * What it offers:
 * <ul>
 *   <li><b>upgrades of {@code /ws}</b>: {@link #configure} the WebSocket limits,
 *       {@link #gate} the upgrade handler (the backend decides each upgrade in
 *       {@code AUTHORIZE} mode), {@link #accept} an upgrade (a connection, or a refusal written);</li>
 *   <li><b>callbacks</b>: {@link #target} finds the connection a callback URL names, and the
 *       {@code /send} body's share of the byte budget is {@link #tryReserve reserved} and
 *       {@link #release released} here;</li>
 *   <li><b>reports</b>: {@link #stats}, {@link #connection}, the counts, {@link #ready};</li>
 *   <li><b>its life</b>: {@link #start(URI)} before the server serves, {@link #serving()} once it
 *       does, {@link #drain(long)} while it still serves, then {@link #stopTimers()} and
 *       {@link #closeBackend()}; {@link #abort()} after a failed start.</li>
 * </ul>
 */
public final class RelayCore {

    private static final Logger LOG = Logs.SERVER;

    private final Settings settings;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Admissions admissions;
    private final Ticker ticker;
    private final Events events;
    private final ByteBudget budget;
    private final Upgrades upgrades;
    private final LimitedLog limitedLog;
    private final Executor threads;
    private volatile DockContext context;
    private volatile boolean draining;
    /** Set once serving: {@link #ready()} while serving and not draining. */
    private volatile boolean started;
    private volatile boolean stopped;
    private boolean backendStarted;

    /**
     * @param ticker     the relay's time, started by {@link #start(URI)}
     * @param threads    the server's threads, where a busy socket goes to the back of the line
     * @param limitedLog the rate-limited log lines (shared with the connectors' PROXY protocol)
     */
    public RelayCore(Settings settings, Ticker ticker, Executor threads, LimitedLog limitedLog) {
        this.settings = settings;
        this.ticker = ticker;
        this.threads = threads;
        this.limitedLog = limitedLog;
        Limits limits = settings.limits();
        this.admissions = new Admissions(limits.maxConnections(), limits.maxConnectionsPerAddress());
        this.budget = new ByteBudget(limits.maxBufferedBytes(), threads);
        this.events = new Events(new SocketDockStats(), settings.observers().listeners(), limitedLog);
        this.upgrades = new Upgrades(settings, admissions, limitedLog, () -> context, () -> draining);
    }

    /** @return the validated settings it runs with */
    public Settings settings() {
        return settings;
    }

    /** @return the rate-limited log lines, for those a client can cause at will */
    public LimitedLog limitedLog() {
        return limitedLog;
    }

    // ---- its life

    /**
     * Starts the ticker and the backend, with callback URLs built on {@code endpoint}. Call before
     * the server serves; on failure call {@link #abort()}.
     *
     * @throws SocketDockException if the backend fails to start
     */
    public void start(URI endpoint) {
        ticker.start();
        context = new DockContext(settings, endpoint, registry, admissions, budget, events, ticker, threads, limitedLog);
        Backend backend = settings.backend();
        try {
            if (backend instanceof BuiltInBackend builtIn) {
                builtIn.start(context);
            } else {
                backend.start();
            }
            backendStarted = true;
        } catch (Exception e) {
            throw new SocketDockException("backend failed to start: " + e.getMessage(), e);
        }
    }

    /** The server serves: housekeeping starts and {@link #ready()} answers true. */
    public void serving() {
        scheduleHousekeeping();
        started = true;
    }

    /** @return whether it takes new connections: serving and not draining ({@code /readyz}) */
    public boolean ready() {
        return started && !draining;
    }

    /** After a failed start: stops the timers and what started, quietly. */
    public void abort() {
        stopTimers();
        if (backendStarted) {
            settings.backend().close();
        }
    }

    /** Housekeeping runs at a quarter of the shortest timeout it enforces, between 5 ms and 1 s. */
    private void scheduleHousekeeping() {
        long period = TimeUnit.SECONDS.toNanos(1);
        for (Duration d : List.of(settings.keepAlive().pingInterval(), settings.keepAlive().pingTimeout(),
                settings.keepAlive().idleTimeout(), settings.limits().slowClientTimeout(),
                settings.limits().unfinishedMessageTimeout())) {
            if (!d.isZero()) {
                period = Math.min(period, d.toNanos() / 4);
            }
        }
        Duration every = Duration.ofNanos(Math.max(period, TimeUnit.MILLISECONDS.toNanos(5)));
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            try {
                registry.housekeep(ticker.nanos());
                events.budgetSample(budget.used(), budget.limit());
                limitedLog.flush();
            } catch (RuntimeException e) {
                LOG.warn("housekeeping failed: {}", e.toString());
            }
            if (!stopped) {
                ticker.schedule(tick[0], every);
            }
        };
        ticker.schedule(tick[0], every);
    }

    /**
     * The drain, run while the server still serves (so a send to a closed socket gets 410): refuses
     * new upgrades with 503, closes every connection with 1001 "going away" (waiting for the close
     * replies at most half the shutdown timeout), and waits for the backend to take every
     * disconnect and for the http backend's calls under way to finish — all by {@code deadline}.
     *
     * @param deadline from {@link #deadline()}
     * @return true if every disconnect was taken and every backend call ended by the deadline;
     *     false if the deadline passed first, or the drain failed
     */
    public boolean drain(long deadline) {
        boolean drained = false;
        draining = true;
        int open = registry.openCount();
        if (open > 0) {
            LOG.info("closing {}", LogText.count(open, "connection"));
        }
        try {
            CompletableFuture<Void> finished = registry.closeAll(new CloseStatus(CloseStatus.GOING_AWAY, "going away"));
            awaitCloseReplies(deadline);
            finished.get(remaining(deadline), TimeUnit.NANOSECONDS);
            drained = !(settings.backend() instanceof BuiltInBackend builtIn)
                    || builtIn.awaitIdle(Duration.ofNanos(remaining(deadline)));
        } catch (TimeoutException e) {
            LOG.warn("shutdown timeout of {} passed with {} still closing", LogText.duration(settings.shutdownTimeout()),
                    LogText.count(registry.openCount(), "connection"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("drain failed: {}", e.getCause().toString());
        }
        limitedLog.flushAll(); // the ticker stops next: housekeeping will not write what was left out
        return drained;
    }

    /**
     * Waits for the clients' close replies, at most half of what is left of the shutdown timeout
     * (a client that does not reply within the ping timeout is dropped anyway, as after any close),
     * then drops the sockets still waiting for theirs: a client that never replies must not use up
     * the time the backend needs to take the disconnects.
     */
    private void awaitCloseReplies(long deadline) throws InterruptedException, ExecutionException {
        long wait = remaining(deadline) / 2;
        try {
            registry.allClosed().get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.info("dropping {} that did not answer the close within {}",
                    LogText.count(registry.openCount(), "connection"), LogText.duration(Duration.ofNanos(wait)));
            registry.dropAll();
        }
    }

    /** @return the drain's deadline if it starts now: the shutdown timeout from now */
    public long deadline() {
        return System.nanoTime() + settings.shutdownTimeout().toNanos();
    }

    /** @return the nanoseconds left until {@code deadline}, at least 0 */
    public static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Stops housekeeping and the timers. */
    public void stopTimers() {
        stopped = true;
        ticker.stop();
    }

    /** Closes the backend after the drain and the server's stop, and reports the budget's last level. */
    public void closeBackend() {
        try {
            settings.backend().close();
        } finally {
            events.budgetLevel(budget.used(), budget.limit());
        }
    }

    // ---- upgrades of /ws

    /** Sets the WebSocket limits of every socket: message and fragment size, outgoing frames, no idle timeout. */
    public void configure(Configuration container) {
        upgrades.configure(container);
    }

    /**
     * Call once, for the one upgrade handler of this core.
     *
     * @return {@code upgrade} behind the connect gate when the backend decides each upgrade
     *     ({@code AUTHORIZE}); else {@code upgrade} itself
     */
    public Handler gate(Handler upgrade) {
        return upgrades.gate(upgrade);
    }

    /**
     * The endpoint of an upgrade to {@code /ws}: the connection the gate accepted, or a new one; or
     * null once the refusal is written (503 draining, 403 origin, 429/503 over the limits, 400 an
     * upgrade the gate did not decide in {@code AUTHORIZE} mode).
     */
    public FrameHandler accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        return upgrades.accept(request, response, callback);
    }

    // ---- callbacks

    /**
     * @param id a well-formed connection id
     * @return the connection it names while a callback may still act on it (open, or its upgrade
     *     still under way); null if unknown or done
     */
    public CallbackTarget target(String id) {
        RelayConnection c = registry.find(id);
        return c != null && c.takesCallbacks() ? c : null;
    }

    /**
     * Reserves {@code bytes} of the byte budget for a {@code /send} body while it is read and
     * decoded, so a flood of large sends is refused up front instead of being read into memory.
     *
     * @return whether the budget had room; if so, {@link #release} gives the bytes back
     */
    public boolean tryReserve(long bytes) {
        return budget.tryReserve(bytes);
    }

    /** Gives back bytes {@link #tryReserve} reserved. */
    public void release(long bytes) {
        budget.release(bytes);
    }

    /** Tells the listeners a {@code /send} was answered: {@code id} if well-formed (else null), the status or 0. */
    public void sendAnswered(String id, int status) {
        events.sendAnswered(id, status);
    }

    // ---- reports

    /** @return the base of the callback URLs; null before {@link #start(URI)} */
    public URI endpoint() {
        DockContext c = context;
        return c == null ? null : c.endpoint();
    }

    /** @return the SocketDock's own counts, the budget's level read now */
    public SocketDockStats.Snapshot stats() {
        return events.stats().snapshot().withBufferedBytes(budget.used());
    }

    /** @return the open connection with this id, or empty */
    public Optional<Connection> connection(String id) {
        RelayConnection c = registry.find(id);
        return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
    }

    /** @return the number of open connections */
    public int connectionCount() {
        return registry.openCount();
    }

    /** @return the number of connections opened since the start */
    public long lifetimeCount() {
        return registry.lifetimeCount();
    }
}
