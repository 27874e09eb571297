package io.github.socketdock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The built-in listener that counts: connections, messages each way, backend retries and events
 * given up, and the byte budget's level. Every SocketDock counts with one of its own, which no
 * one else can reach: {@link SocketDock#stats()} returns a {@link Snapshot} of it. Another can be
 * {@linkplain SocketDock.Builder#listener added} to count across several SocketDocks, or over a
 * test.
 *
 * <pre>{@code
 * SocketDockStats.Snapshot stats = dock.stats();
 * log.info("{} open, {} messages in, {} out", stats.activeConnections(), stats.messagesIn(), stats.messagesOut());
 * }</pre>
 *
 * <p>The counts are live: each read returns the count at that moment, and two reads may see
 * different moments; {@link #snapshot()} reads them all at once. Thread-safe; counting is cheap
 * and never blocks.
 */
public final class SocketDockStats implements SocketDockListener {

    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder backendRetries = new LongAdder();
    private final LongAdder undeliveredMessages = new LongAdder();
    private final LongAdder abandonedAnswers = new LongAdder();
    private final LongAdder undeliveredDisconnects = new LongAdder();
    private final AtomicLong bufferedBytes = new AtomicLong();

    /** Counts from zero. */
    public SocketDockStats() {
    }

    /** @return connections open now: opened and not yet closed */
    public int activeConnections() {
        // closed first: a close counted between the two reads can then not make the difference negative
        long c = closed.sum();
        return (int) Math.max(0, opened.sum() - c);
    }

    /** @return connections opened since counting began */
    public long lifetimeConnections() {
        return opened.sum();
    }

    /** @return messages received from clients */
    public long messagesIn() {
        return messagesIn.sum();
    }

    /** @return frames written to clients */
    public long messagesOut() {
        return messagesOut.sum();
    }

    /** @return backend requests that were retries (a second or later try of an event) */
    public long backendRetries() {
        return backendRetries.sum();
    }

    /** @return messages the backend gave up on after their retries; each closed its socket with 1011 */
    public long undeliveredMessages() {
        return undeliveredMessages.sum();
    }

    /** @return messages delivered whose answer did not arrive in time or at all */
    public long abandonedAnswers() {
        return abandonedAnswers.sum();
    }

    /** @return disconnect notifications given up on */
    public long undeliveredDisconnects() {
        return undeliveredDisconnects.sum();
    }

    /**
     * The bytes held in the process-wide byte budget, as of the last {@link #budgetLevel} report.
     *
     * @return bytes held
     */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    @Override
    public void connectionOpened(Connection connection) {
        opened.increment();
    }

    @Override
    public void connectionClosed(Connection connection, CloseStatus status) {
        closed.increment();
    }

    @Override
    public void messageIn(Connection connection, long bytes) {
        messagesIn.increment();
    }

    @Override
    public void messageOut(Connection connection, long bytes) {
        messagesOut.increment();
    }

    @Override
    public void backendCall(BackendCall call) {
        if (call.attempt() > 1) {
            backendRetries.increment();
        }
    }

    @Override
    public void backendGaveUp(String connectionId, BackendEvent event, GiveUpReason reason) {
        if (event == BackendEvent.DISCONNECT) {
            if (reason == GiveUpReason.UNDELIVERED) {
                undeliveredDisconnects.increment();
            }
        } else if (event == BackendEvent.MESSAGE) {
            (reason == GiveUpReason.UNDELIVERED ? undeliveredMessages : abandonedAnswers).increment();
        }
    }

    @Override
    public void budgetLevel(long usedBytes, long limitBytes) {
        bufferedBytes.set(usedBytes);
    }

    /**
     * The counts now, as values that do not change: two snapshots taken before and after
     * something can be compared.
     *
     * @return the counts
     */
    public Snapshot snapshot() {
        return new Snapshot(activeConnections(), lifetimeConnections(), messagesIn(), messagesOut(), backendRetries(),
                undeliveredMessages(), abandonedAnswers(), undeliveredDisconnects(), bufferedBytes());
    }

    /**
     * The counts of a {@link SocketDockStats} at one moment.
     *
     * @param activeConnections      connections open
     * @param lifetimeConnections    connections opened since counting began
     * @param messagesIn             messages received from clients
     * @param messagesOut            frames written to clients
     * @param backendRetries         backend requests that were retries
     * @param undeliveredMessages    messages the backend gave up on after their retries
     * @param abandonedAnswers       messages delivered whose answer did not arrive in time or at all
     * @param undeliveredDisconnects disconnect notifications given up on
     * @param bufferedBytes          bytes held in the byte budget: for {@link SocketDock#stats()}, as
     *                               of the call; otherwise as of the last {@link #budgetLevel} report
     */
    public record Snapshot(int activeConnections, long lifetimeConnections, long messagesIn, long messagesOut,
                           long backendRetries, long undeliveredMessages, long abandonedAnswers,
                           long undeliveredDisconnects, long bufferedBytes) {

        /**
         * @param bytes the bytes held in the byte budget now
         * @return this snapshot with {@code bufferedBytes} read now
         */
        public Snapshot withBufferedBytes(long bytes) {
            return new Snapshot(activeConnections, lifetimeConnections, messagesIn, messagesOut, backendRetries,
                    undeliveredMessages, abandonedAnswers, undeliveredDisconnects, bytes);
        }
    }

    /**
     * The counts, for logs and test failures.
     *
     * @return e.g. {@code SocketDockStats[active=2, lifetime=5, in=10, out=12, retries=0, …]}
     */
    @Override
    public String toString() {
        return "SocketDockStats[active=" + activeConnections() + ", lifetime=" + lifetimeConnections()
                + ", in=" + messagesIn() + ", out=" + messagesOut() + ", retries=" + backendRetries()
                + ", undeliveredMessages=" + undeliveredMessages() + ", abandonedAnswers=" + abandonedAnswers()
                + ", undeliveredDisconnects=" + undeliveredDisconnects() + ", bufferedBytes=" + bufferedBytes() + "]";
    }
}
