package io.github.socketdock.internal.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import io.github.socketdock.internal.net.ClientAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.io.ByteBufferPool;

/**
 * What goes over the wire between SocketDock and an HTTP backend, in one place: the callback
 * routes, and the JSON bodies of the connect, message and disconnect POSTs (field for field as the
 * original SocketDock; standard JSON escaping, no HTML escaping).
 *
 * <pre>
 * connect:    {"meta":{"send":S,"disconnect":D,"headers":{...},"connection_id":ID,"remote":IP}}
 * message:    {"meta":{"send":S,"disconnect":D,"connection_id":ID[,"frame":"binary"]},"message":M[,"encoding":"base64"]}
 * disconnect: {"connection_id":ID,"code":C,"reason":R}
 * </pre>
 * {@code remote} (not in the original) is the client's IP address without a port, as
 * {@link ClientAddress} decides it; left out when unknown. Only the connect carries it.
 */
public final class WireFormat {

    /** Route a backend POSTs to for sending a frame. */
    public static final String SEND_ROUTE = "/socket/{id}/send";
    /** Route a backend POSTs to for closing a connection. */
    public static final String DISCONNECT_ROUTE = "/socket/{id}/disconnect";
    /** Route that reports a connection's liveness ({@code GET}, {@code HEAD}). */
    public static final String SOCKET_ROUTE = "/socket/{id}";
    /** Route of the status report. */
    public static final String STATUS_ROUTE = "/status";
    /** Path of the WebSocket endpoint. */
    public static final String WEBSOCKET_PATH = "/ws";
    /** Liveness: 200 while the process serves. */
    public static final String HEALTH_ROUTE = "/healthz";
    /** Readiness: 200 while new connections are accepted, 503 while starting or draining. */
    public static final String READY_ROUTE = "/readyz";
    /** Metrics in the exposition format the embedding application chose (Prometheus text in the CLI). */
    public static final String METRICS_ROUTE = "/metrics";
    /** Content type of every POST to the backend. */
    public static final String JSON = "application/json";
    /** Header on every request to the backend: the id of the connection the event is about. */
    public static final String CONNECTION_ID_HEADER = "SocketDock-Connection-Id";
    /**
     * Header on every request to the backend: the event's id, the same on each of its retries (and
     * the Standard Webhooks {@code webhook-id} when calls are signed), so a backend can drop a
     * duplicate.
     */
    public static final String MESSAGE_ID_HEADER = "SocketDock-Message-Id";
    /** Header on every message request: 1, 2, … in the order the client sent the connection's messages. */
    public static final String SEQUENCE_HEADER = "SocketDock-Sequence";

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private WireFormat() {
    }

    /**
     * Reads a duration of a query parameter ({@code ?receipt=5s}) as the command line reads its
     * durations: a whole number with {@code ms}, {@code s}, {@code m} or {@code h}, or {@code 0}.
     *
     * @param value the parameter's value
     * @return the duration
     * @throws IllegalArgumentException naming what is accepted, for anything else
     */
    public static java.time.Duration duration(String value) {
        if ("0".equals(value)) {
            return java.time.Duration.ZERO;
        }
        java.util.regex.Matcher m = value == null ? null : DURATION.matcher(value);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (a whole number with ms, s, m or h,"
                    + " e.g. 500ms, 5s, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    static URI sendUri(URI endpoint, String id) {
        return URI.create(sendUrl(endpoint, id));
    }

    static URI disconnectUri(URI endpoint, String id) {
        return URI.create(disconnectUrl(endpoint, id));
    }

    /** @return {@link #sendUri} as text, unparsed */
    public static String sendUrl(URI endpoint, String id) {
        return endpoint + SEND_ROUTE.replace("{id}", id);
    }

    /** @return {@link #disconnectUri} as text, unparsed */
    public static String disconnectUrl(URI endpoint, String id) {
        return endpoint + DISCONNECT_ROUTE.replace("{id}", id);
    }

    /**
     * The upgrade request's headers as the connect POST reports them: names lower-cased, the last
     * value of a repeated header winning.
     */
    public static Map<String, String> headers(org.eclipse.jetty.http.HttpFields fields) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (org.eclipse.jetty.http.HttpField f : fields) {
            headers.put(f.getLowerCaseName(), f.getValue());
        }
        return headers;
    }

    /** @return the connect POST body */
    public static byte[] connect(Connection c) {
        return connect(c, ARRAY);
    }

    /** @return the connect POST body, as {@code sink} makes it */
    public static <T> T connect(Connection c, Sink<T> sink) {
        return write(sink, w -> {
            w.beginObject().name("meta").beginObject();
            callbacks(w, c);
            w.name("headers").beginObject();
            for (Map.Entry<String, String> h : c.headers().entrySet()) {
                w.name(h.getKey()).value(h.getValue());
            }
            w.endObject();
            w.name("connection_id").value(c.id());
            String remote = ClientAddress.text(c.remoteAddress());
            if (remote != null) {
                w.name("remote").value(remote);
            }
            w.endObject().endObject();
        });
    }

    /** @return the message POST body */
    public static byte[] message(Connection c, Message m) {
        return message(c, m, ARRAY);
    }

    /** @return the message POST body, as {@code sink} makes it */
    public static <T> T message(Connection c, Message m, Sink<T> sink) {
        return m.isText() ? write(sink, w -> message(w, c, false, m.text())) : binaryMessage(c, m.data(), sink);
    }

    /** A value that may take this many bytes at most is built whole; a larger one is measured and streamed. */
    static final int MAX_BUILT_VALUE = Envelope.MAX_POOLED / 2;

    /**
     * The message POST body as a backend call sends it, its size known before it is made. A value
     * that escaping cannot make larger than {@link #MAX_BUILT_VALUE} bytes (six bytes a character at
     * most, four for three bytes of base64) is built whole into a buffer of {@code pool}; a larger
     * one is measured exactly ({@link JsonText}) and streamed from the message, never built
     * ({@link StreamedBody}). Byte for byte the body {@link #message(Connection, Message)} makes.
     */
    public static RequestBody messageBody(Connection c, Message m, ByteBufferPool pool) {
        ByteBuffer data = m.isText() ? null : m.data();
        boolean asText = data == null || Utf8.isValid(data);
        long n = data == null ? m.text().length() : data.remaining();
        long bound = asText ? 2 + JsonText.MAX_PER_CHAR * n : JsonText.base64Length(n);
        if (bound <= MAX_BUILT_VALUE) {
            // the UTF-8 check is made once, here: the builders below are told its answer
            Sink<Envelope> sink = pooled(pool);
            if (data == null) {
                return write(sink, w -> message(w, c, false, m.text()));
            }
            return asText ? utf8BinaryMessage(c, data, sink) : base64Message(c, data, sink);
        }
        Utf8Buffer out = Utf8Buffer.get();
        String open = "{\"meta\":";
        String name = ",\"message\":";
        out.write(open, 0, open.length());
        json(out, w -> messageMeta(w, c, data != null));
        out.write(name, 0, name.length());
        byte[] head = out.toByteArray();
        if (data == null) {
            String text = m.text();
            // a String takes at most two bytes a character
            return new StreamedBody(head, () -> JsonText.of(text), JsonText.length(text), TEXT_TAIL, 2 * n, pool);
        }
        if (asText) {
            return new StreamedBody(head, () -> JsonText.of(data), JsonText.length(data), TEXT_TAIL, n, pool);
        }
        return new StreamedBody(head, () -> JsonText.ofBase64(data), JsonText.base64Length(n), BASE64_TAIL, n, pool);
    }

    private static final byte[] TEXT_TAIL = {'}'};
    private static final byte[] BASE64_TAIL = ",\"encoding\":\"base64\"}".getBytes(StandardCharsets.US_ASCII);

    /**
     * @return the message POST body of a binary message holding {@code data}'s remaining bytes (its
     *         position is not changed): as text if they are UTF-8, else as base64
     */
    static <T> T binaryMessage(Connection c, ByteBuffer data, Sink<T> sink) {
        return Utf8.isValid(data) ? utf8BinaryMessage(c, data, sink) : base64Message(c, data, sink);
    }

    /** The envelope of binary that is valid UTF-8: sent as text, marked {@code "frame":"binary"}. */
    private static <T> T utf8BinaryMessage(Connection c, ByteBuffer data, Sink<T> sink) {
        byte[] utf8 = new byte[data.remaining()];
        data.get(data.position(), utf8);
        String text = new String(utf8, StandardCharsets.UTF_8);
        return write(sink, w -> message(w, c, true, text));
    }

    private static void message(JsonWriter w, Connection c, boolean binary, String text) throws IOException {
        w.beginObject().name("meta");
        messageMeta(w, c, binary);
        w.name("message").value(text).endObject();
    }

    private static void messageMeta(JsonWriter w, Connection c, boolean binary) throws IOException {
        w.beginObject();
        callbacks(w, c);
        w.name("connection_id").value(c.id());
        if (binary) {
            w.name("frame").value("binary");
        }
        w.endObject();
    }

    /**
     * The envelope of binary that is not UTF-8, the same bytes as gson writes for it, but with the
     * base64 encoded straight into the body: the {@code meta} object by gson as a value of its own,
     * the rest as raw JSON around the base64 (whose alphabet needs no escaping).
     */
    private static <T> T base64Message(Connection c, ByteBuffer data, Sink<T> sink) {
        String head = "{\"meta\":";
        String beforeData = ",\"message\":\"";
        String tail = "\",\"encoding\":\"base64\"}";
        Utf8Buffer out = Utf8Buffer.get();
        out.write(head, 0, head.length());
        json(out, w -> messageMeta(w, c, true));
        out.room(beforeData.length() + Utf8Buffer.base64Length(data.remaining()) + tail.length());
        out.write(beforeData, 0, beforeData.length());
        out.writeBase64(data);
        out.write(tail, 0, tail.length());
        return sink.take(out);
    }

    /** @return the disconnect POST body */
    public static byte[] disconnect(Connection c, CloseStatus status) {
        return disconnect(c, status, ARRAY);
    }

    /** @return the disconnect POST body, as {@code sink} makes it */
    public static <T> T disconnect(Connection c, CloseStatus status, Sink<T> sink) {
        return write(sink, w -> w.beginObject()
                .name("connection_id").value(c.id())
                .name("code").value(status.code())
                .name("reason").value(status.reason())
                .endObject());
    }

    /**
     * Reads the optional body of a disconnect request: empty means 1000, else a JSON object with an
     * optional {@code code} (a close code an application may send) and an optional {@code reason}.
     *
     * @throws IllegalArgumentException with a message fit for a 400 answer
     */
    public static CloseStatus disconnectRequest(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            return new CloseStatus(CloseStatus.NORMAL, "");
        }
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(s);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("body must be a JSON object like {\"code\":1000,\"reason\":\"bye\"}");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("body is not valid JSON");
        }
        int code = CloseStatus.NORMAL;
        if (o.has("code")) {
            JsonElement c = o.get("code");
            if (!(c instanceof JsonPrimitive) || !c.getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException("\"code\" must be a number");
            }
            double d = c.getAsDouble();
            if (d != Math.rint(d) || !CloseStatus.isSendable((int) d)) {
                throw new IllegalArgumentException("\"code\" " + c + " is not a close code that may be sent (1000-1003, 1007-1014, 3000-4999)");
            }
            code = (int) d;
        }
        String reason = "";
        if (o.has("reason") && !o.get("reason").isJsonNull()) {
            JsonElement r = o.get("reason");
            if (!(r instanceof JsonPrimitive) || !r.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("\"reason\" must be a string");
            }
            reason = r.getAsString();
            if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
                throw new IllegalArgumentException("\"reason\" must be at most 123 bytes of UTF-8");
            }
        }
        return new CloseStatus(code, reason);
    }

    private static void callbacks(JsonWriter w, Connection c) throws IOException {
        if (c instanceof CallbackUrls known) {
            w.name("send").value(known.sendUrl());
            w.name("disconnect").value(known.disconnectUrl());
        } else {
            w.name("send").value(c.sendUri().toString());
            w.name("disconnect").value(c.disconnectUri().toString());
        }
    }

    private interface Body {
        void writeTo(JsonWriter w) throws IOException;
    }

    /**
     * What a body written into this thread's buffer becomes: an array of its exact size
     * ({@link #ARRAY}), or an {@link Envelope} in a buffer of a pool ({@link #pooled}).
     */
    public interface Sink<T> {
        T take(Utf8Buffer out);
    }

    /** Copies a body out into an array of its exact size. */
    static final Sink<byte[]> ARRAY = Utf8Buffer::toByteArray;

    /** @return a sink that copies a body into a buffer of {@code pool} */
    public static Sink<Envelope> pooled(ByteBufferPool pool) {
        return out -> Envelope.copyOf(out, pool);
    }

    /** Writes a body once, as UTF-8, into this thread's reusable buffer; @return it, as {@code sink} makes it */
    private static <T> T write(Sink<T> sink, Body body) {
        Utf8Buffer out = Utf8Buffer.get();
        json(out, body);
        return sink.take(out);
    }

    /** Writes one JSON value with gson (compact, no HTML escaping) at the end of {@code out}. */
    private static void json(Utf8Buffer out, Body body) {
        try (JsonWriter w = new JsonWriter(out)) {
            w.setHtmlSafe(false);
            w.setSerializeNulls(false);
            body.writeTo(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
