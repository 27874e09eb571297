package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http} backend: every socket event becomes a JSON POST (see {@link WireFormat}) through
 * one shared, pooled Jetty {@link HttpClient}.
 *
 * <ul>
 *   <li>connect: the stage completes when the backend answered (any status); a request that
 *       cannot be delivered fails it, and the relay closes the socket with 1011.</li>
 *   <li>message: the stage completes once the message is delivered (see {@link Delivery}: fully
 *       sent, and the answer begun or the ordering window passed), so the next message of the
 *       connection can go while this answer is still awaited. Answers awaited per connection are
 *       bounded by {@code maxInflight}; at the bound the stage waits for an answer, which stops the
 *       reading of that socket.</li>
 *   <li>disconnect: the stage completes when the backend answered or the request failed.</li>
 * </ul>
 */
public final class HttpBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(HttpBackend.class);
    /**
     * Idle pooled connections are closed after this, below Node.js's 5 s keep-alive default, so
     * the relay closes an idle connection before a typical backend does and never writes into one
     * the backend is closing.
     */
    private static final long POOL_IDLE_TIMEOUT_MS = 4000;

    private final HttpBackendOptions options;
    private final Map<String, InflightLimit> inflight = new ConcurrentHashMap<>();
    private HttpClient client;

    public HttpBackend(HttpBackendOptions options) {
        this.options = options;
    }

    @Override
    public void start() throws Exception {
        HttpClient c = new HttpClient();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("socketdock-backend");
        c.setExecutor(threads);
        c.setMaxConnectionsPerDestination(options.maxConnections());
        c.setMaxRequestsQueuedPerDestination(Math.max(1024, options.maxConnections()));
        c.setConnectTimeout(options.connectTimeout().toMillis());
        c.setIdleTimeout(POOL_IDLE_TIMEOUT_MS);
        c.setFollowRedirects(false);
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "SocketDock/" + Version.get()));
        c.start();
        client = c;
    }

    @Override
    public CompletionStage<Void> onConnect(Connection connection) {
        inflight.put(connection.id(), new InflightLimit(options.maxInflight()));
        URI uri = options.connectUri().orElse(null);
        if (uri == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        request(uri, WireFormat.connect(connection)).send(result -> {
            if (result.getResponse() != null && result.getResponse().getStatus() > 0) {
                logStatus("connect", connection, result);
                answered.complete(null);
            } else {
                answered.completeExceptionally(result.getFailure());
            }
        });
        return answered;
    }

    @Override
    public CompletionStage<Void> onMessage(Connection connection, Message message) {
        InflightLimit limit = inflight.computeIfAbsent(connection.id(), id -> new InflightLimit(options.maxInflight()));
        byte[] body = WireFormat.message(connection, message);
        return limit.acquire().thenCompose(turn -> {
            Delivery delivery = new Delivery(client.getScheduler(), options.orderingWindow());
            Request request = request(options.messageUri(), body)
                    .onRequestSuccess(r -> delivery.sent())
                    .onResponseBegin(r -> delivery.answering());
            request.send(result -> {
                limit.release();
                delivery.ended(result.getFailure());
                if (result.isFailed() && delivery.wasSent()) {
                    LOG.warn("connection {}: message delivered, but no answer from the backend: {}",
                            connection.id(), WsEndpoint.rootMessage(result.getFailure()));
                } else if (!result.isFailed()) {
                    logStatus("message", connection, result);
                }
            });
            return delivery.future();
        });
    }

    @Override
    public CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        inflight.remove(connection.id());
        URI uri = options.disconnectUri().orElse(null);
        if (uri == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        request(uri, WireFormat.disconnect(connection, status)).send(result -> {
            if (result.isFailed()) {
                LOG.warn("connection {}: disconnect not delivered: {}", connection.id(),
                        WsEndpoint.rootMessage(result.getFailure()));
            } else {
                logStatus("disconnect", connection, result);
            }
            answered.complete(null);
        });
        return answered;
    }

    private Request request(URI uri, byte[] body) {
        return client.newRequest(uri)
                .method(HttpMethod.POST)
                .body(new BytesRequestContent(WireFormat.JSON, body))
                .timeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void logStatus(String event, Connection connection, Result result) {
        int status = result.getResponse().getStatus();
        if (status / 100 != 2) {
            LOG.warn("connection {}: backend answered the {} with {}", connection.id(), event, status);
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
    }

    @Override
    public String toString() {
        return "http -> " + options.messageUri();
    }
}
