package io.github.socketdock.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Decides when an event POSTed to the backend counts as delivered, so the next event of the same
 * connection may go: once a try's request has been fully sent <em>and</em> either the backend has
 * begun an answer other than 503 or the ordering window has passed since the request was sent.
 *
 * <p>Why not as soon as it is sent: two requests of one connection travel on two pooled HTTP
 * connections, and a backend handles connections in parallel, so a request sent later can be
 * handled first (measured here: reordering within the first ten messages of every run, mostly
 * when a new pooled connection is being accepted). Waiting until the backend has begun the
 * previous answer proves it is handling that request; the window keeps an answer the backend holds
 * open (the Credo mediator holds return-route answers) from stalling the socket. A 503 answer
 * means the try did not count: delivery waits for the retry.
 */
class Delivery implements BackendCall.Progress {

    private final CompletableFuture<Void> delivered = new CompletableFuture<>();
    private final Ticker ticker;
    private final Duration window;
    private boolean sent;
    private boolean answering;
    private Ticker.Timer timer;

    /** @param window the ordering window, or null for none: delivered only once an answer begins */
    Delivery(Ticker ticker, Duration window) {
        this.ticker = ticker;
        this.window = window;
    }

    /** @return completes when the event counts as delivered; fails if it never was */
    CompletableFuture<Void> future() {
        return delivered;
    }

    @Override
    public void sent() {
        synchronized (this) {
            sent = true;
            if (!answering && window == null) {
                return;
            }
            if (!answering && !window.isZero()) {
                timer = ticker.schedule(() -> delivered.complete(null), window);
                return;
            }
        }
        delivered.complete(null);
    }

    @Override
    public void answering() {
        synchronized (this) {
            answering = true;
            if (!sent) {
                return;
            }
            cancelTimer();
        }
        delivered.complete(null);
    }

    @Override
    public synchronized void declined() {
        sent = false;
        answering = false;
        cancelTimer();
    }

    /** The call ended: delivered unless it ended undelivered before it counted as delivered. */
    void ended(BackendCall.Ending ending) {
        synchronized (this) {
            cancelTimer();
        }
        if (ending.outcome() == BackendCall.Outcome.UNDELIVERED) {
            delivered.completeExceptionally(ending.failure() != null ? ending.failure()
                    : new IllegalStateException("backend answered " + ending.status()));
        } else {
            delivered.complete(null);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
