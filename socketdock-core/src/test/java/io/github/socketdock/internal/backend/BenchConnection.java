package io.github.socketdock.internal.backend;

import io.github.socketdock.internal.wire.ConnectionIds;
import io.github.socketdock.internal.wire.WireFormat;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection's identity as the wire format reads it, for the microbenchmarks; sends nothing.
 * (The relay's own connections hand the wire format their callback URLs as text; this one's are
 * turned into text per envelope, a few hundred nanoseconds the relay does not spend.)
 */
final class BenchConnection implements io.github.socketdock.Connection {

    private static final URI ENDPOINT = URI.create("http://127.0.0.1:8765");
    private final String id = ConnectionIds.next();
    private final Map<String, String> headers = Map.of("host", "127.0.0.1:8765", "upgrade", "websocket",
            "connection", "Upgrade", "sec-websocket-version", "13", "user-agent", "bench/1.0");
    private final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 40000);

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
        return remote;
    }

    @Override
    public URI sendUri() {
        return URI.create(WireFormat.sendUrl(ENDPOINT, id));
    }

    @Override
    public URI disconnectUri() {
        return URI.create(WireFormat.disconnectUrl(ENDPOINT, id));
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

    @Override
    public CompletionStage<io.github.socketdock.Receipt> sendWithReceipt(io.github.socketdock.Message message,
                                                                      java.time.Duration within) {
        return CompletableFuture.completedFuture(io.github.socketdock.Receipt.proven(java.time.Duration.ZERO));
    }
}
