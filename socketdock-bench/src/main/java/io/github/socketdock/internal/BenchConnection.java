package io.github.socketdock.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection's identity as the wire format reads it, for the microbenchmarks; sends nothing. It
 * is a {@link ConnectionIdentity}, as the relay's connections are, so the benchmarks time the
 * path the relay takes.
 */
final class BenchConnection extends ConnectionIdentity {

    private static final URI ENDPOINT = URI.create("http://127.0.0.1:8765");

    BenchConnection() {
        super(ConnectionIds.next(), Map.of("host", "127.0.0.1:8765", "upgrade", "websocket",
                "connection", "Upgrade", "sec-websocket-version", "13", "user-agent", "bench/1.0"),
                new InetSocketAddress("127.0.0.1", 40000), ENDPOINT);
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
