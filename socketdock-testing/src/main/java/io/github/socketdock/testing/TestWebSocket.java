package io.github.socketdock.testing;

import io.github.socketdock.CloseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client for tests (the JDK's {@code java.net.http} client): it connects, sends
 * text and binary messages, and keeps every message the server sends, in order, for the test to
 * take one by one; it records how the server closed.
 *
 * <pre>{@code
 * try (TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
 *     ws.send("hello");
 *     assertEquals("hello", ws.takeText(Duration.ofSeconds(5)));   // from an echoing backend
 *     ws.close(1000, "bye");
 *     assertEquals(1000, ws.awaitClose(Duration.ofSeconds(5)).code());
 * }
 * }</pre>
 *
 * <p>Messages are kept until taken, each whole however many frames it came in. A take waits no
 * longer once the socket closed with nothing left to take. Thread-safe: sends from several
 * threads go one after another.
 */
public final class TestWebSocket implements AutoCloseable {

    /** How long {@link #connect} waits for the upgrade. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** One client for every socket of the kit: a client's threads live until it is collected. */
    static final HttpClient CLIENT = HttpClient.newBuilder().executor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "socketdock-testing-client");
        t.setDaemon(true);
        return t;
    })).build();

    /**
     * One whole message from the server.
     *
     * @param text   its text, or null for a binary message
     * @param binary its bytes, or null for a text message
     */
    public record Frame(String text, byte[] binary) {

        /**
         * @param text   its text, or null for a binary message
         * @param binary its bytes, or null for a text message; copied
         * @throws IllegalArgumentException unless exactly one of the two is given
         */
        public Frame {
            if ((text == null) == (binary == null)) {
                throw new IllegalArgumentException("a message is either text or binary");
            }
            binary = binary == null ? null : binary.clone();
        }

        /** @return a copy of its bytes, or null for a text message */
        @Override
        public byte[] binary() {
            return binary == null ? null : binary.clone();
        }

        /** @return whether it is a text message */
        public boolean isText() {
            return text != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && Objects.equals(text, f.text) && Arrays.equals(binary, f.binary);
        }

        @Override
        public int hashCode() {
            return Objects.hash(text, Arrays.hashCode(binary));
        }

        @Override
        public String toString() {
            return isText() ? "text \"" + text + "\"" : "binary " + binary.length + " bytes";
        }
    }

    private final Inbox<Frame> received = new Inbox<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private TestWebSocket(WebSocket socket) {
        this.socket = socket;
    }

    /**
     * @param uri the WebSocket address ({@code ws://} or {@code wss://})
     * @return the connected socket
     * @throws IOException if the upgrade was refused or failed (its message names the status)
     */
    public static TestWebSocket connect(URI uri) throws IOException {
        return connect(uri, Map.of());
    }

    /**
     * @param uri     the WebSocket address ({@code ws://} or {@code wss://})
     * @param headers headers of the upgrade request, such as {@code Origin} or an
     *                {@code Authorization} the backend decides on
     * @return the connected socket
     * @throws IOException if the upgrade was refused or failed (its message names the status)
     */
    public static TestWebSocket connect(URI uri, Map<String, String> headers) throws IOException {
        return connect(CLIENT, uri, headers);
    }

    /**
     * @param client  the HTTP client to connect with (for instance one that trusts a test certificate)
     * @param uri     the WebSocket address
     * @param headers headers of the upgrade request
     * @return the connected socket
     * @throws IOException if the upgrade was refused or failed (its message names the status)
     */
    public static TestWebSocket connect(HttpClient client, URI uri, Map<String, String> headers) throws IOException {
        Listener listener = new Listener();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, listener);
        try {
            opening.get(CONNECT_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            return listener.socket.join();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new IOException("WebSocket upgrade to " + uri + " refused with "
                        + refused.getResponse().statusCode(), refused);
            }
            throw new IOException("WebSocket upgrade to " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            abortWhenOpen(opening);
            throw new IOException("WebSocket upgrade to " + uri + " took longer than " + CONNECT_TIMEOUT, e);
        } catch (InterruptedException e) {
            abortWhenOpen(opening);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + uri, e);
        }
    }

    /** A connect given up on may still open: it is ended then. */
    private static void abortWhenOpen(CompletableFuture<WebSocket> opening) {
        opening.whenComplete((ws, failure) -> {
            if (ws != null) {
                ws.abort();
            }
        });
    }

    /**
     * Sends a text message; returns once it is written.
     *
     * @param text the message
     */
    public synchronized void send(String text) {
        await(socket.sendText(text, true));
    }

    /**
     * Sends a binary message; returns once it is written.
     *
     * @param data the message, copied
     */
    public synchronized void send(byte[] data) {
        await(socket.sendBinary(ByteBuffer.wrap(data.clone()), true));
    }

    /**
     * @param timeout how long to wait
     * @return the next message not yet taken
     * @throws AssertionError       if none came within {@code timeout}, or the socket closed with none left
     * @throws InterruptedException if interrupted while waiting
     */
    public Frame takeFrame(Duration timeout) throws InterruptedException {
        return received.take(f -> true, timeout, "message from the server", this::closedNote);
    }

    /**
     * @param timeout how long to wait
     * @return the next message not yet taken, which must be text
     * @throws AssertionError       if none came within {@code timeout}, or it is binary
     * @throws InterruptedException if interrupted while waiting
     */
    public String takeText(Duration timeout) throws InterruptedException {
        Frame f = takeFrame(timeout);
        if (!f.isText()) {
            throw new AssertionError("expected a text message but got " + f);
        }
        return f.text();
    }

    /**
     * @param timeout how long to wait
     * @return the next message not yet taken, which must be binary
     * @throws AssertionError       if none came within {@code timeout}, or it is text
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] takeBinary(Duration timeout) throws InterruptedException {
        Frame f = takeFrame(timeout);
        if (f.isText()) {
            throw new AssertionError("expected a binary message but got " + f);
        }
        return f.binary();
    }

    /** @return the messages received and not yet taken, oldest first */
    public List<Frame> pendingFrames() {
        return received.pending();
    }

    /**
     * Starts the close handshake; {@link #awaitClose} tells how the server answered.
     *
     * @param code   the close code (1000, 3000-4999, …)
     * @param reason the reason, at most 123 bytes of UTF-8
     */
    public synchronized void close(int code, String reason) {
        await(socket.sendClose(code, reason));
    }

    /**
     * @param timeout how long to wait for the socket to close
     * @return the code and reason the server closed with (or answered a close with); 1006 if the
     *     connection ended without a close frame
     * @throws AssertionError       if it is still open after {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public CloseStatus awaitClose(Duration timeout) throws InterruptedException {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the socket is still open after " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @return whether no close was received and the connection did not end */
    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Ends the connection at once, without a close handshake. */
    public void abort() {
        socket.abort();
        closedWith(new CloseStatus(CloseStatus.ABNORMAL, "aborted by the test"));
    }

    private void closedWith(CloseStatus status) {
        closed.complete(status);
        received.wake();
    }

    /**
     * Closes with 1000 if still open and waits briefly for the server's answer, then ends the
     * connection whatever happened.
     */
    @Override
    public void close() {
        try {
            if (isOpen() && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the connection ends below however the close went
        } finally {
            socket.abort();
            closedWith(new CloseStatus(CloseStatus.ABNORMAL, "no answer to the close"));
        }
    }

    /** @return why no message can come any more, or null while one can */
    private String closedNote() {
        CloseStatus status = closed.getNow(null);
        return status == null ? null : "the socket closed with " + status.code() + " " + status.reason();
    }

    private static void await(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("send did not complete within 30 s (the server reads nothing?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    /** Gathers each message's parts, one demand at a time, and completes the close. */
    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<TestWebSocket> socket = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket ws) {
            socket.complete(new TestWebSocket(ws));
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                socket.join().received.add(new Frame(text.toString(), null));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                socket.join().received.add(new Frame(null, binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            ws.request(1); // the JDK answers with a pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            socket.join().closedWith(new CloseStatus(statusCode, reason));
            return null; // the JDK answers the close
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            TestWebSocket s = socket.getNow(null);
            if (s != null) {
                s.closedWith(new CloseStatus(CloseStatus.ABNORMAL, String.valueOf(error)));
            }
        }
    }

    @Override
    public String toString() {
        return "TestWebSocket[" + (isOpen() ? "open" : "closed " + closed.join().code()) + ", "
                + received.size() + " messages not taken]";
    }
}
