package io.github.socketdock.internal;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.ConnectionClosedException;
import io.github.socketdock.QueueFullException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The {@link Connection} handle of one open WebSocket: identity, and the bounded outbound queue in
 * front of Jetty's send queue.
 *
 * <p>Outbound bounds: bytes queued (the configured limit; one frame is always let into an empty
 * queue, whatever its size), frames queued ({@link #MAX_QUEUED_FRAMES}, so a flood of tiny frames
 * cannot grow the queue without bound either), and the process-wide {@link ByteBudget}.
 *
 * <p>It also keeps the times the housekeeping needs: since when queued frames have waited without
 * the client reading any, and when the last data frame went either way.
 */
final class LiveConnection extends ConnectionIdentity {

    /** Bound on frames waiting in one connection's outbound queue. */
    static final int MAX_QUEUED_FRAMES = 8192;

    private final Session session;
    private final long maxQueuedBytes;
    private final long maxMessageSize;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong queuedFrames = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final ByteBudget budget;
    private final RelayStats stats;
    private volatile boolean closing;
    private volatile Runnable onLocalClose;
    /** When the oldest frame still queued was queued, or the last write completed since. */
    private volatile long waitingSince;
    /** When the last data frame was received or written. */
    private volatile long lastActivity = System.nanoTime();

    LiveConnection(String id, Session session, Map<String, String> headers, InetSocketAddress remote, URI endpoint,
                   long maxQueuedBytes, long maxMessageSize, ByteBudget budget, RelayStats stats) {
        super(id, headers, remote, endpoint);
        this.session = session;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
        this.stats = stats;
    }

    /** @return Jetty's session (through it, tests reach the server's buffer pool) */
    Session session() {
        return session;
    }

    @Override
    public boolean isOpen() {
        return !closing && session.isOpen();
    }

    @Override
    public CompletionStage<Void> send(String text) {
        Objects.requireNonNull(text, "text");
        long size = MessageAssembler.utf8Length(text);
        return sendText(text, (int) Math.min(size, Integer.MAX_VALUE));
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        return sendBinary(copy);
    }

    @Override
    public CompletionStage<Void> send(byte[] data) {
        Objects.requireNonNull(data, "data");
        return sendBinary(ByteBuffer.wrap(data.clone()));
    }

    /**
     * Queues a text frame. A failure to queue (full, closed) is already set on the returned
     * future when this method returns, so a caller can answer at once.
     *
     * @param accountedBytes the size to count against the queue bound
     */
    CompletableFuture<Void> sendText(String text, int accountedBytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (reserve(accountedBytes, accountedBytes, done)) {
            session.sendText(text, written(accountedBytes, accountedBytes, done, null));
        }
        return done;
    }

    /**
     * Queues a text frame whose payload is already well-formed UTF-8 (the caller checked it), so
     * it is neither decoded nor encoded again; the buffer is the frame's payload, and is released
     * once the frame is written or refused; the byte budget counts the whole buffer. See {@link #sendText}.
     */
    CompletableFuture<Void> sendUtf8Text(RetainableByteBuffer utf8) {
        ByteBuffer payload = utf8.getByteBuffer();
        int size = payload.remaining();
        if (!(session instanceof WebSocketSession jetty)) {
            String text = StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
            utf8.release();
            return sendText(text, size);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        int held = held(utf8);
        if (reserve(size, held, done)) {
            Callback written = written(size, held, done, utf8::release);
            jetty.getCoreSession().sendFrame(new Frame(OpCode.TEXT, payload),
                    org.eclipse.jetty.util.Callback.from(written::succeed, written::fail), false);
        } else {
            utf8.release();
        }
        return done;
    }

    /** Queues a binary frame; {@code data} is handed to Jetty as it is. See {@link #sendText}. */
    CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendBinary(data, data.remaining(), null);
    }

    /**
     * Queues a binary frame of the buffer's bytes, released once the frame is written or refused;
     * the byte budget counts the whole buffer.
     */
    CompletableFuture<Void> sendBinary(RetainableByteBuffer data) {
        return sendBinary(data.getByteBuffer(), held(data), data::release);
    }

    /** @return what a pooled payload holds while queued: its whole buffer */
    private static int held(RetainableByteBuffer payload) {
        return Math.max(payload.remaining(), payload.capacity());
    }

    /** @param held the bytes the frame holds while queued, which the byte budget counts */
    private CompletableFuture<Void> sendBinary(ByteBuffer data, int held, Runnable release) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int size = data.remaining();
        if (reserve(size, held, done)) {
            session.sendBinary(data, written(size, held, done, release));
        } else if (release != null) {
            release.run();
        }
        return done;
    }

    /**
     * Counts a frame of {@code size} payload bytes against the connection's queue bounds and
     * {@code held} bytes (its payload, or the buffer holding it) against the process-wide budget.
     */
    private boolean reserve(int size, int held, CompletableFuture<Void> done) {
        if (!isOpen()) {
            done.completeExceptionally(new ConnectionClosedException(id));
            return false;
        }
        if (size > maxMessageSize) {
            done.completeExceptionally(new IllegalArgumentException("a frame of " + size
                    + " bytes is larger than the maximum message size of " + maxMessageSize + " bytes"));
            return false;
        }
        long frames = queuedFrames.incrementAndGet();
        if (frames == 1) {
            waitingSince = System.nanoTime();
        }
        long bytes = queuedBytes.addAndGet(size);
        if (frames > MAX_QUEUED_FRAMES || (bytes > maxQueuedBytes && bytes != size)) {
            unqueue(size);
            done.completeExceptionally(new QueueFullException(id, bytes - size, maxQueuedBytes));
            return false;
        }
        if (!budget.tryReserve(held)) {
            unqueue(size);
            done.completeExceptionally(new QueueFullException(id, budget.used(), budget.limit()));
            return false;
        }
        return true;
    }

    /** @return the frame's callback: gives back its payload (if pooled) and its counts, then completes {@code done} */
    private Callback written(int size, int held, CompletableFuture<Void> done, Runnable release) {
        return Callback.from(() -> {
            long now = System.nanoTime();
            waitingSince = now;
            lastActivity = now;
            release(size, held, release);
            messagesOut.incrementAndGet();
            stats.messageOut(size);
            done.complete(null);
        }, failure -> {
            release(size, held, release);
            done.completeExceptionally(isOpen() ? failure : new ConnectionClosedException(id));
        });
    }

    /** Gives back a written or failed frame's payload (if pooled), and its counts even if that throws. */
    private void release(int size, int held, Runnable payload) {
        try {
            if (payload != null) {
                payload.run();
            }
        } finally {
            unqueue(size);
            budget.release(held);
        }
    }

    private void unqueue(int size) {
        queuedFrames.decrementAndGet();
        queuedBytes.addAndGet(-size);
    }

    /** @return since when queued frames have waited without progress, or -1 if none wait */
    long waitingSince() {
        return queuedFrames.get() > 0 ? waitingSince : -1;
    }

    /** A data frame arrived from the client. */
    void received() {
        lastActivity = System.nanoTime();
    }

    /** @return when the last data frame was received or written */
    long lastActivity() {
        return lastActivity;
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        if (!CloseStatus.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (1000-1003, 1007-1014, 3000-4999)");
        }
        String r = reason == null ? "" : reason;
        if (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason must be at most 123 bytes of UTF-8");
        }
        closeNow(code, r);
        return closed.thenApply(status -> null);
    }

    /** Starts closing with any code, including ones reserved for servers such as 1011. */
    void closeNow(int code, String reason) {
        closing = true;
        session.close(code, reason, Callback.NOOP);
        Runnable r = onLocalClose;
        if (r != null) {
            r.run();
        }
    }

    /** Drops the TCP connection at once, without waiting for a close handshake. */
    void drop() {
        closing = true;
        session.disconnect();
    }

    /** Runs {@code r} whenever SocketDock starts closing this connection (the endpoint reads the reply). */
    void onLocalClose(Runnable r) {
        this.onLocalClose = r;
    }

    /** Records how the connection ended; called once by the endpoint. */
    void markClosed(CloseStatus status) {
        closing = true;
        closed.complete(status);
    }

    /** @return completes with the close status once the connection has closed */
    CompletableFuture<CloseStatus> closedFuture() {
        return closed;
    }

    long messagesOut() {
        return messagesOut.get();
    }

    @Override
    public String toString() {
        return "Connection[" + id + " from " + remoteAddress() + "]";
    }
}
