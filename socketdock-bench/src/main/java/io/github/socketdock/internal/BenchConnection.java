package io.github.socketdock.internal;

import io.github.socketdock.Connection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A connection's identity as the wire format reads it, for the microbenchmarks; sends nothing. */
final class BenchConnection implements Connection {

    private static final URI ENDPOINT = URI.create("http://127.0.0.1:8765");
    private final String id = ConnectionIds.next();
    private final URI send = WireFormat.sendUri(ENDPOINT, id);
    private final URI disconnect = WireFormat.disconnectUri(ENDPOINT, id);
    private final Map<String, String> headers = Map.of("host", "127.0.0.1:8765", "upgrade", "websocket",
            "connection", "Upgrade", "sec-websocket-version", "13", "user-agent", "bench/1.0");

    @Override
    public String id() {
        return id;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public URI sendUri() {
        return send;
    }

    @Override
    public URI disconnectUri() {
        return disconnect;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public CompletionStage<Void> send(String text) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer data) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> send(byte[] data) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        return CompletableFuture.completedFuture(null);
    }
}
