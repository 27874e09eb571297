package io.github.socketdock.internal;

import java.time.Duration;

/**
 * A built-in backend that SocketDock's shutdown can wait for, and that counts into the SocketDock's
 * {@link RelayStats}. Internal: embedders' backends are not asked.
 */
interface Drainable {

    /**
     * Counts into {@code stats}, and counts the request bodies it holds into {@code budget};
     * called once, before {@code start()}.
     */
    void attach(RelayStats stats, ByteBudget budget);

    /** Waits up to {@code timeout} for every call under way to finish. */
    void awaitIdle(Duration timeout) throws InterruptedException;
}
