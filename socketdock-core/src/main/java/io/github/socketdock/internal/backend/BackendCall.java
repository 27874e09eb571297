package io.github.socketdock.internal.backend;

import io.github.socketdock.SocketDockListener.BackendEvent;
import io.github.socketdock.SocketDockListener.BackendOutcome;
import io.github.socketdock.SocketDockListener;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.relay.Events;
import io.github.socketdock.internal.relay.Relay;
import io.github.socketdock.internal.wire.RequestBody;
import io.github.socketdock.internal.wire.WireFormat;
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
 * One event POSTed to the backend, retried until it is accepted or its retries run out: at least
 * once, never lost silently, every try with the same {@code SocketDock-Message-Id}.
 *
 * <p>Retried: a request that did not reach the backend (the connection was refused or timed out,
 * it failed before the request was fully sent, or the TLS handshake failed), a 503 answer, and a
 * request fully sent whose connection failed before any byte of an answer came (reset, end of
 * stream, a backend killed while it held the request): the backend may have handled that one, so
 * its retry may be a duplicate, which the backend can drop by its id. Never retried: a request
 * that got an answer (any status but 503), or none within the backend timeout (a backend that
 * holds answers open must not get each message again).
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
        /** Try number {@code attempt} (1, 2, …) had its request fully sent. */
        void sent(int attempt);

        /** The backend began an answer to try {@code attempt} that is not 503. */
        void answering(int attempt);

        /** Try {@code attempt} does not count: answered 503, or lost before any answer began. */
        void declined(int attempt);
    }

    private static final Progress SILENT = new Progress() {
        @Override
        public void sent(int attempt) {
        }

        @Override
        public void answering(int attempt) {
        }

        @Override
        public void declined(int attempt) {
        }
    };

    private final HttpClient client;
    private final BackendEvent event;
    private final URI uri;
    /** The body: every try sends it from its start; released when the call ends. */
    private final RequestBody body;
    private final Duration timeout;
    private final RetryPolicy policy;
    private final Events events;
    private final Ticker ticker;
    private final Progress progress;
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final WebhookSigner signer;
    /** The connection the event is about, and its client's address (for the log lines' MDC). */
    private final String connectionId;
    private final java.net.InetSocketAddress remote;
    /** The event's id ({@code SocketDock-Message-Id}, and {@code webhook-id} when signing): the same for every try. */
    private final String messageId;
    /** A message's number in its connection (1, 2, …), or 0 for connect and disconnect. */
    private final long sequence;
    private int retries;
    /** Tries started; guarded by {@code this}. */
    private int attempts;
    /** The request of the try under way, or null. */
    private volatile Request current;
    /** Set once, by the ending; no try starts after it. Guarded by {@code this}. */
    private boolean over;

    /**
     * @param connectionId the connection the event is about
     * @param remote       its client's address, or null
     * @param sequence     a message's number in its connection (1, 2, …), or 0 for connect and disconnect
     */
    BackendCall(HttpClient client, BackendEvent event, URI uri, RequestBody body, Duration timeout, RetryPolicy policy,
                Relay relay, WebhookSigner signer, Progress progress, String connectionId,
                java.net.InetSocketAddress remote, long sequence) {
        this.client = client;
        this.event = event;
        this.uri = uri;
        this.body = body;
        this.timeout = timeout;
        this.policy = policy;
        this.events = relay.events();
        this.ticker = relay.ticker();
        this.progress = progress == null ? SILENT : progress;
        this.signer = signer;
        this.connectionId = connectionId;
        this.remote = remote;
        this.messageId = WebhookSigner.newId();
        this.sequence = sequence;
    }

    /** Starts the first try. @return completes with how the call ended, never exceptionally */
    CompletableFuture<Ending> start() {
        attempt();
        return ending;
    }

    /** @return completes with how the call ended, never exceptionally */
    CompletableFuture<Ending> ending() {
        return ending;
    }

    /** Ends a call still under way as undelivered (the client is stopping). */
    void abandon() {
        end(new Ending(Outcome.UNDELIVERED, 0, new IllegalStateException("SocketDock is stopping")));
    }

    /**
     * Stops waiting for the answer of a request already delivered: the call ends with no answer,
     * and the request under way is cancelled, not retried.
     */
    void abandonAnswer(String why) {
        java.util.concurrent.CancellationException cause = new java.util.concurrent.CancellationException(why);
        end(new Ending(Outcome.NO_ANSWER, 0, cause));
        Request r = current;
        if (r != null) {
            r.abort(cause);
        }
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
            events.backendGaveUp(connectionId, event, e.outcome() == Outcome.NO_ANSWER
                    ? SocketDockListener.GiveUpReason.NO_ANSWER : SocketDockListener.GiveUpReason.UNDELIVERED);
        }
        ending.complete(e);
    }

    private void attempt() {
        int attempt;
        synchronized (this) {
            if (over) {
                return;
            }
            attempt = ++attempts;
            // this try's reference: Jetty may read the content until the request completes, even
            // after the call has ended (abandoned while stopping)
            body.retain();
        }
        Try t = new Try(attempt);
        long began = System.nanoTime();
        Request request;
        try {
            request = request(t);
        } catch (RuntimeException e) {
            // nothing was sent: give this try's reference back, and the call ends undelivered
            body.release();
            end(new Ending(Outcome.UNDELIVERED, 0, e));
            return;
        }
        current = request;
        boolean abandoned;
        synchronized (this) {
            abandoned = over;
        }
        if (abandoned) {
            request.abort(new java.util.concurrent.CancellationException("the call ended"));
        }
        request.send(result -> {
            try {
                ended(result, t, System.nanoTime() - began);
            } finally {
                body.release();
            }
        });
    }

    /** What one try has seen: its number, whether its request was fully sent, whether an answer began. */
    private static final class Try {
        final int number;
        private boolean sent;
        private boolean answered;

        Try(int number) {
            this.number = number;
        }

        synchronized void sent() {
            sent = true;
        }

        synchronized void answered() {
            answered = true;
        }

        synchronized boolean wasSent() {
            return sent;
        }

        synchronized boolean wasAnswered() {
            return answered;
        }
    }

    /** @return try {@code t}'s request, signed if signing is on, reporting its progress */
    private Request request(Try t) {
        return client.newRequest(uri)
                .method(HttpMethod.POST)
                .headers(h -> {
                    h.put(WireFormat.CONNECTION_ID_HEADER, connectionId);
                    h.put(WireFormat.MESSAGE_ID_HEADER, messageId);
                    if (sequence > 0) {
                        h.put(WireFormat.SEQUENCE_HEADER, Long.toString(sequence));
                    }
                    if (signer.enabled()) {
                        long ts = signer.timestamp();
                        h.put("webhook-id", messageId);
                        h.put("webhook-timestamp", Long.toString(ts));
                        h.put("webhook-signature", signer.signature(messageId, ts, body));
                    }
                })
                .body(body.content())
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .onRequestSuccess(r -> {
                    t.sent();
                    progress.sent(t.number);
                })
                .onResponseBegin(r -> {
                    t.answered();
                    if (r.getStatus() == HttpStatus.SERVICE_UNAVAILABLE_503) {
                        progress.declined(t.number);
                    } else {
                        progress.answering(t.number);
                    }
                });
    }

    private void ended(Result result, Try t, long nanos) {
        int status = result.getResponse() == null || !t.wasAnswered() ? 0 : result.getResponse().getStatus();
        Throwable failure = result.getFailure();
        events.backendCall(new SocketDockListener.BackendCall(connectionId, event, sequence, t.number,
                outcome(status, failure), status, Duration.ofNanos(nanos)));
        if (Logs.BACKEND.isDebugEnabled()) {
            try (Logs.Scope ignored = Logs.connection(connectionId, remote)) {
                Logs.BACKEND.debug("connection {}: {}{} try {}: {} in {}", connectionId, event.tag(),
                        sequence > 0 ? " " + sequence : "", t.number,
                        status > 0 ? Integer.toString(status) : "no answer, " + (failure == null ? "given up" : LogText.rootMessage(failure)),
                        LogText.elapsed(Duration.ofNanos(nanos)));
            }
        }
        boolean notReached = status == 0 && (!t.wasSent() || tlsRefused(failure));
        // sent whole, then the connection failed before any answer began: the backend may or may
        // not have handled it, and a retry with the same id is the only way not to lose it
        boolean lostUnanswered = status == 0 && t.wasSent() && !timedOut(failure);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503 || notReached || lostUnanswered) {
            if (status == 0) {
                progress.declined(t.number);
            }
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
        return causedBy(failure, javax.net.ssl.SSLHandshakeException.class);
    }

    /** @return whether the try failed because no answer came within the backend timeout */
    private static boolean timedOut(Throwable failure) {
        return causedBy(failure, java.util.concurrent.TimeoutException.class);
    }

    /** @return whether {@code failure} or one of its causes is a {@code type} */
    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void retryOrGiveUp(int status, Throwable failure) {
        synchronized (this) {
            if (over) {
                return;
            }
        }
        long delay = policy.delayBefore(++retries, ticker.nanos());
        if (delay < 0 || !client.isRunning()) {
            end(new Ending(Outcome.UNDELIVERED, status, failure));
            return;
        }
        // on the relay's ticker; a retry still waiting when the relay stops is abandoned with the client
        ticker.schedule(this::attempt, Duration.ofNanos(delay));
    }

    /** How one try ended, for the listeners. */
    static BackendOutcome outcome(int status, Throwable failure) {
        if (status >= 200 && status < 300) {
            return BackendOutcome.SUCCESS;
        }
        if (status >= 500) {
            return BackendOutcome.SERVER_ERROR;
        }
        if (status > 0) {
            return BackendOutcome.CLIENT_ERROR;
        }
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof java.util.concurrent.TimeoutException) {
                return BackendOutcome.TIMEOUT;
            }
        }
        return BackendOutcome.UNREACHABLE;
    }
}
