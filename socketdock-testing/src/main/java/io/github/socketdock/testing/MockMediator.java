package io.github.socketdock.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.socketdock.Backend;
import io.github.socketdock.Backends;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * A real HTTP mediator for tests, on {@code 127.0.0.1} and a free port: SocketDock's {@code http}
 * backend POSTs every connect, message and disconnect to it; it records each as an
 * {@link Envelope} (its body read as the wire format says, its headers kept) and answers 200, or
 * what {@link #answerWith} decides. A test takes the envelopes in arrival order and answers a
 * client the way a mediator does, through the envelope's callback URLs ({@code meta.send},
 * {@code meta.disconnect}).
 *
 * <pre>{@code
 * try (MockMediator mediator = MockMediator.start();
 *      SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(mediator.backend()).build().start();
 *      TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
 *     ws.send("ping");
 *     MockMediator.Envelope message = mediator.takeEnvelope(MockMediator.Kind.MESSAGE, Duration.ofSeconds(5));
 *     assertEquals("ping", message.message());
 *     assertEquals(200, mediator.reply(message, "pong"));          // POST meta.send
 *     assertEquals("pong", ws.takeText(Duration.ofSeconds(5)));
 * }
 * }</pre>
 *
 * <p>{@link #backend()} posts connects to {@code /connect}, messages to {@code /message} and
 * disconnects to {@code /disconnect} ({@link #options()} to change more). Envelopes are kept until
 * taken. Against a SocketDock with a control token, {@link #controlToken} makes the callbacks carry
 * it. A mediator that is slow to answer, to test backend timeouts or a drain cut short, is
 * {@link #hold}: envelopes of a kind are recorded at once and answered when {@link #release()}d.
 * Requests are handled on a small pool of its own; thread-safe.
 */
public final class MockMediator implements AutoCloseable {

    /** Largest request body it reads; a larger one is answered 413 and recorded as nothing. */
    public static final int MAX_BODY = 64 * 1024 * 1024;

    /** What an envelope reports, told by its body's shape (so one URL may take all three). */
    public enum Kind {
        /** A socket opened: {@code {"meta":{"send","disconnect","headers","connection_id",…}}}. */
        CONNECT,
        /** A message: {@code {"meta":{…},"message":…}}. */
        MESSAGE,
        /** A socket closed: {@code {"connection_id","code","reason"}}. */
        DISCONNECT
    }

    /**
     * One POST SocketDock made.
     *
     * @param kind    what it reports
     * @param path    the request's path
     * @param headers its headers, names in lower case (the last value of a repeated one)
     * @param body    its body as UTF-8
     */
    public record Envelope(Kind kind, String path, Map<String, String> headers, String body) {

        /**
         * @param kind    what it reports
         * @param path    the request's path
         * @param headers its headers, names in lower case
         * @param body    its body as UTF-8
         */
        public Envelope {
            headers = Map.copyOf(headers);
        }

        /**
         * @param name a header's name, in any case
         * @return its value; null if absent
         */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** @return the connection's id (32 lower-case hex digits) */
        public String connectionId() {
            JsonObject json = json();
            return (kind == Kind.DISCONNECT ? json : json.getAsJsonObject("meta")).get("connection_id").getAsString();
        }

        /** @return {@code meta.send}, the URL that sends to the client; empty for a disconnect */
        public Optional<URI> sendUri() {
            return meta("send").map(URI::create);
        }

        /** @return {@code meta.disconnect}, the URL that closes the socket; empty for a disconnect */
        public Optional<URI> disconnectUri() {
            return meta("disconnect").map(URI::create);
        }

        /** @return the upgrade request's headers a connect carries ({@code meta.headers}); empty otherwise */
        public Map<String, String> upgradeHeaders() {
            if (kind != Kind.CONNECT) {
                return Map.of();
            }
            Map<String, String> out = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : json().getAsJsonObject("meta").getAsJsonObject("headers").entrySet()) {
                out.put(e.getKey(), e.getValue().getAsString());
            }
            return out;
        }

        /**
         * @return a message's text (a binary message's bytes decoded as UTF-8)
         * @throws IllegalStateException if it is not a message
         */
        public String message() {
            return new String(messageBytes(), StandardCharsets.UTF_8);
        }

        /**
         * @return a message's bytes (base64 decoded when the envelope says so)
         * @throws IllegalStateException if it is not a message
         */
        public byte[] messageBytes() {
            if (kind != Kind.MESSAGE) {
                throw new IllegalStateException("a " + kind + " envelope has no message");
            }
            JsonObject json = json();
            String m = json.get("message").getAsString();
            return json.has("encoding") && "base64".equals(json.get("encoding").getAsString())
                    ? Base64.getDecoder().decode(m) : m.getBytes(StandardCharsets.UTF_8);
        }

        /** @return whether a message came in a binary frame ({@code meta.frame} is {@code binary}) */
        public boolean isBinary() {
            return meta("frame").filter("binary"::equals).isPresent();
        }

        /** @return a disconnect's close code; @throws IllegalStateException if it is not a disconnect */
        public int code() {
            return disconnectField("code").getAsInt();
        }

        /** @return a disconnect's close reason; @throws IllegalStateException if it is not a disconnect */
        public String reason() {
            return disconnectField("reason").getAsString();
        }

        /** @return the body as a JSON tree (gson's; not part of the kit's API) */
        private JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        private Optional<String> meta(String name) {
            if (kind == Kind.DISCONNECT) {
                return Optional.empty();
            }
            JsonElement v = json().getAsJsonObject("meta").get(name);
            return v == null || v.isJsonNull() ? Optional.empty() : Optional.of(v.getAsString());
        }

        private JsonElement disconnectField(String name) {
            if (kind != Kind.DISCONNECT) {
                throw new IllegalStateException("a " + kind + " envelope has no " + name);
            }
            return json().get(name);
        }

        /** @return the kind of envelope {@code body} is; @throws IllegalArgumentException if none */
        static Kind kindOf(String body) {
            JsonObject json;
            try {
                json = JsonParser.parseString(body).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
            }
            if (json.has("meta") && json.get("meta").isJsonObject()) {
                return json.has("message") ? Kind.MESSAGE : Kind.CONNECT;
            }
            if (json.has("connection_id") && json.has("code")) {
                return Kind.DISCONNECT;
            }
            throw new IllegalArgumentException("neither a connect, a message nor a disconnect");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Inbox<Envelope> envelopes = new Inbox<>();
    private final List<Envelope> all = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Envelope> answer = e -> 200;
    private volatile String controlToken;
    private final HeldAnswers held = new HeldAnswers();
    /** The first failure of {@link #answer}, rethrown by the next take. */
    private volatile RuntimeException answerFailed;

    private MockMediator(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * @return a mediator listening on {@code 127.0.0.1} and a free port
     * @throws IOException if it cannot bind
     */
    public static MockMediator start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "mock-mediator");
            t.setDaemon(true);
            return t;
        });
        MockMediator m = new MockMediator(server, threads);
        server.createContext("/", m::handle);
        server.setExecutor(threads);
        server.start();
        return m;
    }

    /**
     * @param path a path, such as {@code /message}
     * @return {@code http://127.0.0.1:<port><path>}
     */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /**
     * @return the http backend's options for this mediator: connects to {@code /connect},
     *     messages to {@code /message}, disconnects to {@code /disconnect}, retries 10 ms apart
     */
    public HttpBackendOptions.Builder options() {
        return HttpBackendOptions.builder(uri("/message"))
                .connectUri(uri("/connect"))
                .disconnectUri(uri("/disconnect"))
                .retry(Retry.defaults().withBackoff(Duration.ofMillis(10)));
    }

    /** @return SocketDock's {@code http} backend posting to this mediator ({@link #options()}) */
    public Backend backend() {
        return Backends.http(options().build());
    }

    /**
     * Decides the status of each later answer (200 by default). SocketDock tries an event again,
     * with the same ids, after a 503 only; any other status counts as an answer (see the README's
     * delivery contract). If {@code status} throws, the envelope is answered 500 and the next take
     * fails the test with what it threw.
     *
     * @param status the status for an envelope; called on the mediator's threads, so it must not block
     * @return this mediator
     */
    public MockMediator answerWith(ToIntFunction<Envelope> status) {
        this.answer = Objects.requireNonNull(status, "status");
        return this;
    }

    /**
     * Makes {@link #reply} and {@link #disconnect} send {@code Authorization: Bearer <token>}, as a
     * mediator does against a SocketDock whose control API takes tokens.
     *
     * @param token the control token; null to send none again
     * @return this mediator
     */
    public MockMediator controlToken(String token) {
        this.controlToken = token;
        return this;
    }

    /**
     * Holds the answers to envelopes of {@code kind} from now on, as a stuck mediator would: each is
     * recorded (and can be taken) at once, and answered only by {@link #release()}, with the status
     * {@link #answerWith} gave it when it came, or cut off by {@link #close()}. SocketDock meanwhile
     * waits, up to its backend timeout, holding one of its backend connections. An envelope that
     * {@link #takeEnvelope} returned is already held, so a {@code release()} after the take answers it.
     *
     * @param kind the kind of envelope whose answers to hold
     * @return this mediator
     */
    public MockMediator hold(Kind kind) {
        held.hold(kind);
        return this;
    }

    /**
     * Stops holding any kind, and answers every envelope held so far, oldest first.
     *
     * @return how many held envelopes it answered or found gone (SocketDock stops waiting at its
     *     backend timeout, and a drain at its shutdown timeout)
     */
    public int release() {
        return held.release();
    }

    /**
     * @param timeout how long to wait
     * @return the oldest envelope not yet taken
     * @throws AssertionError       if none came within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public Envelope takeEnvelope(Duration timeout) throws InterruptedException {
        failIfAnswerFailed();
        return envelopes.take(e -> true, timeout, "envelope", this::answerFailure);
    }

    /**
     * Takes the oldest envelope of one kind; envelopes of other kinds stay for later takes, so a
     * test that cares only about messages need not take the connects.
     *
     * @param kind    the kind of envelope wanted
     * @param timeout how long to wait
     * @return the oldest envelope of {@code kind} not yet taken
     * @throws AssertionError       if none came within {@code timeout} (its message lists the envelopes not taken)
     * @throws InterruptedException if interrupted while waiting
     */
    public Envelope takeEnvelope(Kind kind, Duration timeout) throws InterruptedException {
        failIfAnswerFailed();
        return envelopes.take(e -> e.kind() == kind, timeout, kind + " envelope", this::answerFailure);
    }

    /** @return why a take waits no longer (answerWith threw), or null */
    private String answerFailure() {
        RuntimeException failed = answerFailed;
        return failed == null ? null : "answerWith failed: " + failed;
    }

    private void failIfAnswerFailed() {
        RuntimeException failed = answerFailed;
        if (failed != null) {
            throw new AssertionError("answerWith failed: " + failed, failed);
        }
    }

    /** @return every envelope received so far, taken or not, in arrival order */
    public List<Envelope> envelopes() {
        return List.copyOf(all);
    }

    /**
     * Answers the client as a mediator does: POSTs {@code text} to the envelope's {@code meta.send}.
     *
     * @param to   a connect or message envelope of the connection to answer
     * @param text the text message for the client
     * @return the status SocketDock answered (200 once queued; 410 for a socket that is gone)
     * @throws IllegalArgumentException for a disconnect envelope, which has no callback
     * @throws IOException              if SocketDock could not be reached
     * @throws InterruptedException     if interrupted while waiting for the answer
     */
    public int reply(Envelope to, String text) throws IOException, InterruptedException {
        return post(callback(to.sendUri(), to), "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answers the client and waits for proof that it received the message: POSTs {@code text} to
     * the envelope's {@code meta.send} with {@code ?receipt=}, which SocketDock answers once the
     * client's own pong proved the frame read (see the README's "Receipts and liveness").
     *
     * @param to     a connect or message envelope of the connection to answer
     * @param text   the text message for the client
     * @param within how long SocketDock may wait for the proof (whole milliseconds; at most its
     *               {@code --max-receipt-wait})
     * @return 200 delivered; 504 not proven within {@code within} (it may still arrive); 410 the
     *     socket closed first
     * @throws IllegalArgumentException for a disconnect envelope, or a {@code within} under a millisecond
     * @throws IOException              if SocketDock could not be reached
     * @throws InterruptedException     if interrupted while waiting for the answer
     */
    public int replyWithReceipt(Envelope to, String text, Duration within) throws IOException, InterruptedException {
        if (within.toMillis() < 1) {
            throw new IllegalArgumentException("a receipt's wait is at least a millisecond, got " + within);
        }
        URI send = callback(to.sendUri(), to);
        return post(URI.create(send + "?receipt=" + within.toMillis() + "ms"), "text/plain; charset=utf-8",
                text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answers the client with a binary message: POSTs {@code data} to the envelope's {@code meta.send}.
     *
     * @param to   a connect or message envelope of the connection to answer
     * @param data the binary message for the client
     * @return the status SocketDock answered
     * @throws IllegalArgumentException for a disconnect envelope, which has no callback
     * @throws IOException              if SocketDock could not be reached
     * @throws InterruptedException     if interrupted while waiting for the answer
     */
    public int reply(Envelope to, byte[] data) throws IOException, InterruptedException {
        return post(callback(to.sendUri(), to), "application/octet-stream", data);
    }

    /**
     * Closes the client's socket as a mediator does: POSTs {@code {"code":…,"reason":…}} to the
     * envelope's {@code meta.disconnect}.
     *
     * @param of     a connect or message envelope of the connection to close
     * @param code   the close code the client gets
     * @param reason the close reason, at most 123 bytes of UTF-8
     * @return the status SocketDock answered
     * @throws IllegalArgumentException for a disconnect envelope, which has no callback
     * @throws IOException              if SocketDock could not be reached
     * @throws InterruptedException     if interrupted while waiting for the answer
     */
    public int disconnect(Envelope of, int code, String reason) throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("reason", reason);
        return post(callback(of.disconnectUri(), of), "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static URI callback(Optional<URI> uri, Envelope e) {
        return uri.orElseThrow(() -> new IllegalArgumentException("a " + e.kind() + " envelope has no callback URL"));
    }

    private int post(URI uri, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String token = controlToken;
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return TestWebSocket.CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean answered = true;
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                respond(exchange, 413, "body larger than " + MAX_BODY + " bytes");
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            Kind kind;
            try {
                kind = Envelope.kindOf(text);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "not a SocketDock envelope: " + e.getMessage());
                return;
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1)));
            Envelope e = new Envelope(kind, exchange.getRequestURI().getPath(), headers, text);
            all.add(e); // before the answer, which may look at envelopes()
            int status;
            try {
                status = answer.applyAsInt(e);
            } catch (RuntimeException x) {
                if (answerFailed == null) {
                    answerFailed = x;
                }
                envelopes.wake();
                status = 500;
            }
            answered = !held.holdIfAsked(kind, exchange, status, () -> envelopes.add(e));
            if (answered) {
                respond(exchange, status, "");
            }
        } finally {
            if (answered) {
                exchange.close();
            }
        }
    }

    static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening at once (answers under way and held are cut off) and ends its threads. */
    @Override
    public void close() {
        server.stop(0);
        held.close();
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "MockMediator[" + uri("") + ", " + all.size() + " envelopes, " + envelopes.size() + " not taken]";
    }
}
