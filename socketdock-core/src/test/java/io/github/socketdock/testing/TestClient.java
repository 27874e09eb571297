package io.github.socketdock.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real WebSocket client for tests (Jetty's), collecting what it receives. One
 * {@link WebSocketClient} serves many {@link Socket}s.
 */
public final class TestClient implements AutoCloseable {

    private final WebSocketClient client;

    public TestClient() throws Exception {
        this(new WebSocketClient());
    }

    /** A client that trusts the certificates in {@code truststore} (for wss://). */
    public static TestClient trusting(java.nio.file.Path truststore) throws Exception {
        org.eclipse.jetty.util.ssl.SslContextFactory.Client ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Client();
        ssl.setTrustStorePath(truststore.toString());
        ssl.setTrustStorePassword(TestKeystores.PASSWORD);
        ssl.setTrustStoreType("PKCS12");
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setSslContextFactory(ssl);
        return new TestClient(new WebSocketClient(http));
    }

    /** A client whose connections leave from {@code localAddress} (another loopback address, e.g. 127.0.0.2). */
    public static TestClient from(String localAddress) throws Exception {
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setBindAddress(new java.net.InetSocketAddress(localAddress, 0));
        return new TestClient(new WebSocketClient(http));
    }

    private TestClient(WebSocketClient client) throws Exception {
        this.client = client;
        client.setMaxTextMessageSize(64L * 1024 * 1024);
        client.setMaxBinaryMessageSize(64L * 1024 * 1024);
        client.setIdleTimeout(Duration.ofMinutes(2));
        client.start();
    }

    /** A received frame: text or binary. */
    public record Frame(String text, byte[] binary) {
        public boolean isText() {
            return text != null;
        }
    }

    /** The close a socket saw. */
    public record Closed(int code, String reason) {
    }

    /** One client socket. */
    public static final class Socket implements Session.Listener.AutoDemanding {
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            frames.add(new Frame(message, null));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            callback.succeed();
            frames.add(new Frame(null, b));
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            pongs.add(b);
        }

        /** Sends a ping and waits until it is written. */
        public void ping(byte[] payload) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.sendPing(ByteBuffer.wrap(payload), Callback.from(() -> done.complete(null), done::completeExceptionally));
            done.get(30, TimeUnit.SECONDS);
        }

        /** @return the payload of the next pong, waiting up to 30 s; fails if none came */
        public byte[] nextPong() throws InterruptedException {
            byte[] p = pongs.poll(30, TimeUnit.SECONDS);
            if (p == null) {
                throw new AssertionError("no pong received within 30 s");
            }
            return p;
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            closed.complete(new Closed(1006, String.valueOf(cause)));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            callback.succeed();
            closed.complete(new Closed(statusCode, reason));
        }

        /** Sends a text frame and waits until it is written. */
        public void sendText(String text) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.sendText(text, Callback.from(() -> done.complete(null), done::completeExceptionally));
            done.get(30, TimeUnit.SECONDS);
        }

        /** Sends a binary frame and waits until it is written. */
        public void sendBinary(byte[] bytes) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.sendBinary(ByteBuffer.wrap(bytes), Callback.from(() -> done.complete(null), done::completeExceptionally));
            done.get(30, TimeUnit.SECONDS);
        }

        /** @return the next received frame, waiting up to 30 s; fails if none came */
        public Frame next() throws InterruptedException {
            Frame f = frames.poll(30, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame received within 30 s");
            }
            return f;
        }

        /** @return the next received frame as text */
        public String nextText() throws InterruptedException {
            Frame f = next();
            if (!f.isText()) {
                throw new AssertionError("expected a text frame, got " + f.binary().length + " binary bytes");
            }
            return f.text();
        }

        /** @return frames received and not yet taken */
        public BlockingQueue<Frame> frames() {
            return frames;
        }

        /** @return completes with the close this socket saw */
        public CompletableFuture<Closed> closed() {
            return closed;
        }

        /** Closes with 1000 and waits for the close handshake. */
        public Closed close() throws Exception {
            session.close(1000, "bye", Callback.NOOP);
            return closed.get(30, TimeUnit.SECONDS);
        }

        /** Drops the TCP connection without a close frame. */
        public void abort() {
            session.disconnect();
        }

        public Session session() {
            return session;
        }
    }

    /** Connects to {@code uri} and waits for the upgrade. */
    public Socket connect(URI uri) throws Exception {
        return connect(uri, new org.eclipse.jetty.websocket.client.ClientUpgradeRequest());
    }

    /** Connects with the given upgrade request (to set headers). */
    public Socket connect(URI uri, org.eclipse.jetty.websocket.client.ClientUpgradeRequest request) throws Exception {
        Socket s = new Socket();
        client.connect(s, uri, request).get(30, TimeUnit.SECONDS);
        return s;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
