package io.github.socketdock.bench;

import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code backend}: a fast HTTP backend for the relays under test, in a process of its own.
 *
 * <ul>
 *   <li>{@code POST /socketdock/echo}: a SocketDock message envelope; answers 200 at once and POSTs
 *       the message back to {@code meta.send} through one shared, pooled Jetty client.</li>
 *   <li>{@code POST /socketdock/ingress}: a SocketDock message envelope whose message starts with
 *       the sender's {@link System#nanoTime()} in 16 hex digits; counts it and records its age
 *       (the monotonic clock is shared by the processes of one machine).</li>
 *   <li>{@code POST /pushpin}: Pushpin's WebSocket-over-HTTP; accepts OPEN and echoes every TEXT
 *       and BINARY event in the answer, Pushpin's cheapest path.</li>
 *   <li>{@code POST /socketdock/pressure?hold=MS}: as {@code echo} for a body of at most 64 KiB; a
 *       larger one is counted and answered after {@code MS} milliseconds, not echoed (the pressure
 *       scenarios: large messages to a backend that holds their answers, small ones echoed).</li>
 *   <li>{@code POST /socketdock/never}: a message envelope whose answer never comes (Credo's
 *       return-route messages); counts it and keeps the largest gap between two arrivals.</li>
 *   <li>{@code GET /stats}: {@code {"messages":N,"errors":E,"p50":ns,...}} since the last call.</li>
 * </ul>
 */
final class FastBackend extends Handler.Abstract.NonBlocking {

    static final String WEBSOCKET_EVENTS = "application/websocket-events";

    private final HttpClient client;
    private final LongAdder messages = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder ages = new Recorder(3);
    /** Arrivals of the never-answered path: how many, the last one's time, the largest gap. */
    private final LongAdder never = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong lastNever = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong maxNeverGap = new java.util.concurrent.atomic.AtomicLong();
    /** Large messages of the pressure path, and what answers them later. */
    private final LongAdder large = new LongAdder();
    private final java.util.concurrent.ScheduledExecutorService holder =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "backend-holder");
                t.setDaemon(true);
                return t;
            });

    private FastBackend(HttpClient client) {
        this.client = client;
    }

    static void main(Args args) throws Exception {
        args.checkAllUsed();
        HttpClient client = new HttpClient();
        QueuedThreadPool clientThreads = new QueuedThreadPool();
        clientThreads.setName("backend-client");
        client.setExecutor(clientThreads);
        client.setMaxConnectionsPerDestination(512);
        client.setMaxRequestsQueuedPerDestination(65_536);
        client.start();
        ServerConnector connector = Servers.localServer("backend");
        Server server = connector.getServer();
        server.setHandler(new FastBackend(client));
        server.start();
        try {
            Servers.serveUntilStdinCloses(connector.getLocalPort());
        } finally {
            server.stop();
            client.stop();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/stats" -> stats(response, callback);
            case "/socketdock/pressure" -> new PressureBody(request, response, callback).read();
            case "/socketdock/never" -> readBody(request, response, callback, 4 * Servers.MAX_MESSAGE, body -> {
                // the answer is never written: the relay holds it until it gives it up
                long now = System.nanoTime();
                long before = lastNever.getAndSet(now);
                if (before != 0) {
                    maxNeverGap.accumulateAndGet(now - before, Math::max);
                }
                never.increment();
            });
            case "/socketdock/echo", "/socketdock/ingress", "/pushpin" -> readBody(request, response, callback, 4 * Servers.MAX_MESSAGE, body -> {
                switch (path) {
                    case "/socketdock/echo" -> echo(body, response, callback);
                    case "/socketdock/ingress" -> ingress(body, response, callback);
                    default -> pushpin(body, response, callback);
                }
            });
            default -> {
                return false;
            }
        }
        return true;
    }

    private interface BodyHandler {
        void accept(byte[] body);
    }

    private void readBody(Request request, Response response, Callback callback, int max, BodyHandler then) {
        Content.Source.asByteArrayAsync(request, max, Promise.Invocable.from(Invocable.InvocationType.NON_BLOCKING,
                (byte[] body, Throwable failure) -> {
                    if (failure != null) {
                        errors.increment();
                        callback.failed(failure);
                        return;
                    }
                    try {
                        then.accept(body);
                    } catch (RuntimeException e) {
                        errors.increment();
                        Response.writeError(request, response, callback, 400, e.toString());
                    }
                }));
    }

    /**
     * Reads a pressure body as it comes: one of at most {@value #SMALL} bytes is echoed; a larger
     * one is only counted, its bytes dropped as they arrive (a backend that kept 48 bodies of
     * 24 MiB to count them would spend the CPU the relay under test needs), and answered after the
     * query's {@code hold} milliseconds.
     */
    private final class PressureBody {
        static final int SMALL = 64 * 1024;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
        private long total;

        PressureBody(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void read() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this::read);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    errors.increment();
                    callback.failed(chunk.getFailure());
                    return;
                }
                ByteBuffer b = chunk.getByteBuffer();
                total += b.remaining();
                if (total <= SMALL) {
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    small.writeBytes(bytes);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    done();
                    return;
                }
            }
        }

        private void done() {
            if (total <= SMALL) {
                try {
                    echo(small.toByteArray(), response, callback);
                } catch (RuntimeException e) {
                    errors.increment();
                    Response.writeError(request, response, callback, 400, e.toString());
                }
                return;
            }
            large.increment();
            String query = request.getHttpURI().getQuery();
            long hold = query != null && query.startsWith("hold=") ? Long.parseLong(query.substring(5)) : 0;
            holder.schedule(() -> {
                response.setStatus(200);
                response.write(true, null, callback);
            }, hold, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void echo(byte[] body, Response response, Callback callback) {
        Envelope e = Envelope.parse(body);
        messages.increment();
        client.newRequest(e.send)
                .method("POST")
                .body(new StringRequestContent("text/plain; charset=utf-8", e.message))
                .send(result -> {
                    if (result.isFailed() || result.getResponse().getStatus() != 200) {
                        errors.increment();
                    }
                });
        response.setStatus(200);
        response.write(true, null, callback);
    }

    private void ingress(byte[] body, Response response, Callback callback) {
        Envelope e = Envelope.parse(body);
        long sentAt = Long.parseUnsignedLong(e.message.substring(0, 16), 16);
        ages.recordValue(Math.max(0, System.nanoTime() - sentAt));
        messages.increment();
        response.setStatus(200);
        response.write(true, null, callback);
    }

    private void pushpin(byte[] body, Response response, Callback callback) {
        StringBuilder answer = new StringBuilder(body.length + 16);
        int i = 0;
        while (i < body.length) {
            int eol = indexOfCrlf(body, i);
            String line = new String(body, i, eol - i, StandardCharsets.US_ASCII);
            i = eol + 2;
            int space = line.indexOf(' ');
            String type = space < 0 ? line : line.substring(0, space);
            String content = "";
            int length = 0;
            if (space >= 0) {
                length = Integer.parseInt(line.substring(space + 1), 16);
                content = new String(body, i, length, StandardCharsets.UTF_8);
                i += length + 2;
            }
            switch (type) {
                case "OPEN" -> answer.append("OPEN\r\n");
                case "TEXT", "BINARY" -> {
                    messages.increment();
                    answer.append(type).append(' ').append(Integer.toHexString(length))
                            .append("\r\n").append(content).append("\r\n");
                }
                case "CLOSE" -> answer.append("CLOSE\r\n");
                default -> {
                    // PING, PONG, DISCONNECT: nothing to answer
                }
            }
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, WEBSOCKET_EVENTS);
        response.write(true, ByteBuffer.wrap(answer.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("WebSocket-over-HTTP event without CRLF");
    }

    private void stats(Response response, Callback callback) {
        Histogram h = ages.getIntervalHistogram();
        String json = "{\"messages\":" + messages.sumThenReset() + ",\"errors\":" + errors.sumThenReset()
                + ",\"large\":" + large.sumThenReset()
                + ",\"never\":" + never.sum() + ",\"neverMaxGap\":" + maxNeverGap.get()
                + ",\"p50\":" + h.getValueAtPercentile(50) + ",\"p99\":" + h.getValueAtPercentile(99)
                + ",\"p999\":" + h.getValueAtPercentile(99.9) + ",\"max\":" + h.getMaxValue() + "}";
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, json, callback);
    }

    /** The two fields of a SocketDock message envelope the backend needs. */
    private static final class Envelope {
        String send;
        String message;

        static Envelope parse(byte[] body) {
            Envelope e = new Envelope();
            // a StringReader, not an InputStreamReader: its decoder would allocate 8 KiB per request
            try (JsonReader r = new JsonReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
                r.beginObject();
                while (r.hasNext()) {
                    String name = r.nextName();
                    if (name.equals("meta")) {
                        r.beginObject();
                        while (r.hasNext()) {
                            if (r.nextName().equals("send")) {
                                e.send = r.nextString();
                            } else {
                                r.skipValue();
                            }
                        }
                        r.endObject();
                    } else if (name.equals("message")) {
                        e.message = r.nextString();
                    } else {
                        r.skipValue();
                    }
                }
            } catch (IOException x) {
                throw new IllegalArgumentException("not a SocketDock envelope: " + x.getMessage(), x);
            }
            if (e.send == null || e.message == null) {
                throw new IllegalArgumentException("envelope without meta.send or message");
            }
            return e;
        }
    }
}
