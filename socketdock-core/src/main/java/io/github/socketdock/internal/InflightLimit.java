package io.github.socketdock.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the answers awaited for one connection. {@link #acquire()} completes at once while below
 * the bound, else when an answer arrives. Waiters are bounded in practice: the relay hands a
 * backend one message of a connection at a time, so at most one waits.
 */
final class InflightLimit {

    private final int max;
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inflight;

    InflightLimit(int max) {
        this.max = max;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (inflight < max) {
                inflight++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> turn = new CompletableFuture<>();
            waiting.add(turn);
            return turn;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inflight--;
                return;
            }
        }
        next.complete(null);
    }

    synchronized int inflight() {
        return inflight;
    }
}
