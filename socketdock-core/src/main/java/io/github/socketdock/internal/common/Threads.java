package io.github.socketdock.internal.common;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The thread pools SocketDock runs Jetty on: the server's (sockets, callback routes) and the
 * {@code http} backend's client. Nothing on them blocks (callbacks must not, backend calls and
 * gated upgrades are asynchronous), so a few threads per core keep the cores busy, and the headroom
 * absorbs stalls such as a log write or a GC pause. Jetty's default cap of 200 suits blocking
 * servlets: in a burst of upgrades the server pool grew to all 200, each thread keeping about
 * 115 KiB of touched stack (23 MB of resident memory on a 2-core machine).
 */
public final class Threads {

    /** The cap is at least this many threads... */
    static final int MIN_MAX_THREADS = 32;
    /** ...and otherwise this many per processor. */
    static final int PER_PROCESSOR = 8;

    private Threads() {
    }

    /** @return the most threads a pool may run on a machine with this many processors */
    static int maxThreads(int processors) {
        return Math.max(MIN_MAX_THREADS, PER_PROCESSOR * processors);
    }

    /** @return a pool named {@code name} (threads {@code name-<n>}), capped by {@link #maxThreads(int)} */
    public static QueuedThreadPool pool(String name) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads(Runtime.getRuntime().availableProcessors()));
        pool.setName(name);
        return pool;
    }
}
