package io.github.socketdock.internal.relay;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.internal.common.Ticker;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one SocketDock, by id: each {@link RelayConnection} from the moment its id
 * exists (an upgrade the backend is deciding, or an open socket) until the backend has taken its
 * disconnect. It maps ids to owners and keeps no state of theirs; the counts are the relay's.
 */
final class ConnectionRegistry {

    private final Map<String, RelayConnection> byId = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lifetime = new AtomicLong();
    /** Once set, by {@link #closeAll}, a connection that opens is closed at once with it. */
    private volatile CloseStatus closingAll;

    /** @param c a connection whose id exists from now on */
    void add(RelayConnection c) {
        byId.put(c.id(), c);
    }

    /** @param c a connection that is done: its disconnect was taken, or it never opened */
    void remove(RelayConnection c) {
        byId.remove(c.id(), c);
    }

    /** A socket opened. */
    void opened() {
        open.incrementAndGet();
        lifetime.incrementAndGet();
    }

    /** An open socket closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** @return the connection with that id, in whatever state, or null */
    RelayConnection find(String id) {
        return byId.get(id);
    }

    /** @return the close status every connection gets from now on, or null while not draining */
    CloseStatus closingAll() {
        return closingAll;
    }

    int openCount() {
        return open.get();
    }

    long lifetimeCount() {
        return lifetime.get();
    }

    /** Runs the housekeeping of every connection at {@code now} (a {@link Ticker} reading). */
    void housekeep(long now) {
        for (RelayConnection c : byId.values()) {
            c.housekeep(now);
        }
    }

    /**
     * Closes every connection with {@code status}, and every connection that opens from now on
     * (an upgrade already past its checks when the drain began).
     *
     * @return completes when every connection known now is done: its disconnect taken, or never opened
     */
    CompletableFuture<Void> closeAll(CloseStatus status) {
        closingAll = status;
        CompletableFuture<?>[] done = byId.values().stream().map(c -> {
            c.close(status);
            return c.finished();
        }).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(done);
    }

    /** @return completes when every connection known now has closed (its TCP connection ended) */
    CompletableFuture<Void> allClosed() {
        return CompletableFuture.allOf(byId.values().stream().map(RelayConnection::closedStage)
                .toArray(CompletableFuture[]::new));
    }

    /** Drops every connection still open or closing, without waiting for a close reply. */
    void dropAll() {
        byId.values().forEach(RelayConnection::drop);
    }
}
