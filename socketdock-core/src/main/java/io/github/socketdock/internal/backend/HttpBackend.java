package io.github.socketdock.internal.backend;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.Connection;
import io.github.socketdock.ConnectionRefusedException;
import io.github.socketdock.Message;
import io.github.socketdock.SocketDockListener.BackendEvent;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.common.Secrets;
import io.github.socketdock.internal.common.Threads;
import io.github.socketdock.internal.common.Version;
import io.github.socketdock.internal.net.Tls;
import io.github.socketdock.internal.relay.BuiltInBackend;
import io.github.socketdock.internal.relay.ByteBudget;
import io.github.socketdock.internal.relay.Relay;
import io.github.socketdock.internal.wire.Envelope;
import io.github.socketdock.internal.wire.RequestBody;
import io.github.socketdock.internal.wire.WireFormat;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.slf4j.Logger;

/**
 * The {@code http} backend: every socket event becomes a JSON POST (see {@link WireFormat}) through
 * one shared, pooled Jetty {@link HttpClient}, retried only when safe (see {@link BackendCall}).
 * Each request body counts against the process-wide byte budget until its exchange ends, so
 * answers held open by the backend hold their bytes in the budget, not outside it.
 *
 * <ul>
 *   <li>connect and message: the stage completes once the event is delivered (see
 *       {@link Delivery}), so the next message can go while this answer is still awaited. It
 *       fails if the event could not be delivered after its retries, and the relay then closes the
 *       socket with 1011. A message that turns out undeliverable after its stage completed (a 503
 *       after the ordering window) closes the socket with 1011 too: never dropped silently.
 *       Every request carries the connection's id, the event's id (the same on each retry) and a
 *       message's number in its connection. Answers awaited of delivered messages are bounded over
 *       all connections ({@link HeldAnswers}); past the bound the oldest is given up, and no
 *       socket waits for held answers.</li>
 *   <li>disconnect: posted once the connect's answer has begun (or its call ended), retried for
 *       {@link Retry#DISCONNECT_RETRY_PERIOD}; the stage completes when the backend
 *       answered or SocketDock gave up.</li>
 * </ul>
 */
public final class HttpBackend implements BuiltInBackend {

    private static final Logger LOG = Logs.BACKEND;
    /**
     * Idle pooled connections are closed after this, below the keep-alive timeouts of common
     * backend servers (Node.js 5 s, gunicorn 2 s), so the relay closes an idle connection before the
     * backend does and does not write a request into a connection the backend is closing (a request
     * lost that way could not be told from one the backend received). Requests waiting for an
     * answer are not idle: each request sets its own idle timeout to the backend timeout.
     */
    private static final long POOL_IDLE_TIMEOUT_MS = 1500;
    /** Bound on requests waiting for a pooled connection when every connection is busy. */
    private static final int MAX_QUEUED_REQUESTS = 65_536;

    private final HttpBackendOptions options;
    private final WebhookSigner signer;
    private final Set<BackendCall> calls = ConcurrentHashMap.newKeySet();
    /** Answers awaited of delivered messages; made by {@link #start(Relay)}. */
    private HeldAnswers held;
    private final Set<CompletableFuture<BackendCall.Ending>> underway = ConcurrentHashMap.newKeySet();
    /** The relay this backend serves: its budget, counters, connect mode and ticker; set by {@link #start(Relay)}. */
    private Relay relay;
    private HttpClient client;
    /** The pool of the bodies built whole, and of the chunks of those streamed: {@code pool}, or one of their own. */
    private ByteBufferPool bodies;
    /** Makes each small call's body, in a buffer of {@link #bodies}. */
    private WireFormat.Sink<Envelope> envelopes;

    /** The pool of the bodies (and of the client's own buffers), or null: Envelope's pool and Jetty's default one. */
    private final ByteBufferPool pool;

    public HttpBackend(HttpBackendOptions options) {
        this(options, null);
    }

    /** With the client on {@code pool} (tests watch a tracking pool for buffers never given back). */
    HttpBackend(HttpBackendOptions options, ByteBufferPool pool) {
        this.options = options;
        this.pool = pool;
        this.signer = new WebhookSigner(Secrets.secrets(options), java.time.Clock.systemUTC());
    }

    @Override
    public String misfit(ConnectMode connectMode, boolean callbacksNeedProxyHeader) {
        if (connectMode == ConnectMode.AUTHORIZE && options.connectUri().isEmpty()) {
            return "connect mode AUTHORIZE with the http backend needs a connect URI: the backend decides "
                    + "each upgrade by its answer to the connect POST (--connect-uri on the command line)";
        }
        if (callbacksNeedProxyHeader) {
            return "the PROXY protocol with the http backend needs a control listener of its own: the backend's "
                    + "callbacks reach this instance directly, without the PROXY header the public listener then "
                    + "requires (--control-bindport on the command line)";
        }
        return null;
    }

    @Override
    public void start(Relay relay) throws Exception {
        this.relay = relay;
        HttpClient c = new HttpClient();
        c.setSslContextFactory(Tls.client(options));
        c.setExecutor(Threads.pool("socketdock-backend"));
        if (pool != null) {
            c.setByteBufferPool(pool);
        }
        c.setMaxConnectionsPerDestination(options.maxConnections());
        c.setMaxRequestsQueuedPerDestination((int) Math.min(MAX_QUEUED_REQUESTS, Math.max(1024L, options.maxConnections())));
        c.setConnectTimeout(options.connectTimeout().toMillis());
        c.setIdleTimeout(POOL_IDLE_TIMEOUT_MS);
        c.setFollowRedirects(false);
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "SocketDock/" + Version.get()));
        c.start();
        held = new HeldAnswers(heldBound(options));
        bodies = pool != null ? pool : Envelope.newPool();
        envelopes = WireFormat.pooled(bodies);
        client = c;
    }

    @Override
    public CompletionStage<Void> onConnect(Connection connection) {
        URI uri = options.connectUri().orElse(null);
        if (uri == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (relay.connectMode() == ConnectMode.AUTHORIZE) {
            return authorize(uri, connection);
        }
        // a connect counts as delivered once the backend began a non-503 answer (or the call ended),
        // never on the ordering window: a 503 after the window must still keep its messages back.
        // The relay hands on no message, and chains no disconnect, before this stage completes.
        Delivery delivery = new Delivery(relay.ticker(), null);
        call(BackendEvent.CONNECT, connection, 0, uri, WireFormat.connect(connection, envelopes), false, retryPolicy(), delivery)
                .ending().thenAccept(ending -> {
            delivery.ended(ending);
            report("connect", connection, ending);
        });
        return delivery.future();
    }

    /**
     * {@code ConnectMode.AUTHORIZE}: the backend's answer to the connect POST decides. 2xx accepts; a
     * 4xx refuses with that status; anything else (other answers, no answer, not delivered) refuses
     * with 503. A refused connection leaves no state behind.
     */
    private CompletionStage<Void> authorize(URI uri, Connection connection) {
        CompletableFuture<Void> decided = new CompletableFuture<>();
        call(BackendEvent.CONNECT, connection, 0, uri, WireFormat.connect(connection, envelopes), false, retryPolicy(), null)
                .ending().thenAccept(ending -> {
            int status = ending.status();
            if (ending.outcome() == BackendCall.Outcome.ANSWERED && status / 100 == 2) {
                decided.complete(null);
                return;
            }
            if (ending.outcome() == BackendCall.Outcome.ANSWERED && status / 100 == 4) {
                decided.completeExceptionally(new ConnectionRefusedException(status, "the backend answered the connect with " + status));
            } else {
                report("connect", connection, ending);
                decided.completeExceptionally(new IllegalStateException("the backend did not accept the connect"));
            }
        });
        return decided;
    }

    @Override
    public CompletionStage<Void> onMessage(Connection connection, Message message) {
        PerConnection state = relay.state(connection, PerConnection::new);
        // the relay hands on one message of a connection at a time, in the order sent
        long sequence = ++state.messages;
        boolean large = relay.largeMessage(connection);
        Delivery delivery = new Delivery(relay.ticker(), options.orderingWindow());
        RequestBody body = WireFormat.messageBody(connection, message, bodies);
        CompletableFuture<Void> answering = new CompletableFuture<>();
        BackendCall.Progress progress = new BackendCall.Progress() {
            @Override
            public void sent(int attempt) {
                delivery.sent(attempt);
            }

            @Override
            public void answering(int attempt) {
                delivery.answering(attempt);
                answering.complete(null);
            }

            @Override
            public void declined(int attempt) {
                CompletableFuture<Void> retried = delivery.declinedTry(attempt);
                if (retried != null) {
                    // lost after it counted as delivered, so tried again: the socket's disconnect
                    // waits until a retry counts by the same rule (not for a held answer)
                    state.retrying(retried);
                }
            }
        };
        BackendCall call = call(BackendEvent.MESSAGE, connection, sequence, options.messageUri(), body, large, retryPolicy(), progress);
        // delivered by the ordering window, no answer begun: held open, within the process-wide bound
        delivery.future().thenRun(() -> {
            if (!answering.isDone()) {
                held.add(call, state);
            }
        });
        answering.thenRun(() -> held.remove(call, state)); // answering: no longer held open
        call.ending().thenAccept(ending -> {
            held.remove(call, state);
            boolean counted = delivery.future().isDone() && !delivery.future().isCompletedExceptionally();
            if (ending.outcome() == BackendCall.Outcome.NO_ANSWER) {
                state.abandoned.incrementAndGet();
            }
            delivery.ended(ending);
            report("message", connection, ending);
            if (ending.outcome() == BackendCall.Outcome.UNDELIVERED && counted) {
                // its stage had completed (the ordering window passed): the relay's one rule decides
                relay.backendFailed(connection, "message", ending.failure() != null ? ending.failure()
                        : new IllegalStateException("backend answered " + ending.status() + " after its retries"));
            }
        });
        return delivery.future();
    }

    @Override
    public CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        URI uri = options.disconnectUri().orElse(null);
        if (uri == null) {
            return CompletableFuture.completedFuture(null);
        }
        // the relay chains the disconnect after the connect's stage and its last message's: it is
        // never posted before the connect's answer began, nor before a message being retried
        // after it counted as delivered is accepted or retried out
        PerConnection state = relay.state(connection, PerConnection::new);
        return state.settled().thenCompose(v -> postDisconnect(uri, connection, status));
    }

    private CompletableFuture<Void> postDisconnect(URI uri, Connection connection, CloseStatus status) {
        RetryPolicy policy = RetryPolicy.forPeriod(Retry.DISCONNECT_RETRY_PERIOD, options.retry().backoff(),
                relay.ticker().nanos());
        return call(BackendEvent.DISCONNECT, connection, 0, uri, WireFormat.disconnect(connection, status, envelopes), false, policy, null)
                .ending().thenAccept(ending -> {
            report("disconnect", connection, ending);
        });
    }

    private RetryPolicy retryPolicy() {
        return RetryPolicy.retries(options.retry().retries(), options.retry().backoff());
    }

    /**
     * @param sequence a message's number in its connection, or 0 for connect and disconnect
     * @param large    whether the body is a large message's, counted in the share of large messages
     */
    private BackendCall call(BackendEvent event, Connection connection, long sequence, URI uri, RequestBody body, boolean large,
                             RetryPolicy policy, BackendCall.Progress progress) {
        BackendCall call = new BackendCall(client, event, uri, body, options.timeout(), policy, relay, signer, progress,
                connection.id(), connection.remoteAddress(), sequence);
        calls.add(call);
        // what the body holds (a whole pooled buffer, or the message it is streamed from), not only its length
        long length = body.held();
        ByteBudget budget = relay.budget();
        if (large) {
            budget.reserveLarge(length);
        } else {
            budget.reserve(length);
        }
        CompletableFuture<BackendCall.Ending> ending = call.start();
        underway.add(ending);
        ending.whenComplete((e, x) -> {
            if (large) {
                budget.endGrant(length, 0);
            } else {
                budget.release(length);
            }
            calls.remove(call);
            underway.remove(ending);
        });
        return call;
    }

    /** @return the bound on held answers in force: the option, within three quarters of the pooled connections */
    static int heldBound(HttpBackendOptions options) {
        int room = options.maxConnections() - options.maxConnections() / 4;
        return Math.max(1, Math.min(options.maxInflight(), room));
    }

    @Override
    public String closeSummary(Connection connection) {
        PerConnection state = relay.state(connection, PerConnection::new);
        int now = state.held.get();
        int abandoned = state.abandoned.get();
        return now == 0 && abandoned == 0 ? null : "answers held " + now + ", abandoned " + abandoned;
    }

    /** What this backend keeps of a connection, in the relay's slot for it. */
    private static final class PerConnection {
        /** Messages handed on so far; the relay hands them on one at a time, under the connection's lock. */
        long messages;
        /** Answers of its delivered messages awaited now. */
        final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        /** Answers of its messages given up on: not within the backend timeout, or over the bound. */
        final java.util.concurrent.atomic.AtomicInteger abandoned = new java.util.concurrent.atomic.AtomicInteger();
        /** Messages retried after they counted as delivered: each until a retry counts or its call ends. */
        private final Set<CompletableFuture<Void>> retrying = ConcurrentHashMap.newKeySet();

        void retrying(CompletableFuture<Void> settled) {
            if (retrying.add(settled)) {
                settled.whenComplete((v, x) -> retrying.remove(settled));
            }
        }

        /** @return completes once every message being retried now has settled */
        CompletableFuture<Void> settled() {
            return CompletableFuture.allOf(retrying.toArray(CompletableFuture[]::new));
        }
    }

    /**
     * The answers awaited of messages already delivered, oldest first, bounded over all
     * connections: each keeps a pooled connection, so at the bound the oldest is abandoned (its
     * message was delivered; only its answer is given up) rather than any socket being stopped.
     */
    private final class HeldAnswers {
        private final int bound;
        private final java.util.LinkedHashMap<BackendCall, PerConnection> calls = new java.util.LinkedHashMap<>();

        HeldAnswers(int bound) {
            this.bound = bound;
        }

        void add(BackendCall call, PerConnection owner) {
            BackendCall oldest = null;
            synchronized (this) {
                if (call.ending().isDone()) {
                    return;
                }
                calls.put(call, owner);
                owner.held.incrementAndGet();
                // a held answer does not keep the drain waiting: its message was delivered
                underway.remove(call.ending());
                if (calls.size() > bound) {
                    oldest = calls.keySet().iterator().next();
                }
            }
            // the call's ending removes it, and counts it abandoned
            if (oldest != null) {
                oldest.abandonAnswer("more than " + bound + " answers held: the oldest is given up");
            }
        }

        void remove(BackendCall call, PerConnection owner) {
            synchronized (this) {
                if (calls.remove(call) == null) {
                    return;
                }
            }
            owner.held.decrementAndGet();
        }
    }

    /** Tells how an event's call ended: a refusal or a failure for good is a (rate-limited) warning. */
    private void report(String event, Connection connection, BackendCall.Ending ending) {
        switch (ending.outcome()) {
            case ANSWERED:
                if (ending.status() / 100 != 2) {
                    relay.limitedLog().log(LimitedLog.Kind.BACKEND_REFUSED, connection.id(), connection.remoteAddress(),
                            "connection {}: backend answered the {} with {}", connection.id(), event, ending.status());
                }
                break;
            case NO_ANSWER:
                // counted, and summed up in the socket's close line: a backend may hold every answer
                if (LOG.isDebugEnabled()) {
                    try (Logs.Scope ignored = Logs.connection(connection.id(), connection.remoteAddress())) {
                        LOG.debug("connection {}: {} delivered, its answer given up: {}", connection.id(), event,
                                LogText.rootMessage(ending.failure()));
                    }
                }
                break;
            default:
                relay.limitedLog().log(LimitedLog.Kind.BACKEND_REFUSED, connection.id(), connection.remoteAddress(),
                        "connection {}: {} not delivered after its retries: {}", connection.id(), event,
                        ending.failure() != null ? LogText.rootMessage(ending.failure()) : "status " + ending.status());
        }
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.allOf(underway.toArray(CompletableFuture[]::new))
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("{} still under way at the shutdown timeout", LogText.count(underway.size(), "backend call"));
            return false;
        } catch (ExecutionException e) {
            return true; // endings never complete exceptionally
        }
    }

    @Override
    public void close() {
        HttpClient c = client;
        if (c != null) {
            try {
                c.stop();
            } catch (Exception e) {
                LOG.warn("backend HTTP client did not stop cleanly: {}", e.toString());
            }
        }
        for (BackendCall call : calls) {
            call.abandon();
        }
    }

    @Override
    public String toString() {
        return "http -> " + options.messageUri();
    }
}
