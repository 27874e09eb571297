package io.github.socketdock.internal.relay;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.ConnectionClosedException;
import io.github.socketdock.Limits;
import io.github.socketdock.Message;
import io.github.socketdock.QueueFullException;
import io.github.socketdock.Receipt;
import io.github.socketdock.SocketDockListener;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Require;
import io.github.socketdock.internal.common.Stages;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.net.ClientAddress;
import io.github.socketdock.internal.wire.CallbackUrls;
import io.github.socketdock.internal.wire.ConnectionIds;
import io.github.socketdock.internal.wire.WireFormat;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One client connection, from the moment its id exists to the backend's taking of its
 * disconnect: the one owner of everything about it. It is the {@link Connection} the backend
 * gets and the endpoint Jetty calls, and it holds
 * <ul>
 *   <li>its identity (id, upgrade headers, client address, callback URLs);</li>
 *   <li>its life: {@code WAITING} (the upgrade is being decided or completed) → {@code OPEN} →
 *       {@code CLOSING} (SocketDock started the close) → {@code CLOSED}; or {@code WAITING} →
 *       {@code ABANDONED} (refused, or not open within the connect decision timeout). Every close
 *       goes through {@link #end}, which records why, once, and acts;</li>
 *   <li>its admission against the connection limits, given back once, when it closes or is abandoned;</li>
 *   <li>its inbound pipe: messages assembled under explicit demand and handed to the backend one
 *       at a time, in order, the disconnect chained after the last;</li>
 *   <li>its {@link OutboundQueue}, the one way frames go to the client, and its {@link Deadlines}
 *       times;</li>
 *   <li>a slot for the built-in backend's own state of it ({@link Relay#state}).</li>
 * </ul>
 *
 * <p>Flow control: a frame arrives as fragments (at most the container's frame size each), one
 * per demand. The next is demanded only when the backend's stage for the previous event completed
 * and the process-wide byte budget has room, so a slow backend or a full budget stops the reading
 * of this socket (TCP pushes back on the client) without holding a thread or any other socket. A
 * message past its allowance is read on only once the budget granted it room for the largest
 * message ({@link MessageBudget}), and one left unfinished too long is closed with 1008. While the
 * pipe is busy the socket is still read when a ping waits for its answer: a data frame that comes
 * first waits, alone, until the pipe takes it.
 */
final class RelayConnection implements Connection, CallbackUrls, CallbackTarget, FrameHandler {

    private static final org.slf4j.Logger LOG = Logs.CONNECTIONS;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** RFC 6455's "try again later": the upgrade completed after SocketDock had given up on it. */
    private static final int TRY_AGAIN_LATER = 1013;
    /** Frames a socket is read for on one thread before it goes to the back of the line ({@link #demandNow()}). */
    static final int DEMANDS_PER_TURN = 16;
    private static final CloseStatus NEVER_OPENED = new CloseStatus(CloseStatus.ABNORMAL, "upgrade did not complete");

    private enum Phase { WAITING, OPEN, CLOSING, CLOSED, ABANDONED }

    /** How {@link #end} closes: a close handshake, a dropped TCP connection, or a close frame and then the drop. */
    private enum How { HANDSHAKE, DROP, CLOSE_AND_DROP }

    private final String id;
    private final Map<String, String> headers;
    private final InetSocketAddress remote;
    /** The callback URLs as text, as every envelope carries them; {@link #sendUri()} parses on demand. */
    private final String sendUrl;
    private final String disconnectUrl;

    private final DockContext dock;
    private final Admissions.Admission admission;
    private final OutboundQueue outbound;
    /** Proof of delivery from the client's pongs; every ping to this client carries its counter. */
    private final Receipts receipts;
    private final Deadlines deadlines;
    private final MessageAssembler assembler;
    /** What the message being put together holds of the budget. Guarded by {@link #lock}. */
    private final MessageBudget inbound;

    /** Guards the life and the hand-over of events, so the disconnect can never overtake an event. */
    private final Object lock = new Object();
    private volatile Phase phase = Phase.WAITING;
    /** A close asked for before the socket opened, applied when it does. */
    private CloseStatus closeOnOpen;
    /** What the backend's disconnect says when SocketDock ended the connection (the close it sent, or why it dropped), or null. */
    private CloseStatus reported;
    /** Whether the backend accepted the connection before the upgrade: it is then owed a disconnect. */
    private boolean accepted;
    private final Ticker.Timer openDeadline;
    private final CompletableFuture<Void> decision = new CompletableFuture<>();
    private final CompletableFuture<Void> upgraded = new CompletableFuture<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile CoreSession session;
    /** Whether the message whose frames are arriving is text; set by its first frame, read by its continuations. */
    private boolean text;
    private long openedAt;
    /** When the socket opened, by the wall clock: what liveness reports, never a time rule. */
    private volatile java.time.Instant openedAtTime;

    /** The stage of the event now with the backend; the next event waits for it. Guarded by {@link #lock}. */
    private CompletableFuture<Void> current = DONE;
    /** Set, under {@link #lock}, once the disconnect has been chained: no event may follow it. */
    private boolean eventsClosed;
    /** Set once a message was refused (over the maximum size, or text that is not UTF-8): later fragments are dropped unread. */
    private boolean refusedMessage;
    /**
     * Whether the pipe is busy with a frame: from its arrival until the pipe can take the next
     * (the backend took the event, the budget has room, a grant was given). Guarded by {@link #lock}.
     */
    private boolean busy;
    /** Whether the message being handed to the backend holds a grant. Guarded by {@link #lock}. */
    private boolean deliveringLarge;
    /** A data frame that arrived while the pipe was busy (read for a ping's answer), or null. Guarded by {@link #lock}. */
    private Runnable early;
    /** Whether a demand is outstanding: Jetty takes one demand per frame. */
    private final AtomicBoolean demanding = new AtomicBoolean();
    /** Demands since the socket last gave its thread back; counted by whoever set {@link #demanding}, one at a time. */
    private int demandsThisTurn;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private volatile Object backendState;
    /** Whether this socket's stop at a full byte budget was told at INFO already (once is enough). */
    private volatile boolean budgetStopTold;

    /**
     * A connection whose upgrade was admitted; it is abandoned unless its socket opens within the
     * connect decision timeout.
     *
     * @param headers the upgrade request's headers, as the wire format gives them to the backend
     * @param remote  the client's address as {@link ClientAddress} tells it
     */
    RelayConnection(DockContext dock, Admissions.Admission admission, Map<String, String> headers,
                    InetSocketAddress remote) {
        this.id = ConnectionIds.next();
        this.dock = dock;
        this.admission = admission;
        this.headers = Map.copyOf(headers);
        this.remote = remote;
        this.sendUrl = WireFormat.sendUrl(dock.endpoint(), id);
        this.disconnectUrl = WireFormat.disconnectUrl(dock.endpoint(), id);
        Settings settings = dock.settings();
        Limits limits = settings.limits();
        this.assembler = new MessageAssembler(limits.maxMessageSize());
        this.inbound = new MessageBudget(dock.budget(), limits.maxMessageSize());
        this.deadlines = new Deadlines(settings, dock.ticker().nanos());
        this.outbound = new OutboundQueue(id, limits.maxQueuedBytes(), limits.maxMessageSize(), dock.budget(),
                dock.ticker(), this::written);
        this.receipts = new Receipts(id, dock.ticker(), OutboundQueue.MAX_QUEUED_FRAMES, this::ping, w -> receiptTimedOut());
        Duration limit = settings.connect().decisionTimeout();
        this.openDeadline = dock.ticker().schedule(() -> abandon(new TimeoutException(
                "not open within the connect decision timeout of " + limit)), limit);
    }

    /** @return {@code c} as the owner it is; @throws IllegalArgumentException for a connection of no SocketDock */
    static RelayConnection of(Connection c) {
        if (c instanceof RelayConnection r) {
            return r;
        }
        throw new IllegalArgumentException("not a connection of a SocketDock: " + c);
    }

    // ---- who it is

    @Override
    public String id() {
        return id;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public URI sendUri() {
        return URI.create(sendUrl);
    }

    @Override
    public URI disconnectUri() {
        return URI.create(disconnectUrl);
    }

    /** @return {@link #sendUri()} as text, without parsing it */
    @Override
    public String sendUrl() {
        return sendUrl;
    }

    /** @return {@link #disconnectUri()} as text, without parsing it */
    @Override
    public String disconnectUrl() {
        return disconnectUrl;
    }

    @Override
    public boolean isOpen() {
        CoreSession s = session;
        return phase == Phase.OPEN && s != null && s.isOutputOpen();
    }

    /** @return whether a callback may still act on it: open, or its upgrade still under way */
    boolean takesCallbacks() {
        return phase == Phase.WAITING || isOpen();
    }

    // ---- sending: every frame goes through send(OutFrame)

    @Override
    public CompletionStage<Void> send(String text) {
        return send(OutFrame.text(Objects.requireNonNull(text, "text")));
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer data) {
        return send(OutFrame.binary(Objects.requireNonNull(data, "data")));
    }

    @Override
    public CompletionStage<Void> send(byte[] data) {
        return send(OutFrame.binary(ByteBuffer.wrap(Objects.requireNonNull(data, "data"))));
    }

    /** Every frame goes to the client through here: the refusals are {@link OutboundQueue#offer}'s. */
    @Override
    public CompletableFuture<Void> send(OutFrame frame) {
        return outbound.offer(frame);
    }

    @Override
    public CompletionStage<Receipt> sendWithReceipt(Message message, Duration within) {
        Objects.requireNonNull(message, "message");
        OutFrame frame = message.isText() ? OutFrame.text(message.text()) : OutFrame.binary(message.data());
        CompletableFuture<Receipt> receipt = sendWithReceipt(frame, within);
        // a caller completing a pending stage cannot settle the receipt; a refusal stays itself
        return receipt.isDone() ? receipt : receipt.copy();
    }

    /**
     * Queues a frame and proves its receipt ({@link Receipts}): the refusals are {@link #send}'s,
     * and one more, {@link QueueFullException} when as many receipts wait as frames may be queued.
     *
     * @param within how long to wait for the proof, at most the max receipt wait
     */
    @Override
    public CompletableFuture<Receipt> sendWithReceipt(OutFrame frame, Duration within) {
        Duration wait = receiptWait(within);
        Receipts.Waiter w = receipts.expect(wait);
        if (w == null) {
            frame.releasePayload();
            return CompletableFuture.failedFuture(QueueFullException.receipts(id, receipts.waiting()));
        }
        if (w.result().isDone()) { // closed already
            frame.releasePayload();
            return CompletableFuture.failedFuture(new ConnectionClosedException(id));
        }
        CompletableFuture<Void> queued = outbound.offer(frame);
        if (queued.isCompletedExceptionally()) {
            receipts.notWritten(w);
            return CompletableFuture.failedFuture(queued.handle((v, x) -> x).getNow(null)); // the refusal itself
        }
        queued.whenComplete((v, x) -> {
            if (x == null) {
                receipts.written(w);
            } else {
                receipts.notWritten(w);
            }
        });
        return w.result();
    }

    /** @return {@code within}, at most the max receipt wait; @throws IllegalArgumentException unless positive */
    private Duration receiptWait(Duration within) {
        Require.positive("a receipt's wait", within);
        Duration max = dock.settings().keepAlive().maxReceiptWait();
        return within.compareTo(max) > 0 ? max : within;
    }

    /**
     * Pings now and completes with the round trip once the client's pong proves it is there.
     *
     * @param within how long to wait, at most the max receipt wait
     * @return the round trip; fails with {@link java.util.concurrent.TimeoutException} after
     *     {@code within}, with {@link ConnectionClosedException} if the socket closes first, with
     *     {@link QueueFullException} when as many probes wait as may
     */
    @Override
    public CompletableFuture<Duration> probe(Duration within) {
        Duration wait = receiptWait(within);
        if (phase == Phase.WAITING) {
            return probeOnceOpen(wait);
        }
        CompletableFuture<Duration> rtt = receipts.probe();
        if (rtt == null) {
            return CompletableFuture.failedFuture(QueueFullException.probes(id, Receipts.MAX_PROBES));
        }
        Ticker.Timer timer = dock.ticker().schedule(() -> {
            if (rtt.completeExceptionally(new TimeoutException("no pong within " + LogText.duration(wait)))) {
                receipts.forget(rtt);
                receiptTimedOut();
            }
        }, wait);
        rtt.whenComplete((v, x) -> timer.cancel());
        return rtt;
    }

    /**
     * A probe of a socket whose upgrade is under way: nothing to ping yet, so it pings once the
     * socket opens, within what is left of {@code wait} from now.
     */
    private CompletableFuture<Duration> probeOnceOpen(Duration wait) {
        long deadline = dock.ticker().nanos() + wait.toNanos();
        CompletableFuture<Duration> rtt = new CompletableFuture<>();
        Ticker.Timer timer = dock.ticker().schedule(
                () -> rtt.completeExceptionally(new TimeoutException("no pong within " + LogText.duration(wait))), wait);
        rtt.whenComplete((v, x) -> timer.cancel());
        upgraded.whenComplete((v, x) -> {
            long left = deadline - dock.ticker().nanos();
            if (x != null) {
                rtt.completeExceptionally(new ConnectionClosedException(id));
            } else if (left > 0) {
                probe(Duration.ofNanos(left)).whenComplete((d, y) -> {
                    if (y == null) {
                        rtt.complete(d);
                    } else {
                        rtt.completeExceptionally(y);
                    }
                });
            }
        });
        return rtt;
    }

    /** A receipt or probe timed out: with the dead-socket policy on, the socket is closed for it. */
    private void receiptTimedOut() {
        if (dock.settings().keepAlive().closeOnReceiptTimeout() && isOpen()) {
            debug("connection {}: a receipt or probe timed out; closing with 1001 (dead-socket policy)", id);
            end(new CloseStatus(CloseStatus.GOING_AWAY, "receipt timeout"), How.HANDSHAKE,
                    new CloseStatus(CloseStatus.ABNORMAL, "receipt timeout"));
        }
    }

    /**
     * Sends a ping with this payload (a {@link Receipts} counter), and reads the socket for its answer.
     *
     * @return whether it was sent
     */
    private boolean ping(ByteBuffer payload) {
        CoreSession s = session;
        if (s == null || !s.isOutputOpen()) {
            return false;
        }
        s.sendFrame(new Frame(OpCode.PING).setPayload(payload), Callback.NOOP, false);
        boolean demand;
        synchronized (lock) {
            // as for a keep-alive ping: a busy pipe still reads for the answer, a data frame meanwhile waits
            demand = early == null && demanding.compareAndSet(false, true);
        }
        if (demand) {
            s.demand();
        }
        return true;
    }

    /** @return pings sent to prove receipts (keep-alive pings and probes not counted) */
    long receiptPings() {
        return receipts.receiptPings();
    }

    @Override
    public Liveness liveness() {
        long now = dock.ticker().nanos();
        return new Liveness(openedAtTime, Duration.ofNanos(Math.max(0, now - deadlines.lastSeen())));
    }

    @Override
    public CompletableFuture<Void> upgraded() {
        return upgraded;
    }

    private void written(int size) {
        deadlines.written(dock.ticker().nanos());
        messagesOut.incrementAndGet();
        dock.events().messageOut(this, size);
    }

    // ---- closing: every close goes through end(...)

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        if (!CloseStatus.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (1000-1003, 1007-1014, 3000-4999)");
        }
        String r = reason == null ? "" : reason;
        if (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason must be at most 123 bytes of UTF-8");
        }
        close(new CloseStatus(code, r));
        return closed.thenApply(status -> null);
    }

    @Override
    public void close(CloseStatus status) {
        end(status, How.HANDSHAKE, null);
    }

    /**
     * The one place a connection is ended by SocketDock: records why (the first reason counts) and
     * acts. Before the socket opened, a close is kept and applied when it opens. Once closing, only
     * a drop still acts (a close the client does not answer).
     *
     * @param send   the close frame to send, or null to send none
     * @param report what the backend's disconnect says; or null for {@code send} (or, for a drop, what Jetty saw)
     */
    private void end(CloseStatus send, How how, CloseStatus report) {
        CoreSession s;
        synchronized (lock) {
            switch (phase) {
                case WAITING -> {
                    if (closeOnOpen == null && send != null) {
                        closeOnOpen = send;
                    }
                    return;
                }
                case OPEN -> {
                    phase = Phase.CLOSING;
                    // an unfinished message will not be delivered: what it holds goes back now
                    dropUnfinished();
                }
                case CLOSING -> {
                    if (how == How.HANDSHAKE) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
            if (reported == null) {
                // the backend hears why SocketDock closed, whatever the client replies, or if it never does
                reported = report != null ? report : send;
            }
            s = session;
        }
        outbound.shut();
        deadlines.closeStarted(dock.ticker().nanos());
        if (how == How.HANDSHAKE) {
            ByteBuffer proof = receipts.closing();
            if (proof != null) {
                // frames written and not yet proven: a live client answers this ping before the close
                s.sendFrame(new Frame(OpCode.PING).setPayload(proof), Callback.NOOP, false);
            }
            s.sendFrame(HandshakeClose.frame(send.code(), send.reason()), Callback.NOOP, false);
        } else if (how == How.CLOSE_AND_DROP) {
            // Jetty's own close: an abnormal code puts the frame ahead of the frames the client left unread
            s.close(send.code(), send.reason(), Callback.NOOP);
        }
        if (how == How.HANDSHAKE) {
            // read on, whatever the backend or the budget say, so the client's close reply is seen
            pipeFree();
        } else {
            s.abort();
        }
    }

    /** Drops the TCP connection without a close handshake (or without waiting longer for the client's close reply). */
    void drop() {
        end(null, How.DROP, null);
    }

    /** @return completes once the socket closed, or never opened */
    CompletableFuture<CloseStatus> closedStage() {
        return closed;
    }

    /** @return Jetty's session once open, else null (through it, tests reach the server's buffer pool) */
    CoreSession session() {
        return session;
    }

    /**
     * The backend could not take an event: the one rule for that — the socket is closed with 1011
     * "backend unavailable", and the first failure is logged.
     */
    void backendFailed(String event, Throwable cause) {
        if (failureLogged.compareAndSet(false, true)) {
            limited(LimitedLog.Kind.BACKEND_REFUSED, "connection {}: backend could not take the {}: {}; closing with 1011",
                    id, event, cause == null ? "no reason given" : LogText.rootMessage(cause));
        }
        end(new CloseStatus(CloseStatus.SERVER_ERROR, "backend unavailable"), How.HANDSHAKE, null);
    }

    /** @return completes once the backend has taken the disconnect, or the connection never opened */
    CompletableFuture<Void> finished() {
        return finished;
    }

    // ---- the upgrade: decided (AUTHORIZE), opened, or abandoned

    /**
     * {@code ConnectMode.AUTHORIZE}: asks the backend whether this connection may open.
     *
     * @return completes if it accepted; fails with its refusal, its failure, or a timeout once the
     *     connect decision timeout passed (the connection is then abandoned)
     */
    CompletableFuture<Void> decide() {
        Stages.call(() -> dock.backend().onConnect(this)).whenComplete((v, x) -> {
            if (x == null) {
                boolean late;
                synchronized (lock) {
                    accepted = phase == Phase.WAITING;
                    late = phase == Phase.ABANDONED;
                }
                if (late) {
                    // accepted after SocketDock gave up on it: the backend still hears it ended
                    Stages.call(() -> dock.backend().onDisconnect(this, NEVER_OPENED)).whenComplete((d, y) -> {
                        if (y != null) {
                            limited(LimitedLog.Kind.BACKEND_REFUSED, "connection {}: backend failed to take the disconnect: {}", id,
                                    LogText.rootMessage(y));
                        }
                    });
                }
                decision.complete(null);
            } else {
                decision.completeExceptionally(x);
            }
        });
        return decision;
    }

    @Override
    public void onOpen(CoreSession s, Callback callback) {
        callback.succeeded();
        CloseStatus close;
        synchronized (lock) {
            if (phase != Phase.WAITING) {
                // abandoned while its upgrade completed: the client is told to come back later
                s.close(TRY_AGAIN_LATER, "connect not decided in time", Callback.from(s::abort));
                return;
            }
            phase = Phase.OPEN;
            session = s;
            openedAt = dock.ticker().nanos();
            openedAtTime = java.time.Instant.now();
            close = closeOnOpen != null ? closeOnOpen : dock.registry().closingAll();
        }
        openDeadline.cancel();
        if (!accepted) {
            dock.registry().add(this);
        }
        dock.registry().opened();
        // told before the frames held for the opening are written: their messageOut comes after it
        dock.events().connectionOpened(this);
        outbound.open(s);
        upgraded.complete(null);
        limited(LimitedLog.Kind.OPENED, "connection {} opened from {}", id, Logs.address(remote));
        if (close != null) {
            close(close);
        }
        if (accepted) {
            debug("connection {}: accepted by the backend before the upgrade", id);
            demandNext();
        } else {
            deliver(() -> dock.backend().onConnect(this), "connect", 0, false);
        }
    }

    /**
     * The socket never opens: refused, failed, or past the connect decision timeout. Held frames
     * fail, the admission is given back, and a backend that had accepted it hears its disconnect.
     */
    void abandon(Throwable why) {
        boolean owed;
        synchronized (lock) {
            if (phase != Phase.WAITING) {
                return;
            }
            phase = Phase.ABANDONED;
            owed = accepted;
            eventsClosed = true;
        }
        openDeadline.cancel();
        decision.completeExceptionally(why);
        receipts.closed();
        outbound.abandon();
        upgraded.completeExceptionally(new ConnectionClosedException(id));
        admission.release();
        debug("connection {}: upgrade abandoned: {}", id, why.toString());
        closed.complete(NEVER_OPENED);
        if (owed) {
            disconnectAfter(DONE, NEVER_OPENED);
        } else {
            dock.registry().remove(this);
            finished.complete(null);
        }
    }

    @Override
    public void onClosed(org.eclipse.jetty.websocket.core.CloseStatus status, Callback callback) {
        callback.succeeded();
        closed(status.getCode(), status.getReason());
    }

    /**
     * The socket closed: the client's close frame arrived (its close reply, if SocketDock began),
     * or the connection ended without one. Acts once; the backend hears the disconnect after the
     * last message.
     */
    private void closed(int statusCode, String reason) {
        CloseStatus status;
        CompletableFuture<Void> last;
        Runnable unread;
        if (phase == Phase.WAITING) {
            abandon(new IllegalStateException("closed before it opened"));
            return;
        }
        synchronized (lock) {
            if (phase == Phase.CLOSED || phase == Phase.ABANDONED) {
                return;
            }
            phase = Phase.CLOSED;
            status = reported != null ? reported : new CloseStatus(statusCode, reason);
            eventsClosed = true;
            last = current;
            dropUnfinished();
            unread = early;
            early = null;
        }
        if (unread != null) {
            unread.run(); // dropped: its buffer goes back to Jetty
        }
        outbound.shut();
        receipts.closed();
        admission.release();
        dock.registry().closed();
        closed.complete(status);
        dock.events().connectionClosed(this, status);
        String backendSummary = dock.backendSummary(this);
        limited(LimitedLog.Kind.CLOSED, "connection {} from {} closed: {} {} after {}, {} in, {} out{}",
                id, Logs.address(remote), status.code(), LogText.printable(status.reason()),
                LogText.elapsed(Duration.ofNanos(dock.ticker().nanos() - openedAt)),
                LogText.count(messagesIn.get(), "message"), messagesOut.get(),
                backendSummary == null ? "" : "; " + backendSummary);
        disconnectAfter(last, status);
    }

    /** Chains the disconnect after {@code last}, once; the connection is done when the backend took it. */
    private void disconnectAfter(CompletableFuture<Void> last, CloseStatus status) {
        last.handle((v, x) -> null)
                .thenCompose(ignored -> Stages.call(() -> dock.backend().onDisconnect(this, status)))
                .whenComplete((v, x) -> {
                    if (x != null) {
                        limited(LimitedLog.Kind.BACKEND_REFUSED, "connection {}: backend failed to take the disconnect: {}", id,
                                LogText.rootMessage(x));
                    }
                    dock.registry().remove(this);
                    finished.complete(null);
                });
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
        if (phase == Phase.WAITING) {
            abandon(cause);
        }
        debug("connection {}: {}", id, cause.toString());
    }

    // ---- the inbound pipe

    /**
     * Every frame the client sends, one per demand. Jetty's WebSocket core has checked the framing
     * (masks, opcodes, control frame sizes, continuation order, the close frame's code and UTF-8)
     * and answers a close frame itself once its callback completes; the rest is done here.
     */
    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT, OpCode.BINARY, OpCode.CONTINUATION -> dataFrame(frame, callback);
            case OpCode.PING -> ping(frame, callback);
            case OpCode.PONG -> {
                // the answer to a ping, or an unsolicited one (a heartbeat): either way the client is there
                deadlines.arrived(dock.ticker().nanos(), false); // seen: before a receipt or probe it proves is answered
                ByteBuffer counter = frame.hasPayload() && frame.getPayload().remaining() == Receipts.PAYLOAD
                        ? ByteBuffer.allocate(Receipts.PAYLOAD).put(frame.getPayload().duplicate()).flip() : null;
                callback.succeeded();
                // read on first: a receipt ping this pong chains (Receipts) then finds the demand free
                // and reads the socket for its own answer, even while the pipe is busy
                readOn();
                receipts.pong(counter);
            }
            case OpCode.CLOSE -> {
                org.eclipse.jetty.websocket.core.CloseStatus status =
                        org.eclipse.jetty.websocket.core.CloseStatus.getCloseStatus(frame);
                if (phase == Phase.CLOSING) {
                    receipts.closeAnswered(); // the client's answer to SocketDock's close: it read what came before
                }
                callback.succeeded();
                closed(status.getCode(), status.getReason());
            }
            default -> callback.succeeded();
        }
    }

    private void dataFrame(Frame frame, Callback callback) {
        ByteBuffer payload = frame.hasPayload() ? frame.getPayload() : BufferUtil.EMPTY_BUFFER;
        boolean last = frame.isFin();
        if (frame.getOpCode() != OpCode.CONTINUATION) {
            text = frame.getOpCode() == OpCode.TEXT;
        }
        if (text) {
            fragment(() -> assembler.addText(payload, last), payload::remaining, callback::succeeded, last,
                    assembler::finishText);
        } else {
            fragment(() -> assembler.addBinary(payload), payload::remaining, callback::succeeded, last,
                    assembler::finishBinary);
        }
    }

    /**
     * A client's ping: answered with a pong of the same payload (RFC 6455 section 5.5.3). The
     * socket is read on only once the pong is written (or failed): a client that sends pings and
     * reads nothing is stopped by TCP, as by any other unread answer, instead of piling pongs up
     * in memory. Until then the ping keeps the socket's one demand, so nothing else reads it.
     */
    private void ping(Frame frame, Callback callback) {
        deadlines.arrived(dock.ticker().nanos(), false);
        Frame pong = new Frame(OpCode.PONG).setPayload(frame.hasPayload() ? frame.getPayload() : BufferUtil.EMPTY_BUFFER);
        Runnable written = () -> {
            callback.succeeded(); // the pong's payload is the ping's: given back only now
            readOn();
        };
        CoreSession s = session;
        if (s == null) {
            written.run();
            return;
        }
        s.sendFrame(pong, Callback.from(written, x -> written.run()), false);
    }

    /** Adds a fragment to the assembler. */
    private interface Fragment {
        /** @return its size, to be counted against the budget */
        long add() throws MessageAssembler.Refused;
    }

    /**
     * One fragment of a message: counted and assembled, or dropped unread once the message went
     * over the maximum or the connection is closing; the last one hands the message on. One that
     * arrives while the pipe is busy (the socket was read for a ping's answer) waits for the pipe.
     *
     * @param size its size, counted while it waits for the pipe
     * @param read runs once the fragment's bytes are no longer needed (Jetty's buffer goes back)
     */
    private void fragment(Fragment add, java.util.function.LongSupplier size, Runnable read, boolean last,
                          Supplier<Message> finish) {
        deadlines.arrived(dock.ticker().nanos(), true);
        synchronized (lock) {
            demanding.set(false);
            take(add, size, read, last, finish);
        }
    }

    private void take(Fragment add, java.util.function.LongSupplier size, Runnable read, boolean last,
                      Supplier<Message> finish) {
        synchronized (lock) {
            if (refusedMessage || eventsClosed || phase != Phase.OPEN) {
                read.run();
                demandNext();
                return;
            }
            if (busy) {
                // counted while it waits: it is memory a client made the relay hold
                long n = size.getAsLong();
                dock.budget().reserveUnfinished(n);
                Runnable before = early;
                early = () -> {
                    if (before != null) {
                        before.run();
                    }
                    dock.budget().releaseUnfinished(n);
                    take(add, size, read, last, finish);
                };
                return;
            }
            busy = true;
            long added;
            try {
                added = add.add();
            } catch (MessageAssembler.Refused e) {
                read.run();
                refused(e);
                return;
            }
            read.run();
            long total = assembler.size();
            if (!last) {
                // its first fragment starts the clock (an empty one too: sizes cannot tell it from the next)
                deadlines.messageStarted(dock.ticker().nanos());
            }
            MessageBudget.Next next = inbound.added(added, total, last, this::granted);
            if (last) {
                boolean granted = inbound.finished(total);
                deadlines.messageEnded();
                deliverMessage(finish.get(), total, granted);
            } else if (next == MessageBudget.Next.READ_GRANTED) {
                pipeFree();
            } else if (next == MessageBudget.Next.READ) {
                demandNext();
            } else {
                debug("connection {}: a message past {} bytes waits for room in the budget", id, ByteBudget.ALLOWANCE);
            }
        }
    }

    /** The budget gave the grant this connection's message waits for: it is read on. */
    private void granted(ByteBudget.Ticket ticket) {
        synchronized (lock) {
            if (!inbound.given(ticket)) {
                return;
            }
        }
        pipeFree();
    }

    /** Drops the message being put together, and gives back what it held. Under {@link #lock}. */
    private void dropUnfinished() {
        assembler.discard();
        inbound.dropped();
        deadlines.messageEnded();
    }

    /** A control frame is done with: the socket is read on, unless the pipe is busy (it then demands once free). */
    private void readOn() {
        synchronized (lock) {
            demanding.set(false);
            if (busy) {
                return; // read for this answer while the pipe is busy: the pipe demands once it is free
            }
            busy = true;
        }
        demandNext();
    }

    /** A fragment the message could not take: the socket is closed as the refusal says, and read on for the close reply. */
    private void refused(MessageAssembler.Refused e) {
        refusedMessage = true;
        debug("connection {}: {}; closing with {}", id, e.getMessage(), e.status().code());
        close(e.status());
        demandNext();
    }

    /** @param granted whether its {@code size} bytes are counted as a grant ({@link MessageBudget#finished}) */
    private void deliverMessage(Message m, long size, boolean granted) {
        messagesIn.incrementAndGet();
        dock.events().messageIn(this, size);
        // deliver hands the event over under the lock, so the flag is seen by onMessage alone
        deliver(() -> {
            deliveringLarge = granted;
            try {
                return dock.backend().onMessage(this, m);
            } finally {
                deliveringLarge = false;
            }
        }, "message", size, granted);
    }

    /** @return whether the message being handed to the backend now holds a grant (see {@link Relay#largeMessage}) */
    boolean deliveringLarge() {
        synchronized (lock) {
            return deliveringLarge;
        }
    }

    /**
     * Hands one event to the backend; releases its bytes from the budget and demands the next
     * frame when the backend has taken it; a failure goes to {@link #backendFailed}.
     */
    private void deliver(Supplier<CompletionStage<Void>> event, String what, long size, boolean granted) {
        CompletableFuture<Void> stage;
        synchronized (lock) {
            busy = true;
            if (eventsClosed) {
                // the connection closed (on another thread) while this arrived: its disconnect is
                // already on its way, and nothing may follow it
                debug("connection {}: {} after the close not delivered", id, what);
                MessageBudget.release(dock.budget(), size, granted);
                return;
            }
            stage = Stages.call(event);
            current = stage;
        }
        stage.whenComplete((v, x) -> {
            MessageBudget.release(dock.budget(), size, granted);
            if (x != null) {
                backendFailed(what, x);
            }
            demandNext();
        });
    }

    /**
     * The pipe can take the next frame once the byte budget has room: at once, or once it drains (a
     * closing connection is read at once: its frames are dropped, and its close reply must be seen).
     */
    private void demandNext() {
        if (phase != Phase.OPEN) {
            pipeFree();
            return;
        }
        ByteBudget budget = dock.budget();
        if (!budget.exhausted()) {
            budget.whenBelowLimit(this::pipeFree);
            return;
        }
        // the first stop of this socket is told at INFO (rate-limited), later ones and resumptions at DEBUG
        boolean tell = !budgetStopTold;
        budgetStopTold = true;
        if (tell) {
            limited(LimitedLog.Kind.PAUSED, "connection {}: not read while the byte budget is full ({} of {} bytes held)",
                    id, budget.used(), budget.limit());
        } else {
            debug("connection {}: not read while the byte budget is full ({} of {} bytes held)", id,
                    budget.used(), budget.limit());
        }
        dock.events().paused(this, SocketDockListener.PauseReason.BUDGET_FULL);
        budget.whenBelowLimit(() -> {
            debug("connection {}: read again, the byte budget has room", id);
            dock.events().resumed(this, SocketDockListener.PauseReason.BUDGET_FULL);
            pipeFree();
        });
    }

    /** The pipe is free: a frame that waited for it goes in, else the next one is demanded. */
    private void pipeFree() {
        synchronized (lock) {
            busy = false;
            Runnable waited = early;
            early = null;
            if (waited != null) {
                // under the lock, as take() runs: a frame read meanwhile (housekeep demands for a
                // ping's answer when it sees no early frame) must not overtake this one
                waited.run();
                return;
            }
        }
        demandNow();
    }

    /**
     * Demands one frame unless one is already demanded or the socket is not open or closing.
     *
     * <p>A demand made while Jetty delivers a frame keeps Jetty reading this socket on the same
     * thread for as long as the client's bytes keep coming, so a few clients that never pause could
     * hold every thread of the pool and starve the rest, upgrades and callback requests included.
     * Every {@link #DEMANDS_PER_TURN}th demand is therefore made from a task of its own: the socket
     * gives its thread back and is read again after whatever already waits for a thread.
     */
    private void demandNow() {
        CoreSession s = session;
        Phase p = phase;
        if (s != null && (p == Phase.OPEN || p == Phase.CLOSING) && demanding.compareAndSet(false, true)) {
            if (++demandsThisTurn < DEMANDS_PER_TURN) {
                s.demand();
                return;
            }
            demandsThisTurn = 0;
            try {
                dock.threads().execute(s::demand);
            } catch (RejectedExecutionException stopping) {
                // the server is stopping: it closes the socket, nothing more is read
                debug("connection {}: not read again, the server is stopping", id);
            }
        }
    }

    // ---- time rules

    /** Applies what {@link Deadlines} says is due at {@code now}, a {@link Ticker} reading. */
    void housekeep(long now) {
        Phase p = phase;
        CoreSession s = session;
        if (s == null || (p != Phase.OPEN && p != Phase.CLOSING) || (p == Phase.OPEN && !s.isOutputOpen())) {
            return;
        }
        boolean canAnswer;
        synchronized (lock) {
            canAnswer = early == null;
        }
        boolean demandForAnswer = false;
        switch (deadlines.check(now, outbound.waitingSince(), canAnswer)) {
            case NO_CLOSE_REPLY -> {
                debug("connection {}: no close reply within {}; dropping it", id, LogText.duration(deadlines.pingTimeout()));
                end(null, How.DROP, null);
            }
            case SLOW_CLIENT -> {
                debug("connection {}: client read nothing for {} while frames waited; closing with 1008", id,
                        LogText.duration(deadlines.slowClientTimeout()));
                CloseStatus slow = new CloseStatus(CloseStatus.POLICY_VIOLATION, "slow client");
                end(slow, How.CLOSE_AND_DROP, slow);
            }
            case UNFINISHED -> {
                debug("connection {}: message not finished within {}; closing with 1008", id,
                        LogText.duration(deadlines.unfinishedTimeout()));
                close(new CloseStatus(CloseStatus.POLICY_VIOLATION, "message not finished in time"));
            }
            case IDLE -> {
                debug("connection {}: no data frame for {}; closing with 1001", id, LogText.duration(deadlines.idleTimeout()));
                close(new CloseStatus(CloseStatus.GOING_AWAY, "idle timeout"));
            }
            case PING_TIMEOUT -> {
                debug("connection {}: no answer to a ping within {}; dropping it", id, LogText.duration(deadlines.pingTimeout()));
                end(null, How.DROP, new CloseStatus(CloseStatus.ABNORMAL, "ping timeout"));
            }
            case PING -> {
                deadlines.pinged(now);
                s.sendFrame(new Frame(OpCode.PING).setPayload(receipts.nextPing()), Callback.NOOP, false);
            }
            case NOTHING -> {
            }
        }
        synchronized (lock) {
            // decided with the frame arrivals: a frame kept meanwhile means no read-ahead
            demandForAnswer = early == null && deadlines.awaitingAnswer() && demanding.compareAndSet(false, true);
        }
        if (demandForAnswer) {
            s.demand();
        }
    }

    // ---- the built-in backend's slot

    /** @return the built-in backend's state of this connection, made by {@code create} on first use */
    @SuppressWarnings("unchecked")
    <T> T backendState(Supplier<T> create) {
        Object s = backendState;
        if (s == null) {
            synchronized (lock) {
                s = backendState;
                if (s == null) {
                    s = Objects.requireNonNull(create.get(), "state");
                    backendState = s;
                }
            }
        }
        return (T) s;
    }

    /** Logs at DEBUG on the connections logger, with this connection's MDC keys. */
    private void debug(String format, Object... args) {
        if (LOG.isDebugEnabled()) {
            try (Logs.Scope ignored = Logs.connection(id, remote)) {
                LOG.debug(format, args);
            }
        }
    }

    /** Logs a line of a rate-limited kind, with this connection's MDC keys. */
    private void limited(LimitedLog.Kind kind, String format, Object... args) {
        dock.limitedLog().log(kind, id, remote, format, args);
    }

    @Override
    public String toString() {
        return "Connection[" + id + " from " + remote + (phase == Phase.WAITING ? ", pending]" : "]");
    }
}
