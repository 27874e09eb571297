package io.github.socketdock.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters of one SocketDock, shared by its parts; read as a {@code SocketDockStats} snapshot. */
public final class RelayStats {

    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder backendRetries = new LongAdder();
    final LongAdder undeliveredMessages = new LongAdder();
    final LongAdder abandonedAnswers = new LongAdder();
    final LongAdder undeliveredDisconnects = new LongAdder();
}
