package io.github.socketdock.internal;

import io.github.socketdock.CloseStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one SocketDock: the open ones (found by id for the send and disconnect routes,
 * visited by the housekeeping) and those whose disconnect the backend has not yet taken (awaited by
 * the drain at shutdown).
 */
final class ConnectionRegistry {

    private final Map<String, LiveConnection> open = new ConcurrentHashMap<>();
    private final Map<String, PendingConnection> pending = new ConcurrentHashMap<>();
    private final Set<WsEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> unfinished = new ConcurrentHashMap<>();
    private final AtomicLong lifetime = new AtomicLong();
    /** Once set, by {@link #closeAll}, a connection that opens is closed at once with it. */
    private volatile CloseStatus closingAll;

    /** Registers a connection that just opened; {@code finished} completes when its disconnect was taken. */
    void opened(LiveConnection c, WsEndpoint endpoint, CompletableFuture<Void> finished) {
        unfinished.put(c.id(), finished);
        open.put(c.id(), c);
        endpoints.add(endpoint);

        lifetime.incrementAndGet();
        finished.whenComplete((v, x) -> unfinished.remove(c.id()));
        CloseStatus all = closingAll;
        if (all != null) {
            c.closeNow(all.code(), all.reason());
        }
    }

    /** The connection is closed: it can no longer be found. */
    void closed(LiveConnection c, WsEndpoint endpoint) {
        open.remove(c.id());
        endpoints.remove(endpoint);
    }

    /** Registers a connection whose upgrade waits for the backend's decision. */
    void pending(PendingConnection p) {
        pending.put(p.id(), p);
    }

    /** @return the connection with that id whose upgrade waits for the backend, or null */
    PendingConnection findPending(String id) {
        return pending.get(id);
    }

    /** The pending connection opened, or was refused: it is no longer pending. */
    void notPending(String id) {
        pending.remove(id);
    }

    /** @return the open connection with that id, or null */
    LiveConnection find(String id) {
        return open.get(id);
    }

    private final Object admission = new Object();
    private int admittedTotal;
    private final Map<java.net.InetAddress, Integer> admittedFrom = new java.util.HashMap<>();

    /**
     * Admits one more connection (waiting for the backend's decision, or opening) if the limits
     * allow it; exact under concurrent upgrades. Every admission is released once with
     * {@link #release}.
     *
     * @return 0 if admitted, else the status to refuse with: 503 over the total, 429 over the address's share
     */
    int admit(java.net.InetAddress address, int maxTotal, int maxPerAddress) {
        synchronized (admission) {
            if (admittedTotal >= maxTotal) {
                return 503;
            }
            int from = address == null ? 0 : admittedFrom.getOrDefault(address, 0);
            if (from >= maxPerAddress) {
                return 429;
            }
            admittedTotal++;
            if (address != null) {
                admittedFrom.put(address, from + 1);
            }
            return 0;
        }
    }

    /** Gives back an admission. */
    void release(java.net.InetAddress address) {
        synchronized (admission) {
            admittedTotal--;
            if (address != null) {
                admittedFrom.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    int openCount() {
        return open.size();
    }

    long lifetimeCount() {
        return lifetime.get();
    }

    /** Runs the housekeeping of every open connection. */
    void housekeep(long now) {
        for (WsEndpoint e : endpoints) {
            e.housekeep(now);
        }
    }

    /**
     * Closes every open connection with {@code status}, and every connection that opens from now on
     * (an upgrade already past its check when the drain began).
     *
     * @return completes when the backend has taken every connection's disconnect
     */
    CompletableFuture<Void> closeAll(CloseStatus status) {
        closingAll = status;
        for (LiveConnection c : open.values()) {
            c.closeNow(status.code(), status.reason());
        }
        return CompletableFuture.allOf(unfinished.values().toArray(CompletableFuture[]::new));
    }
}
