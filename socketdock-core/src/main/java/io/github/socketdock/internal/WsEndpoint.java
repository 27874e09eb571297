package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Message;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket, from open to close: registers the connection and delivers its events to
 * the backend one at a time, in order, under explicit demand.
 *
 * <p>Flow control: the next frame is demanded only when the backend's stage for the previous event
 * completed, so a slow backend stops the reading of this socket (and TCP pushes back on the
 * client) without holding a thread or any other socket. The disconnect is chained after the last
 * stage, so the backend sees connect, messages and disconnect in that order, the disconnect once.
 */
public final class WsEndpoint implements Session.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);

    private final ConnectionRegistry registry;
    private final Backend backend;
    private final URI endpoint;
    private final long maxQueuedBytes;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private final AtomicLong messagesIn = new AtomicLong();
    private volatile LiveConnection connection;
    private volatile Session session;
    /** The stage of the event now with the backend; the next event waits for it. */
    private volatile CompletableFuture<Void> current = CompletableFuture.completedFuture(null);
    private long openedAt;

    WsEndpoint(ConnectionRegistry registry, Backend backend, URI endpoint, long maxQueuedBytes) {
        this.registry = registry;
        this.backend = backend;
        this.endpoint = endpoint;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.openedAt = System.nanoTime();
        SocketAddress remote = session.getRemoteSocketAddress();
        LiveConnection c = new LiveConnection(ConnectionIds.next(), session, headersOf(session),
                remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null, endpoint, maxQueuedBytes);
        connection = c;
        registry.opened(c, finished);
        LOG.info("connection {} opened from {}", c.id(), c.remoteAddress());
        deliver(() -> backend.onConnect(c), "connect");
    }

    @Override
    public void onWebSocketText(String text) {
        if (text.isEmpty()) {
            LOG.debug("connection {}: empty text message skipped", connection.id());
            demandIfOpen();
            return;
        }
        Message m = Message.text(text);
        deliver(() -> backend.onMessage(connection, m), "message");
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        Message m;
        try {
            m = Message.binary(payload);
        } finally {
            callback.succeed();
        }
        if (m.isEmpty()) {
            LOG.debug("connection {}: empty binary message skipped", connection.id());
            demandIfOpen();
            return;
        }
        deliver(() -> backend.onMessage(connection, m), "message");
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LiveConnection c = connection;
        LOG.debug("connection {}: {}", c == null ? "(not open)" : c.id(), cause.toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        LiveConnection c = connection;
        if (c == null || !disconnected.compareAndSet(false, true)) {
            return;
        }
        CloseStatus status = new CloseStatus(statusCode, reason);
        registry.closed(c);
        c.markClosed(status);
        LOG.info("connection {} closed: {} {} after {}, {} messages in, {} out", c.id(), status.code(),
                status.reason(), Duration.ofNanos(System.nanoTime() - openedAt), messagesIn.get(), c.messagesOut());
        current.handle((v, x) -> null)
                .thenCompose(ignored -> call(() -> backend.onDisconnect(c, status)))
                .whenComplete((v, x) -> {
                    if (x != null) {
                        LOG.warn("connection {}: backend failed to take the disconnect: {}", c.id(), rootMessage(x));
                    }
                    finished.complete(null);
                });
    }

    /** Hands one event to the backend; demands the next frame when the backend has taken it. */
    private void deliver(Supplier<CompletionStage<Void>> event, String what) {
        if ("message".equals(what)) {
            messagesIn.incrementAndGet();
        }
        CompletableFuture<Void> stage = call(event);
        current = stage;
        stage.whenComplete((v, x) -> {
            if (x == null) {
                demandIfOpen();
            } else {
                LiveConnection c = connection;
                LOG.warn("connection {}: backend could not take the {}: {}; closing with 1011", c.id(), what, rootMessage(x));
                c.closeNow(CloseStatus.SERVER_ERROR, "backend unavailable");
            }
        });
    }

    private static CompletableFuture<Void> call(Supplier<CompletionStage<Void>> event) {
        try {
            CompletionStage<Void> stage = event.get();
            return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void demandIfOpen() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.demand();
        }
    }

    private static Map<String, String> headersOf(Session session) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : session.getUpgradeRequest().getHeaders().entrySet()) {
            List<String> values = h.getValue();
            if (values != null && !values.isEmpty()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), values.get(values.size() - 1));
            }
        }
        return headers;
    }

    static String rootMessage(Throwable x) {
        Throwable t = x;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
