package io.github.socketdock.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one SocketDock, shared by its parts; read as a {@code SocketDockStats} snapshot.
 * What is also a metric goes through a method here, which counts and tells {@link Metrics}.
 */
public final class RelayStats {

    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder backendRetries = new LongAdder();
    final LongAdder undeliveredMessages = new LongAdder();
    final LongAdder abandonedAnswers = new LongAdder();
    final LongAdder undeliveredDisconnects = new LongAdder();
    final Metrics metrics;

    /** Counters that report to no metrics registry. */
    RelayStats() {
        this(Metrics.NONE);
    }

    RelayStats(Metrics metrics) {
        this.metrics = metrics;
    }

    void messageIn(long bytes) {
        messagesIn.increment();
        metrics.messageIn(bytes);
    }

    void messageOut(long bytes) {
        messagesOut.increment();
        metrics.messageOut(bytes);
    }

    void backendRetry(String event) {
        backendRetries.increment();
        metrics.backendRetry(event);
    }
}
