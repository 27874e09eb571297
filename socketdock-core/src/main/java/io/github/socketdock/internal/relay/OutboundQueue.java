package io.github.socketdock.internal.relay;

import io.github.socketdock.ConnectionClosedException;
import io.github.socketdock.QueueFullException;
import io.github.socketdock.internal.common.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;

/**
 * One connection's outbound frames, owned by its {@link RelayConnection}: the one way every frame
 * goes to a client, text or binary, pooled or not, sent in-process or through {@code /send}.
 *
 * <p>Bounds: bytes queued (the configured limit; one frame is always let into an empty queue,
 * whatever its size), frames queued ({@link #MAX_QUEUED_FRAMES}, so a flood of tiny frames cannot
 * grow the queue either), and the process-wide {@link ByteBudget}, which counts what each frame
 * holds. A frame sent before the socket is open is counted the same way and held, in order, until
 * the upgrade completes ({@link #open}); it fails with {@link ConnectionClosedException} if the
 * upgrade never does ({@link #abandon}).
 */
final class OutboundQueue {

    /** Bound on frames waiting in one connection's outbound queue, held ones included. */
    static final int MAX_QUEUED_FRAMES = 8192;

    /** Hears frames go out: the owner keeps its keep-alive times and counters by it. */
    interface Written {
        void written(int size);
    }

    private final String id;
    private final long maxQueuedBytes;
    private final long maxFrameSize;
    private final ByteBudget budget;
    private final Ticker ticker;
    private final Written listener;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong queuedFrames = new AtomicLong();
    /** When the oldest frame still queued was queued, or the last write completed since. */
    private volatile long waitingSince;
    /** Frames sent before the upgrade completed, in order; null once open (or abandoned). Guarded by this. */
    private List<Held> held = new ArrayList<>();
    private volatile CoreSession session;
    /** Set when the connection can take no more frames (closing, closed, or never opened). */
    private volatile boolean shut;

    private record Held(OutFrame frame, CompletableFuture<Void> done) {
    }

    OutboundQueue(String id, long maxQueuedBytes, long maxFrameSize, ByteBudget budget, Ticker ticker, Written listener) {
        this.id = id;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxFrameSize = maxFrameSize;
        this.budget = budget;
        this.ticker = ticker;
        this.listener = listener;
    }

    /**
     * Queues a frame. A refusal (closed: {@link ConnectionClosedException}; full:
     * {@link QueueFullException}; too large: {@link IllegalArgumentException}) is already set on
     * the returned future when this method returns, and the frame's buffer is then given back.
     *
     * @return completes once the frame is written, or fails
     */
    CompletableFuture<Void> offer(OutFrame frame) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!reserve(frame, done)) {
            frame.releasePayload();
            return done;
        }
        CoreSession s = session;
        if (s == null) {
            synchronized (this) {
                if (held != null) {
                    held.add(new Held(frame, done));
                    return done;
                }
            }
            s = session;
            if (s == null) { // abandoned between the reservation and now
                fail(frame, done, new ConnectionClosedException(id));
                return done;
            }
        }
        write(s, frame, done);
        return done;
    }

    /** The socket opened: the held frames go out in order, before any sent from now on. */
    void open(CoreSession s) {
        synchronized (this) {
            waitingSince = ticker.nanos();
            session = s;
            for (Held h : held) {
                write(s, h.frame, h.done);
            }
            held = null;
        }
    }

    /** The upgrade never completed: held frames fail with {@link ConnectionClosedException}. */
    void abandon() {
        shut = true;
        List<Held> dropped;
        synchronized (this) {
            dropped = held == null ? List.of() : held;
            held = null;
        }
        for (Held h : dropped) {
            fail(h.frame, h.done, new ConnectionClosedException(id));
        }
    }

    /** No frame is taken from now on (the connection is closing); frames already queued go on. */
    void shut() {
        shut = true;
    }

    /**
     * Counts a frame against the connection's bounds and what it holds against the budget.
     *
     * @return false, with {@code done} failed and nothing counted, if the frame is refused
     */
    private boolean reserve(OutFrame frame, CompletableFuture<Void> done) {
        if (shut) {
            done.completeExceptionally(new ConnectionClosedException(id));
            return false;
        }
        int size = frame.size();
        if (size > maxFrameSize) {
            done.completeExceptionally(new IllegalArgumentException("a frame of " + size
                    + " bytes is larger than the maximum message size of " + maxFrameSize + " bytes"));
            return false;
        }
        long frames = queuedFrames.incrementAndGet();
        if (frames == 1) {
            waitingSince = ticker.nanos();
        }
        long bytes = queuedBytes.addAndGet(size);
        if (frames > MAX_QUEUED_FRAMES || (bytes > maxQueuedBytes && bytes != size)) {
            unqueue(size);
            done.completeExceptionally(new QueueFullException(id, bytes - size, maxQueuedBytes));
            return false;
        }
        if (!budget.tryReserve(frame.held())) {
            unqueue(size);
            done.completeExceptionally(new QueueFullException(id, budget.used(), budget.limit()));
            return false;
        }
        return true;
    }

    private void write(CoreSession s, OutFrame frame, CompletableFuture<Void> done) {
        int size = frame.size();
        s.sendFrame(new Frame(frame.opCode(), frame.payload()), Callback.from(() -> {
            waitingSince = ticker.nanos();
            release(frame);
            listener.written(size);
            done.complete(null);
        }, failure -> {
            release(frame);
            done.completeExceptionally(shut ? new ConnectionClosedException(id) : failure);
        }), false);
    }

    private void fail(OutFrame frame, CompletableFuture<Void> done, Throwable why) {
        release(frame);
        done.completeExceptionally(why);
    }

    /** Gives back a done frame's payload (if pooled), and its counts even if that throws. */
    private void release(OutFrame frame) {
        try {
            frame.releasePayload();
        } finally {
            unqueue(frame.size());
            budget.release(frame.held());
        }
    }

    private void unqueue(int size) {
        queuedFrames.decrementAndGet();
        queuedBytes.addAndGet(-size);
    }

    /** @return since when queued frames have waited without progress, or -1 if none wait (held ones do not count) */
    long waitingSince() {
        return session != null && queuedFrames.get() > 0 ? waitingSince : -1;
    }
}
