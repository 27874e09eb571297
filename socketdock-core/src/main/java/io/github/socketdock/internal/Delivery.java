package io.github.socketdock.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Decides when one message POST counts as delivered, so the next message of the same connection
 * may go: once the request has been fully sent <em>and</em> either the backend has begun its answer
 * or the ordering window has passed since the request was sent.
 *
 * <p>Why not as soon as it is sent: two requests of one connection travel on two pooled HTTP
 * connections, and a backend handles connections in parallel, so a request sent later can be
 * handled first (measured here: reordering within the first ten messages of every run, mostly
 * when a new pooled connection is being accepted). Waiting for the answer to begin proves the
 * backend is handling the previous request; the window keeps an answer the backend holds open
 * (the Credo mediator holds return-route answers) from stalling the socket.
 */
final class Delivery {

    private final CompletableFuture<Void> delivered = new CompletableFuture<>();
    private final Scheduler scheduler;
    private final Duration window;
    private boolean sent;
    private boolean answering;
    private Scheduler.Task timer;

    Delivery(Scheduler scheduler, Duration window) {
        this.scheduler = scheduler;
        this.window = window;
    }

    /** @return completes when the message counts as delivered; fails if the request never went out */
    CompletableFuture<Void> future() {
        return delivered;
    }

    /** The request has been fully sent. */
    void sent() {
        synchronized (this) {
            sent = true;
            if (!answering && !window.isZero()) {
                timer = scheduler.schedule(this::windowPassed, window.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        delivered.complete(null);
    }

    /** The backend has begun its answer. */
    void answering() {
        Scheduler.Task t;
        synchronized (this) {
            answering = true;
            if (!sent) {
                return;
            }
            t = timer;
        }
        if (t != null) {
            t.cancel();
        }
        delivered.complete(null);
    }

    /** The exchange ended; {@code failure} is null on success. */
    void ended(Throwable failure) {
        Scheduler.Task t;
        boolean wasSent;
        synchronized (this) {
            wasSent = sent;
            t = timer;
        }
        if (t != null) {
            t.cancel();
        }
        if (wasSent || failure == null) {
            delivered.complete(null);
        } else {
            delivered.completeExceptionally(failure);
        }
    }

    /** @return whether the request had been fully sent */
    synchronized boolean wasSent() {
        return sent;
    }

    private void windowPassed() {
        delivered.complete(null);
    }
}
