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
 * open (the Credo mediator holds return-route answers) from stalling the socket.
 *
 * <p>A try that does not count — answered 503, or lost before any answer began and so tried again
 * — holds the event back for good: from then on only an accepted answer (begun, not 503) delivers
 * it, never the window, so no later event overtakes one the backend refused. Each try's progress
 * carries its number: a try's "sent" that comes after its 503 (a backend may answer before it has
 * read the whole request) is ignored.
 */
class Delivery implements BackendCall.Progress {

    private final CompletableFuture<Void> delivered = new CompletableFuture<>();
    private final Ticker ticker;
    private final Duration window;
    /** The highest try number that did not count. */
    private int declined;
    /** A try did not count before the event was delivered: only an accepted answer delivers it. */
    private boolean held;
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
    public void sent(int attempt) {
        synchronized (this) {
            if (attempt <= declined) {
                return;
            }
            sent = true;
            if (!answering && (window == null || held)) {
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
    public void answering(int attempt) {
        synchronized (this) {
            if (attempt <= declined) {
                return;
            }
            answering = true;
            if (!sent) {
                return;
            }
            cancelTimer();
        }
        delivered.complete(null);
    }

    @Override
    public synchronized void declined(int attempt) {
        declined = Math.max(declined, attempt);
        held |= !delivered.isDone();
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
