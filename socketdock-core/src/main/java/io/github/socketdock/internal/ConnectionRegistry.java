package io.github.socketdock.internal;

import io.github.socketdock.CloseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one SocketDock: the open ones (found by id for the send and disconnect routes)
 * and those whose disconnect the backend has not yet taken (awaited by the drain at shutdown).
 */
final class ConnectionRegistry {

    private final Map<String, LiveConnection> open = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> unfinished = new ConcurrentHashMap<>();
    private final AtomicLong lifetime = new AtomicLong();

    /** Registers a connection that just opened; {@code finished} completes when its disconnect was taken. */
    void opened(LiveConnection c, CompletableFuture<Void> finished) {
        unfinished.put(c.id(), finished);
        open.put(c.id(), c);
        lifetime.incrementAndGet();
        finished.whenComplete((v, x) -> unfinished.remove(c.id()));
    }

    /** The connection is closed: it can no longer be found. */
    void closed(LiveConnection c) {
        open.remove(c.id());
    }

    /** @return the open connection with that id, or null */
    LiveConnection find(String id) {
        return open.get(id);
    }

    int openCount() {
        return open.size();
    }

    long lifetimeCount() {
        return lifetime.get();
    }

    /**
     * Closes every open connection with {@code status}.
     *
     * @return completes when the backend has taken every connection's disconnect
     */
    CompletableFuture<Void> closeAll(CloseStatus status) {
        for (LiveConnection c : open.values()) {
            c.closeNow(status.code(), status.reason());
        }
        return CompletableFuture.allOf(unfinished.values().toArray(CompletableFuture[]::new));
    }
}
