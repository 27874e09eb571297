package io.github.socketdock.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;

/**
 * One event POSTed to the backend, retried only when that is safe.
 *
 * <p>Retried: a request that provably did not reach the backend (the connection was refused or
 * timed out, it failed before the request was fully sent, or the TLS handshake failed) and a 503
 * answer. Never retried: a
 * request the backend received whole — any other answer, or no answer at all — so the backend
 * never sees a duplicate.
 */
final class BackendCall {

    /** How a call ended. */
    enum Outcome {
        /** The backend answered (any status but 503). */
        ANSWERED,
        /** The request was received whole, but no answer came (timeout, connection lost). */
        NO_ANSWER,
        /** Every try failed before the backend received the request, or it answered 503. */
        UNDELIVERED
    }

    /** The end of a call: the outcome, the last status (0 if none) and the last failure (or null). */
    record Ending(Outcome outcome, int status, Throwable failure) {
    }

    /** Hears each try's progress; {@link Delivery} uses it. */
    interface Progress {
        /** A try's request was fully sent. */
        void sent();

        /** The backend began an answer that is not 503. */
        void answering();

        /** The backend answered 503: this try did not count. */
        void declined();
    }

    private static final Progress SILENT = new Progress() {
        @Override
        public void sent() {
        }

        @Override
        public void answering() {
        }

        @Override
        public void declined() {
        }
    };

    private final HttpClient client;
    /** The event's name in metrics: {@code connect}, {@code message} or {@code disconnect}. */
    private final String event;
    private final URI uri;
    /** The body: every try sends it from its start; released when the call ends. */
    private final RequestBody body;
    private final Duration timeout;
    private final RetryPolicy policy;
    private final RelayStats stats;
    private final Ticker ticker;
    private final Progress progress;
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final WebhookSigner signer;
    /** The event's {@code webhook-id}: the same for every try. */
    private final String webhookId;
    private int retries;
    /** Set once, by the ending; no try starts after it. Guarded by {@code this}. */
    private boolean over;

    BackendCall(HttpClient client, String event, URI uri, RequestBody body, Duration timeout, RetryPolicy policy,
                Relay relay, WebhookSigner signer, Progress progress) {
        this.client = client;
        this.event = event;
        this.uri = uri;
        this.body = body;
        this.timeout = timeout;
        this.policy = policy;
        this.stats = relay.stats();
        this.ticker = relay.ticker();
        this.progress = progress == null ? SILENT : progress;
        this.signer = signer;
        this.webhookId = signer.enabled() ? WebhookSigner.newId() : null;
    }

    /** Starts the first try. @return completes with how the call ended, never exceptionally */
    CompletableFuture<Ending> start() {
        attempt();
        return ending;
    }

    /** Ends a call still under way as undelivered (the client is stopping). */
    void abandon() {
        end(new Ending(Outcome.UNDELIVERED, 0, new IllegalStateException("SocketDock is stopping")));
    }

    /**
     * Ends the call once, and drops its reference to the body (a try still under way keeps its
     * own); an ending other than an answer counts as a failure of its event.
     */
    private void end(Ending e) {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
        }
        body.release();
        if (e.outcome() != Outcome.ANSWERED) {
            stats.metrics.backendFailure(event);
        }
        ending.complete(e);
    }

    private void attempt() {
        synchronized (this) {
            if (over) {
                return;
            }
            // this try's reference: Jetty may read the content until the request completes, even
            // after the call has ended (abandoned while stopping)
            body.retain();
        }
        boolean[] sent = new boolean[1];
        long began = System.nanoTime();
        Request request;
        try {
            request = request(sent);
        } catch (RuntimeException e) {
            // nothing was sent: give this try's reference back, and the call ends undelivered
            body.release();
            end(new Ending(Outcome.UNDELIVERED, 0, e));
            return;
        }
        request.send(result -> {
            boolean wasSent;
            synchronized (sent) {
                wasSent = sent[0];
            }
            try {
                ended(result, wasSent, System.nanoTime() - began);
            } finally {
                body.release();
            }
        });
    }

    /** @return this try's request, signed if signing is on; {@code sent[0]} is set once its body is sent */
    private Request request(boolean[] sent) {
        return client.newRequest(uri)
                .method(HttpMethod.POST)
                .headers(h -> {
                    if (webhookId != null) {
                        long ts = signer.timestamp();
                        h.put("webhook-id", webhookId);
                        h.put("webhook-timestamp", Long.toString(ts));
                        h.put("webhook-signature", signer.signature(webhookId, ts, body));
                    }
                })
                .body(body.content())
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .onRequestSuccess(r -> {
                    synchronized (sent) {
                        sent[0] = true;
                    }
                    progress.sent();
                })
                .onResponseBegin(r -> {
                    if (r.getStatus() == HttpStatus.SERVICE_UNAVAILABLE_503) {
                        progress.declined();
                    } else {
                        progress.answering();
                    }
                });
    }

    private void ended(Result result, boolean sent, long nanos) {
        int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
        Throwable failure = result.getFailure();
        stats.metrics.backendRequest(event, Metrics.BackendOutcome.of(status, failure), nanos);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503 || (status == 0 && (!sent || tlsRefused(failure)))) {
            retryOrGiveUp(status, failure);
        } else if (status > 0) {
            end(new Ending(Outcome.ANSWERED, status, failure));
        } else {
            end(new Ending(Outcome.NO_ANSWER, 0, failure));
        }
    }

    /**
     * With TLS 1.3 a client sends its request before it learns that the server refused its
     * certificate; the server's application never saw that request, so it counts as not reached.
     */
    private static boolean tlsRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private void retryOrGiveUp(int status, Throwable failure) {
        long delay = policy.delayBefore(++retries, ticker.nanos());
        if (delay < 0 || !client.isRunning()) {
            end(new Ending(Outcome.UNDELIVERED, status, failure));
            return;
        }
        stats.backendRetry(event);
        // on the relay's ticker; a retry still waiting when the relay stops is abandoned with the client
        ticker.schedule(this::attempt, Duration.ofNanos(delay));
    }
}
