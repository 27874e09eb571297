package io.github.socketdock.internal;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Message;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket, from open to close: registers the connection and delivers its events to
 * the backend one at a time, in order, under explicit demand.
 *
 * <p>Flow control: frames arrive as fragments (at most the container's frame size each), one per
 * demand. The next fragment is demanded only when the backend's stage for the previous event
 * completed and the process-wide byte budget has room, so a slow backend or a full budget stops
 * the reading of this socket (TCP pushes back on the client) without holding a thread or any
 * other socket. The disconnect is chained after the last stage, so the backend sees connect,
 * messages and disconnect in that order, the disconnect once.
 *
 * <p>Housekeeping ({@link #housekeep}, called periodically): pings and the ping timeout, the idle
 * timeout, and the slow-client timeout.
 */
public final class WsEndpoint implements Session.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);

    private final DockContext dock;
    private final MessageAssembler assembler;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private final AtomicLong messagesIn = new AtomicLong();
    private volatile LiveConnection connection;
    private volatile Session session;
    /** The stage of the event now with the backend; the next event waits for it. */
    private volatile CompletableFuture<Void> current = CompletableFuture.completedFuture(null);
    /** How the connection ended when SocketDock ended it in a way the close code cannot tell. */
    private volatile CloseStatus override;
    /** Since when the endpoint has been waiting for a frame, or -1 while a frame is being handled. */
    private volatile long readingSince = -1;
    /** When the unanswered ping was sent, or -1. */
    private volatile long pingSentAt = -1;
    private volatile long lastPing = System.nanoTime();
    private long openedAt;
    /** Set once a message went over the maximum size: later fragments are dropped unread. */
    private boolean tooBig;
    /** Whether a demand is outstanding: Jetty takes one demand per frame. */
    private final AtomicBoolean demanding = new AtomicBoolean();
    /** When SocketDock started closing this connection, or -1: from then on it reads only to see the close. */
    private volatile long closeStartedAt = -1;
    /** Guards the hand-over of events to the backend, so the disconnect can never overtake one. */
    private final Object events = new Object();
    /** Set, under {@link #events}, once the disconnect has been chained: no event may follow it. */
    private boolean eventsClosed;

    /** The connection the backend already accepted ({@code ConnectMode.AUTHORIZE}), or null. */
    private final PendingConnection accepted;

    /** The client's address ({@link ClientAddress}); its admission against the limits is given back once. */
    private final InetSocketAddress remote;
    private final AtomicBoolean admissionReleased = new AtomicBoolean();

    /**
     * The upgrade request's headers, as the wire format gives them to the backend; dropped once
     * the connection holds its own copy, so an open connection keeps them once, not twice.
     */
    private Map<String, String> headers;

    WsEndpoint(DockContext dock, PendingConnection accepted, Map<String, String> headers, InetSocketAddress remote) {
        this.dock = dock;
        this.headers = headers;
        this.accepted = accepted;
        this.remote = remote;
        this.assembler = new MessageAssembler(dock.settings().maxMessageSize());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.openedAt = System.nanoTime();
        // not session.getRemoteSocketAddress(): that is the TCP peer's, blind to forwarded headers
        LiveConnection c = new LiveConnection(accepted != null ? accepted.id() : ConnectionIds.next(), session,
                headers, remote, dock.endpoint(),
                dock.settings().maxQueuedBytes(), dock.settings().maxMessageSize(), dock.budget(), dock.stats());
        headers = null;
        connection = c;
        c.onLocalClose(this::localCloseStarted);
        dock.registry().opened(c, this, finished);
        if (accepted != null) {
            dock.registry().notPending(c.id());
            accepted.open(c);
        }
        dock.stats().metrics.opened();
        LOG.info("connection {} opened from {}", c.id(), c.remoteAddress());
        if (accepted != null) {
            LOG.debug("connection {}: accepted by the backend before the upgrade", c.id());
            demandNext();
        } else {
            deliver(() -> dock.backend().onConnect(c), "connect", 0);
        }
    }

    @Override
    public void onWebSocketPartialText(String fragment, boolean last) {
        frameArrived(true);
        synchronized (events) {
            if (tooBig || eventsClosed || closeStartedAt >= 0) {
                demandNext();
                return;
            }
            try {
                dock.budget().reserve(assembler.addText(fragment));
            } catch (MessageAssembler.TooBig e) {
                tooBig();
                return;
            }
            if (last) {
                long size = assembler.size();
                deliverMessage(assembler.finishText(), size);
            } else {
                demandNext();
            }
        }
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer fragment, boolean last, Callback callback) {
        frameArrived(true);
        synchronized (events) {
            if (tooBig || eventsClosed || closeStartedAt >= 0) {
                callback.succeed();
                demandNext();
                return;
            }
            try {
                dock.budget().reserve(assembler.addBinary(fragment));
            } catch (MessageAssembler.TooBig e) {
                callback.succeed();
                tooBig();
                return;
            }
            callback.succeed();
            if (last) {
                long size = assembler.size();
                deliverMessage(assembler.finishBinary(), size);
            } else {
                demandNext();
            }
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        frameArrived(false);
        demandNext();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LiveConnection c = connection;
        if (c == null) {
            releaseAdmission();
        }
        LOG.debug("connection {}: {}", c == null ? "(not open)" : c.id(), cause.toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        releaseAdmission();
        LiveConnection c = connection;
        if (c == null || !disconnected.compareAndSet(false, true)) {
            return;
        }
        CloseStatus status = override != null ? override : new CloseStatus(statusCode, reason);
        dock.registry().closed(c, this);
        c.markClosed(status);
        dock.stats().metrics.closed(status.code());
        LOG.info("connection {} from {} closed: {} {} after {}, {} messages in, {} out", c.id(), c.remoteAddress(),
                status.code(), LogText.printable(status.reason()), Duration.ofNanos(System.nanoTime() - openedAt),
                messagesIn.get(), c.messagesOut());
        CompletableFuture<Void> last;
        long pending;
        synchronized (events) {
            eventsClosed = true;
            last = current;
            pending = assembler.discard();
        }
        if (pending > 0) {
            dock.budget().release(pending);
        }
        last.handle((v, x) -> null)
                .thenCompose(ignored -> Stages.call(() -> dock.backend().onDisconnect(c, status)))
                .whenComplete((v, x) -> {
                    if (x != null) {
                        LOG.warn("connection {}: backend failed to take the disconnect: {}", c.id(), LogText.rootMessage(x));
                    }
                    finished.complete(null);
                });
    }

    private void releaseAdmission() {
        if (admissionReleased.compareAndSet(false, true)) {
            dock.registry().release(remote != null ? remote.getAddress() : null);
        }
    }

    private void frameArrived(boolean data) {
        demanding.set(false);
        readingSince = -1;
        pingSentAt = -1;
        LiveConnection c = connection;
        if (data && c != null) {
            c.received();
        }
    }

    /**
     * SocketDock started closing this connection: read on, whatever the backend or the budget say,
     * so the client's close reply is seen and the disconnect follows; frames are dropped unread.
     */
    private void localCloseStarted() {
        if (closeStartedAt < 0) {
            closeStartedAt = System.nanoTime();
        }
        demandNow();
    }

    private void tooBig() {
        tooBig = true;
        LOG.info("connection {}: message over the maximum of {} bytes; closing with 1009", connection.id(),
                dock.settings().maxMessageSize());
        connection.closeNow(CloseStatus.MESSAGE_TOO_BIG, "message too big");
        demandNext();
    }

    private void deliverMessage(Message m, long size) {
        if (m.isEmpty()) {
            LOG.debug("connection {}: empty message skipped", connection.id());
            demandNext();
            return;
        }
        messagesIn.incrementAndGet();
        dock.stats().messageIn(size);
        deliver(() -> dock.backend().onMessage(connection, m), "message", size);
    }

    /**
     * Hands one event to the backend; releases its bytes from the budget and demands the next
     * frame when the backend has taken it.
     */
    private void deliver(Supplier<CompletionStage<Void>> event, String what, long size) {
        CompletableFuture<Void> stage;
        synchronized (events) {
            if (eventsClosed) {
                // the connection closed (on another thread) while this message arrived: its
                // disconnect is already on its way, and nothing may follow it
                LOG.debug("connection {}: {} after the close not delivered", connection.id(), what);
                if (size > 0) {
                    dock.budget().release(size);
                }
                return;
            }
            stage = Stages.call(event);
            current = stage;
        }
        stage.whenComplete((v, x) -> {
            if (size > 0) {
                dock.budget().release(size);
            }
            if (x == null) {
                demandNext();
            } else {
                LiveConnection c = connection;
                LOG.warn("connection {}: backend could not take the {}: {}; closing with 1011", c.id(), what, LogText.rootMessage(x));
                c.closeNow(CloseStatus.SERVER_ERROR, "backend unavailable");
                demandNext();
            }
        });
    }

    /**
     * Demands the next frame, at once or, when the byte budget is exhausted, once it drains (a
     * closing connection is read at once: its frames are dropped, and its close reply must be seen).
     */
    private void demandNext() {
        if (closeStartedAt >= 0) {
            demandNow();
        } else {
            dock.budget().whenBelowLimit(this::demandNow);
        }
    }

    /** Demands one frame unless one is already demanded or the connection has closed. */
    private void demandNow() {
        Session s = session;
        if (s != null && !disconnected.get() && demanding.compareAndSet(false, true)) {
            readingSince = System.nanoTime();
            s.demand();
        }
    }

    /**
     * Periodic checks: the slow-client timeout, the idle timeout, pings and the ping timeout.
     *
     * @param now the current {@link System#nanoTime()}
     */
    void housekeep(long now) {
        LiveConnection c = connection;
        Session s = session;
        if (c == null || s == null || disconnected.get()) {
            return;
        }
        Settings settings = dock.settings();
        long closing = closeStartedAt;
        if (closing >= 0) {
            if (now - closing >= settings.pingTimeout().toNanos()) {
                LOG.info("connection {}: no close reply within {}; dropping it", c.id(), settings.pingTimeout());
                c.drop();
            }
            return;
        }
        if (!s.isOpen()) {
            return;
        }
        long waiting = c.waitingSince();
        if (waiting >= 0 && now - waiting >= settings.slowClientTimeout().toNanos()) {
            LOG.info("connection {}: client read nothing for {} while frames waited; closing with 1008", c.id(),
                    settings.slowClientTimeout());
            override = new CloseStatus(CloseStatus.POLICY_VIOLATION, "slow client");
            c.closeNow(CloseStatus.POLICY_VIOLATION, "slow client");
            c.drop();
            return;
        }
        if (!settings.idleTimeout().isZero() && now - c.lastActivity() >= settings.idleTimeout().toNanos()) {
            LOG.info("connection {}: no data frame for {}; closing with 1001", c.id(), settings.idleTimeout());
            c.closeNow(CloseStatus.GOING_AWAY, "idle timeout");
            return;
        }
        if (settings.pingInterval().isZero()) {
            return;
        }
        long sent = pingSentAt;
        long reading = readingSince;
        if (sent >= 0) {
            if (reading >= 0 && now - Math.max(sent, reading) >= settings.pingTimeout().toNanos()) {
                LOG.info("connection {}: no answer to a ping within {}; dropping it", c.id(), settings.pingTimeout());
                override = new CloseStatus(CloseStatus.ABNORMAL, "ping timeout");
                c.drop();
            }
        } else if (now - lastPing >= settings.pingInterval().toNanos()) {
            lastPing = now;
            pingSentAt = now;
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }
}
