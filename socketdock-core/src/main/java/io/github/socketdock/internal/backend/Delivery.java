package io.github.socketdock.internal.backend;

import io.github.socketdock.internal.common.Ticker;
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
 * — leaves the event undelivered, so no later event overtakes one the backend refused: only a
 * later try delivers it, by the same rule as the first (its answer begins, or its own window passes
 * with the answer held open, as a Credo mediator holds the answer to a retried return-route
 * message as much as to any other). Each try's progress carries its number: a try's "sent" that
 * comes after its 503 (a backend may answer before it has read the whole request) is ignored.
 */
class Delivery implements BackendCall.Progress {

    private final CompletableFuture<Void> delivered = new CompletableFuture<>();
    private final Ticker ticker;
    private final Duration window;
    /** Completes once the latest try counts, or the call ended. Guarded by this. */
    private CompletableFuture<Void> settled = delivered;
    /** Whether a try counted: the event was delivered. Guarded by this. */
    private boolean counted;
    /** Whether the try {@link #settled} waits for counted. Guarded by this. */
    private boolean settledCounted;
    /** The highest try number that did not count. */
    private int declined;
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
        CompletableFuture<Void> counts;
        synchronized (this) {
            if (attempt <= declined) {
                return;
            }
            sent = true;
            if (!answering && window == null) {
                return;
            }
            if (!answering && !window.isZero()) {
                timer = ticker.schedule(() -> windowPassed(attempt), window);
                return;
            }
            counts = count();
        }
        complete(counts);
    }

    @Override
    public void answering(int attempt) {
        CompletableFuture<Void> counts;
        synchronized (this) {
            if (attempt <= declined) {
                return;
            }
            answering = true;
            if (!sent) {
                return;
            }
            cancelTimer();
            counts = count();
        }
        complete(counts);
    }

    /** The window of try {@code attempt} passed, with no answer begun: it counts, unless it was declined meanwhile. */
    private void windowPassed(int attempt) {
        CompletableFuture<Void> counts;
        synchronized (this) {
            if (attempt <= declined || timer == null) {
                return;
            }
            timer = null;
            counts = count();
        }
        complete(counts);
    }

    @Override
    public void declined(int attempt) {
        declinedTry(attempt);
    }

    /**
     * A try did not count (503, or lost before an answer began): it is tried again.
     *
     * @return null if the event was not delivered yet (it still is not); else what settles once a
     *     retry counts by the same rule — the event's connection's disconnect waits for it
     */
    synchronized CompletableFuture<Void> declinedTry(int attempt) {
        declined = Math.max(declined, attempt);
        sent = false;
        answering = false;
        cancelTimer();
        if (!counted) {
            return null;
        }
        if (settledCounted) {
            settled = new CompletableFuture<>();
            settledCounted = false;
        }
        return settled;
    }

    /** @return the future to complete: the current try counts. Under the lock. */
    private CompletableFuture<Void> count() {
        counted = true;
        settledCounted = true;
        return settled;
    }

    private void complete(CompletableFuture<Void> counts) {
        delivered.complete(null);
        counts.complete(null);
    }

    /** The call ended: delivered unless it ended undelivered before it counted as delivered; settled either way. */
    void ended(BackendCall.Ending ending) {
        CompletableFuture<Void> last;
        synchronized (this) {
            cancelTimer();
            last = settled;
        }
        if (ending.outcome() == BackendCall.Outcome.UNDELIVERED) {
            delivered.completeExceptionally(ending.failure() != null ? ending.failure()
                    : new IllegalStateException("backend answered " + ending.status()));
        } else {
            delivered.complete(null);
        }
        last.complete(null);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
