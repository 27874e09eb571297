package io.github.socketdock.internal;

import java.time.Duration;

/**
 * A built-in backend that SocketDock's shutdown can wait for, and that counts into the SocketDock's
 * {@link RelayStats}. Internal: embedders' backends are not asked.
 */
interface Drainable {

    /**
     * Counts into {@code stats}, counts the request bodies it holds into {@code budget}, and
     * learns whether connects are to be decided ({@code AUTHORIZE}); called once, before
     * {@code start()}.
     */
    void attach(RelayStats stats, ByteBudget budget, io.github.socketdock.ConnectMode connectMode);

    /** Waits up to {@code timeout} for every call under way to finish. */
    void awaitIdle(Duration timeout) throws InterruptedException;
}
