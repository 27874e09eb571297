package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.Connection;
import io.github.socketdock.ConnectionRefusedException;
import io.github.socketdock.Message;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
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
import org.slf4j.LoggerFactory;

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
 *       Message answers awaited per connection are bounded by {@code maxInflight}; at the bound the
 *       stage waits for an answer, which stops the reading of that socket.</li>
 *   <li>disconnect: posted once the connect's answer has begun (or its call ended), retried for
 *       {@link HttpBackendOptions#DISCONNECT_RETRY_PERIOD}; the stage completes when the backend
 *       answered or SocketDock gave up.</li>
 * </ul>
 */
public final class HttpBackend implements Backend, Drainable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpBackend.class);
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
    private final Map<String, PerConnection> connections = new ConcurrentHashMap<>();
    private final Set<BackendCall> calls = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<BackendCall.Ending>> underway = ConcurrentHashMap.newKeySet();
    private RelayStats stats = new RelayStats();
    private ByteBudget budget = new ByteBudget(Long.MAX_VALUE);
    private boolean authorize;
    private HttpClient client;
    /** Makes each call's body, in a buffer of {@code pool} or else of a pool of its own ({@link Envelope#newPool()}). */
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
        this.signer = new WebhookSigner(options.signingSecrets(), java.time.Clock.systemUTC());
    }

    @Override
    public void attach(RelayStats stats, ByteBudget budget, ConnectMode connectMode) {
        this.stats = stats;
        this.budget = budget;
        this.authorize = connectMode == ConnectMode.AUTHORIZE;
    }

    @Override
    public void start() throws Exception {
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
        envelopes = WireFormat.pooled(pool != null ? pool : Envelope.newPool());
        client = c;
    }

    /**
     * What the backend keeps per connection: the bound on awaited answers, and when the connect's
     * answer began (the disconnect waits for it, so a backend never gets a socket's disconnect
     * before its connect, however long it takes to handle the connect).
     */
    private final class PerConnection {
        final InflightLimit inflight = new InflightLimit(options.maxInflight());
        final CompletableFuture<Void> connectAnswered = new CompletableFuture<>();
    }

    private PerConnection state(Connection connection) {
        return connections.computeIfAbsent(connection.id(), id -> new PerConnection());
    }

    @Override
    public CompletionStage<Void> onConnect(Connection connection) {
        PerConnection state = state(connection);
        URI uri = options.connectUri().orElse(null);
        if (uri == null) {
            state.connectAnswered.complete(null);
            return CompletableFuture.completedFuture(null);
        }
        if (authorize) {
            return authorize(uri, connection, state);
        }
        // a connect counts as delivered once the backend began a non-503 answer (or the call ended),
        // never on the ordering window: a 503 after the window must still keep its messages back
        Delivery delivery = new Delivery(client.getScheduler(), null) {
            @Override
            public void answering() {
                state.connectAnswered.complete(null);
                super.answering();
            }
        };
        call("connect", uri, WireFormat.connect(connection, envelopes), retryPolicy(), delivery).thenAccept(ending -> {
            state.connectAnswered.complete(null);
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
    private CompletionStage<Void> authorize(URI uri, Connection connection, PerConnection state) {
        CompletableFuture<Void> decided = new CompletableFuture<>();
        call("connect", uri, WireFormat.connect(connection, envelopes), retryPolicy(), null).thenAccept(ending -> {
            state.connectAnswered.complete(null);
            int status = ending.status();
            if (ending.outcome() == BackendCall.Outcome.ANSWERED && status / 100 == 2) {
                decided.complete(null);
                return;
            }
            connections.remove(connection.id());
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
        InflightLimit limit = state(connection).inflight;
        return limit.acquire().thenCompose(turn -> {
            Delivery delivery = new Delivery(client.getScheduler(), options.orderingWindow());
            // encoded once a turn is free, so a pooled body is held only while its call is under way
            Envelope body;
            try {
                body = WireFormat.message(connection, message, envelopes);
            } catch (RuntimeException e) {
                limit.release();
                throw e;
            }
            call("message", options.messageUri(), body, retryPolicy(), delivery).thenAccept(ending -> {
                limit.release();
                boolean counted = delivery.future().isDone() && !delivery.future().isCompletedExceptionally();
                if (ending.outcome() == BackendCall.Outcome.UNDELIVERED) {
                    stats.undeliveredMessages.increment();
                } else if (ending.outcome() == BackendCall.Outcome.NO_ANSWER) {
                    stats.abandonedAnswers.increment();
                }
                delivery.ended(ending);
                report("message", connection, ending);
                if (ending.outcome() == BackendCall.Outcome.UNDELIVERED) {
                    if (counted) {
                        LOG.warn("connection {}: a message could not be delivered after its retries; closing with 1011",
                                connection.id());
                        connection.close(CloseStatus.SERVER_ERROR, "backend unavailable");
                    }
                }
            });
            return delivery.future();
        });
    }

    @Override
    public CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        PerConnection state = connections.remove(connection.id());
        URI uri = options.disconnectUri().orElse(null);
        if (uri == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> afterConnect = state == null ? CompletableFuture.completedFuture(null) : state.connectAnswered;
        return afterConnect.thenCompose(ignored -> postDisconnect(uri, connection, status));
    }

    private CompletableFuture<Void> postDisconnect(URI uri, Connection connection, CloseStatus status) {
        RetryPolicy policy = RetryPolicy.forPeriod(HttpBackendOptions.DISCONNECT_RETRY_PERIOD, options.retryBackoff());
        return call("disconnect", uri, WireFormat.disconnect(connection, status, envelopes), policy, null).thenAccept(ending -> {
            report("disconnect", connection, ending);
            if (ending.outcome() == BackendCall.Outcome.UNDELIVERED) {
                stats.undeliveredDisconnects.increment();
            }
        });
    }

    private RetryPolicy retryPolicy() {
        return RetryPolicy.retries(options.retries(), options.retryBackoff());
    }

    private CompletableFuture<BackendCall.Ending> call(String event, URI uri, Envelope body, RetryPolicy policy,
                                                       BackendCall.Progress progress) {
        BackendCall call = new BackendCall(client, event, uri, body, options.timeout(), policy, stats, signer, progress);
        calls.add(call);
        // what the buffer takes, not only the body's length; and the copy that is signed
        int length = body.capacity() + (signer.enabled() ? body.length() : 0);
        budget.reserve(length);
        CompletableFuture<BackendCall.Ending> ending = call.start();
        underway.add(ending);
        ending.whenComplete((e, x) -> {
            budget.release(length);
            calls.remove(call);
            underway.remove(ending);
        });
        return ending;
    }

    private static void report(String event, Connection connection, BackendCall.Ending ending) {
        switch (ending.outcome()) {
            case ANSWERED:
                if (ending.status() / 100 != 2) {
                    LOG.warn("connection {}: backend answered the {} with {}", connection.id(), event, ending.status());
                }
                break;
            case NO_ANSWER:
                LOG.warn("connection {}: {} delivered, but no answer from the backend: {}", connection.id(), event,
                        LogText.rootMessage(ending.failure()));
                break;
            default:
                LOG.warn("connection {}: {} not delivered after its retries: {}", connection.id(), event,
                        ending.failure() != null ? LogText.rootMessage(ending.failure()) : "status " + ending.status());
        }
    }

    @Override
    public void awaitIdle(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.allOf(underway.toArray(CompletableFuture[]::new))
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} backend calls still under way at the shutdown timeout", underway.size());
        } catch (ExecutionException e) {
            // endings never complete exceptionally
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
