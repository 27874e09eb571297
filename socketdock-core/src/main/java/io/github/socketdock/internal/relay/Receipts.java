package io.github.socketdock.internal.relay;

import io.github.socketdock.Receipt;
import io.github.socketdock.internal.common.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Proof that one connection's client received frames, from its WebSocket stack's own pongs, with
 * no help from the client's code.
 *
 * <p>Every ping SocketDock sends this client carries a counter, 8 bytes big-endian, one more than
 * the last ({@link #nextPing}), from a random start of the connection's own, so a stray pong, or
 * one meant for another connection, matches nothing. (A client that fakes pongs only lies about
 * itself.) A frame's receipt needs a ping sent after the frame's write
 * completed: TCP keeps order, so the client's stack read the frame before it read that ping.
 * Jetty queues pings ahead of data frames, so such a ping is sent from the write's callback
 * ({@link #written}), never beside the send. A client may answer only the latest of several pings
 * (RFC 6455 section 5.5.3): a pong with counter {@code c} proves every ping up to {@code c}, and so
 * acknowledges every frame whose write completed before ping {@code c} was sent. A pong with a
 * counter never sent, or with any other payload, acknowledges nothing.
 *
 * <p>At most one receipt ping is in flight: frames written while it is out wait for the next one,
 * sent when its pong comes, so a burst written within one round trip costs at most two pings. The
 * client's close frame in answer to SocketDock's close acknowledges every frame written before it
 * ({@link #closeAnswered}). A receipt not proven within its time is a timeout, and one whose
 * connection closed first is {@link Receipt.Status#CLOSED}.
 *
 * <p>Bounds: receipts waiting ({@code max}, the outbound queue's frame bound), probes waiting
 * ({@link #MAX_PROBES}) and pings remembered for their round trip ({@link #MAX_PINGS}).
 * Thread-safe; pings are sent outside the lock (a ping's counter is fixed before it is sent, and
 * every frame it covers was written before that).
 */
final class Receipts {

    /** Probes ({@link #probe}) waiting for their pong, per connection. */
    static final int MAX_PROBES = 64;
    /** Pings remembered, unanswered, for the round trip a pong reports; older ones are forgotten. */
    static final int MAX_PINGS = 1024;
    /** A ping's payload: its counter. */
    static final int PAYLOAD = Long.BYTES;

    /** Sends a ping with this payload now. */
    interface Pinger {
        /** @return whether it was sent (false once the connection's output is closed) */
        boolean ping(ByteBuffer payload);
    }

    /** One receipt asked for. */
    static final class Waiter {
        private final CompletableFuture<Receipt> result = new CompletableFuture<>();
        /** The ping counter whose pong proves it; 0 until its write completed. Guarded by the lock. */
        private long needs;
        /** Set, under the lock, by whichever path decides its receipt: only that one completes it. */
        private boolean settled;
        private Ticker.Timer timer;

        /** @return completes with the receipt */
        CompletableFuture<Receipt> result() {
            return result;
        }
    }

    private record Ping(long counter, long sentAt) {
    }

    private record Probe(long counter, long sentAt, CompletableFuture<Duration> rtt) {
    }

    private final String id;
    private final Ticker ticker;
    private final int max;
    private final Pinger pinger;
    private final Consumer<Waiter> timedOut;
    private final Object lock = new Object();

    /** The counters' start: counter {@code n} goes on the wire as {@code base + n}. */
    private final long base = java.util.concurrent.ThreadLocalRandom.current().nextLong();

    // all guarded by lock
    private long lastSent;
    private final ArrayDeque<Ping> unanswered = new ArrayDeque<>();
    /** The receipt ping awaited, or 0. */
    private long inFlight;
    /** Waiters whose write completed, in the order of their {@code needs}. */
    private final ArrayDeque<Waiter> written = new ArrayDeque<>();
    private int waiting;
    private final List<Probe> probes = new ArrayList<>();
    private long closeSentAt = -1;
    private boolean closed;
    private long receiptPings;

    /**
     * @param id       the connection's id, for its refusals
     * @param ticker   the clock of round trips and of the receipts' times
     * @param max      receipts that may wait at once
     * @param pinger   sends a ping
     * @param timedOut told of each receipt that timed out, after it completed
     */
    Receipts(String id, Ticker ticker, int max, Pinger pinger, Consumer<Waiter> timedOut) {
        this.id = id;
        this.ticker = ticker;
        this.max = max;
        this.pinger = pinger;
        this.timedOut = timedOut;
    }

    /**
     * Asks for a receipt for a frame about to be queued: it times out after {@code within}.
     *
     * @return the waiter, or null when {@code max} receipts wait already (the frame must not be sent)
     */
    Waiter expect(Duration within) {
        Waiter w = new Waiter();
        synchronized (lock) {
            if (closed) {
                w.settled = true;
                w.result.complete(Receipt.closed());
                return w;
            }
            if (waiting >= max) {
                return null;
            }
            waiting++;
        }
        Ticker.Timer timer = ticker.schedule(() -> timeout(w), within);
        synchronized (lock) {
            if (w.settled) {
                timer.cancel();
            } else {
                w.timer = timer;
            }
        }
        return w;
    }

    /** The frame's write completed: its receipt needs the next ping, sent now unless one is out. */
    void written(Waiter w) {
        ByteBuffer ping = null;
        boolean closedNow = false;
        synchronized (lock) {
            if (w.settled) {
                return;
            }
            if (closed) { // written as the connection ended: no ping can prove it now
                w.settled = true;
                waiting--;
                closedNow = true;
            } else {
                w.needs = lastSent + 1;
                written.add(w);
                if (inFlight == 0) {
                    ping = receiptPingLocked();
                }
            }
        }
        if (closedNow) {
            finish(w, Receipt.closed());
        }
        sendReceiptPing(ping);
    }

    /** Sends a receipt ping; one that could not go out is no longer awaited. */
    private void sendReceiptPing(ByteBuffer ping) {
        if (ping != null && !pinger.ping(ping)) {
            synchronized (lock) {
                if (inFlight == counterOf(ping)) {
                    inFlight = 0;
                    receiptPings--; // never out
                }
            }
        }
    }

    private long counterOf(ByteBuffer ping) {
        return ping.getLong(0) - base;
    }

    /** The frame was not written (the connection closed or failed): its receipt says closed. */
    void notWritten(Waiter w) {
        synchronized (lock) {
            if (w.settled) {
                return;
            }
            w.settled = true;
            waiting--;
        }
        finish(w, Receipt.closed());
    }

    /** @return the payload of a ping about to be sent for another reason (keep-alive): it proves receipts too */
    ByteBuffer nextPing() {
        synchronized (lock) {
            return nextPingLocked();
        }
    }

    /** @return the payload of the receipt ping now in flight, the one whose pong the written frames wait for */
    private ByteBuffer receiptPingLocked() {
        ByteBuffer ping = nextPingLocked();
        inFlight = lastSent;
        receiptPings++;
        return ping;
    }

    private ByteBuffer nextPingLocked() {
        lastSent++;
        if (unanswered.size() == MAX_PINGS) {
            unanswered.poll();
        }
        unanswered.add(new Ping(lastSent, ticker.nanos()));
        return ByteBuffer.allocate(PAYLOAD).putLong(0, base + lastSent);
    }

    /**
     * Sends a ping now and completes with its round trip once a pong proves it.
     *
     * @return the round trip; null when {@link #MAX_PROBES} wait already
     */
    CompletableFuture<Duration> probe() {
        CompletableFuture<Duration> rtt = new CompletableFuture<>();
        ByteBuffer ping;
        synchronized (lock) {
            if (closed) {
                rtt.completeExceptionally(new io.github.socketdock.ConnectionClosedException(id));
                return rtt;
            }
            if (probes.size() >= MAX_PROBES) {
                return null;
            }
            ping = nextPingLocked();
            probes.add(new Probe(lastSent, ticker.nanos(), rtt));
        }
        if (!pinger.ping(ping)) {
            forget(rtt);
            rtt.completeExceptionally(new io.github.socketdock.ConnectionClosedException(id));
        }
        return rtt;
    }

    /** Forgets a probe that timed out. */
    void forget(CompletableFuture<Duration> probe) {
        synchronized (lock) {
            probes.removeIf(p -> p.rtt == probe);
        }
    }

    /**
     * A pong arrived.
     *
     * @return whether it answered a ping of ours (a counter this connection sent)
     */
    boolean pong(ByteBuffer payload) {
        if (payload == null || payload.remaining() != PAYLOAD) {
            return false;
        }
        long c = payload.getLong(payload.position()) - base;
        long now = ticker.nanos();
        List<Waiter> delivered = new ArrayList<>();
        List<Probe> answered = new ArrayList<>();
        long sentAt = -1;
        ByteBuffer next = null;
        synchronized (lock) {
            if (c < 1 || c > lastSent) {
                return false;
            }
            for (Ping p = unanswered.peek(); p != null && p.counter <= c; p = unanswered.peek()) {
                unanswered.poll();
                if (p.counter == c) {
                    sentAt = p.sentAt;
                }
            }
            for (Waiter w = written.peek(); w != null && w.needs <= c; w = written.peek()) {
                written.poll();
                w.settled = true;
                waiting--;
                delivered.add(w);
            }
            for (Iterator<Probe> it = probes.iterator(); it.hasNext(); ) {
                Probe p = it.next();
                if (p.counter <= c) {
                    it.remove();
                    answered.add(p);
                }
            }
            if (inFlight != 0 && c >= inFlight) {
                inFlight = 0;
            }
            if (inFlight == 0 && !written.isEmpty() && !closed) {
                next = receiptPingLocked();
            }
        }
        Duration rtt = sentAt < 0 ? null : Duration.ofNanos(now - sentAt);
        for (Waiter w : delivered) {
            finish(w, Receipt.proven(rtt));
        }
        for (Probe p : answered) {
            p.rtt.complete(Duration.ofNanos(now - p.sentAt)); // its own ping's, even if a later one's pong proved it
        }
        sendReceiptPing(next);
        return true;
    }

    /**
     * SocketDock is about to send its close frame: frames written so far are acknowledged by the
     * client's answer to it.
     *
     * @return the payload of a ping to send just before the close when written frames wait for
     *     their proof (a live client answers it before it answers the close), or null
     */
    ByteBuffer closing() {
        synchronized (lock) {
            closeSentAt = ticker.nanos();
            return written.isEmpty() || closed ? null : nextPingLocked();
        }
    }

    /**
     * The client answered SocketDock's close with its own: every frame whose write completed
     * (before the close, which went out after them) was read.
     */
    void closeAnswered() {
        List<Waiter> delivered;
        Duration rtt;
        synchronized (lock) {
            if (closeSentAt < 0) {
                return;
            }
            rtt = Duration.ofNanos(ticker.nanos() - closeSentAt);
            delivered = settleWrittenLocked();
        }
        for (Waiter w : delivered) {
            finish(w, Receipt.proven(rtt));
        }
    }

    /** @return every written waiter, settled and no longer waiting: the caller completes them */
    private List<Waiter> settleWrittenLocked() {
        List<Waiter> settled = new ArrayList<>(written);
        settled.forEach(w -> w.settled = true);
        waiting -= settled.size();
        written.clear();
        return settled;
    }

    /** The connection closed: every receipt not proven says so, and none is taken from now on. */
    void closed() {
        List<Waiter> pending;
        List<Probe> unansweredProbes;
        synchronized (lock) {
            closed = true;
            pending = settleWrittenLocked();
            unansweredProbes = new ArrayList<>(probes);
            probes.clear();
        }
        for (Waiter w : pending) {
            finish(w, Receipt.closed());
        }
        for (Probe p : unansweredProbes) {
            p.rtt.completeExceptionally(new io.github.socketdock.ConnectionClosedException(id));
        }
    }

    private void timeout(Waiter w) {
        synchronized (lock) {
            if (w.settled) {
                return;
            }
            w.settled = true;
            written.remove(w);
            waiting--;
        }
        finish(w, Receipt.timedOut());
        timedOut.accept(w);
    }

    private void finish(Waiter w, Receipt receipt) {
        Ticker.Timer t;
        synchronized (lock) {
            t = w.timer;
        }
        if (t != null) {
            t.cancel();
        }
        w.result.complete(receipt);
    }

    /** @return receipts waiting now */
    int waiting() {
        synchronized (lock) {
            return waiting;
        }
    }

    /** @return pings sent for receipts so far (keep-alive pings and probes not counted) */
    long receiptPings() {
        synchronized (lock) {
            return receiptPings;
        }
    }
}
