package io.github.socketdock.internal;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.ConnectionClosedException;
import io.github.socketdock.QueueFullException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A connection whose upgrade waits for the backend's decision ({@code ConnectMode.AUTHORIZE}): it
 * has its id, headers and callback URLs already, and becomes a {@link LiveConnection} once the
 * socket opens. Sends made before that are held (at most {@link #MAX_HELD} frames) and written in
 * order when it opens; they fail with {@link ConnectionClosedException} if it never does. After it
 * opened, every call goes to the live connection.
 */
final class PendingConnection extends ConnectionIdentity {

    /** Frames a pending connection holds before refusing more. */
    static final int MAX_HELD = 64;

    private final CompletableFuture<LiveConnection> opened = new CompletableFuture<>();
    private final List<Held> held = new ArrayList<>();
    private CloseStatus closeOnOpen;

    PendingConnection(String id, Map<String, String> headers, InetSocketAddress remote, URI endpoint) {
        super(id, headers, remote, endpoint);
    }

    /** A frame waiting for the socket to open, and the stage its sender holds. */
    private record Held(Function<LiveConnection, CompletionStage<Void>> send, CompletableFuture<Void> done) {
        void sendOn(LiveConnection live) {
            send.apply(live).whenComplete((v, x) -> {
                if (x != null) {
                    done.completeExceptionally(x);
                } else {
                    done.complete(null);
                }
            });
        }
    }

    /** @return completes with the live connection once the socket opened, or fails if it never does */
    CompletableFuture<LiveConnection> opened() {
        return opened;
    }

    /** The socket opened: the held frames are sent in order, a close asked for meanwhile is applied. */
    void open(LiveConnection live) {
        List<Held> toSend;
        CloseStatus close;
        synchronized (this) {
            opened.complete(live);
            toSend = new ArrayList<>(held);
            held.clear();
            close = closeOnOpen;
        }
        toSend.forEach(h -> h.sendOn(live));
        if (close != null) {
            live.closeNow(close.code(), close.reason());
        }
    }

    /** The client was refused or went away before the socket opened. */
    void abandon() {
        List<Held> dropped;
        synchronized (this) {
            opened.completeExceptionally(new ConnectionClosedException(id));
            dropped = new ArrayList<>(held);
            held.clear();
        }
        dropped.forEach(h -> h.done.completeExceptionally(new ConnectionClosedException(id)));
    }

    @Override
    public boolean isOpen() {
        return opened.isDone() && !opened.isCompletedExceptionally() && opened.join().isOpen();
    }

    @Override
    public CompletionStage<Void> send(String text) {
        Objects.requireNonNull(text, "text");
        return whenOpen(live -> live.send(text));
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(Objects.requireNonNull(data, "data").remaining());
        copy.put(data.duplicate()).flip();
        return whenOpen(live -> live.send(copy));
    }

    @Override
    public CompletionStage<Void> send(byte[] data) {
        byte[] copy = Objects.requireNonNull(data, "data").clone();
        return whenOpen(live -> live.send(copy));
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        if (!CloseStatus.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (1000-1003, 1007-1014, 3000-4999)");
        }
        synchronized (this) {
            if (!opened.isDone()) {
                closeOnOpen = new CloseStatus(code, reason);
                return opened.thenCompose(live -> live.closedFuture()).thenApply(status -> null);
            }
        }
        return opened.thenCompose(live -> live.close(code, reason));
    }

    private CompletionStage<Void> whenOpen(Function<LiveConnection, CompletionStage<Void>> send) {
        synchronized (this) {
            if (!opened.isDone()) {
                if (held.size() >= MAX_HELD) {
                    return CompletableFuture.failedFuture(new QueueFullException(id, held.size(), MAX_HELD));
                }
                CompletableFuture<Void> done = new CompletableFuture<>();
                held.add(new Held(send, done));
                return done;
            }
        }
        if (opened.isCompletedExceptionally()) {
            return CompletableFuture.failedFuture(new ConnectionClosedException(id));
        }
        return send.apply(opened.join());
    }

    @Override
    public String toString() {
        return "Connection[" + id + " from " + remoteAddress() + ", pending]";
    }
}
