package io.github.socketdock.internal.server;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.QueueFullException;
import io.github.socketdock.Receipt;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.relay.CallbackTarget;
import io.github.socketdock.internal.relay.OutFrame;
import io.github.socketdock.internal.relay.RelayCore;
import io.github.socketdock.internal.wire.ConnectionIds;
import io.github.socketdock.internal.wire.Envelope;
import io.github.socketdock.internal.wire.Utf8;
import io.github.socketdock.internal.wire.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;

/**
 * The callback routes a backend uses to reach a connection:
 * {@code POST /socket/{id}/send} and {@code POST /socket/{id}/disconnect}.
 *
 * <p>Answers: 200 once the frame is queued or the close started; 404 for a malformed id; 410 for a
 * well-formed id that is unknown or closed; 413 for a body over its limit (and the connection is
 * closed, the rest of the body unread), or text whose UTF-8 frame would be; 415 for an unknown charset; 400 for text that does not
 * decode or a bad disconnect body; 503 with {@code Retry-After} when the connection's outbound
 * queue or the process-wide budget is full. Every other answer reads the body first, so the
 * backend's connection stays open for its next request.
 */
final class ControlRoutes {

    private static final Logger LOG = Logs.CONTROL;
    /** Largest disconnect body: a JSON object with a code and a reason of at most 123 bytes. */
    private static final int MAX_DISCONNECT_BODY = 4096;

    private final RelayCore relay;
    private final int maxMessageSize;
    private final long startedAt = System.nanoTime();
    /** The frames' payloads: buffers a little larger than a body at most, given back once written. */
    private final ByteBufferPool bodies = Envelope.newPool();

    ControlRoutes(RelayCore relay) {
        this.relay = relay;
        this.maxMessageSize = (int) relay.settings().limits().maxMessageSize();
    }

    /**
     * Adds the send and disconnect routes, and {@code /status} when {@code withStatus} (only when the
     * control API is protected by tokens or a listener of its own: it tells who is connected).
     */
    void addTo(Router router, ControlAccess access, boolean withStatus) {
        router.add("POST", WireFormat.SEND_ROUTE, Router.Listener.CONTROL, counted(access.guard(logged(this::send))))
              .add("POST", WireFormat.DISCONNECT_ROUTE, Router.Listener.CONTROL, access.guard(logged(this::disconnect)))
              .add("GET", WireFormat.SOCKET_ROUTE, Router.Listener.CONTROL, access.guard(logged(this::liveness)))
              .add("HEAD", WireFormat.SOCKET_ROUTE, Router.Listener.CONTROL, access.guard(logged(this::liveness)));
        if (withStatus) {
            router.add("GET", WireFormat.STATUS_ROUTE, Router.Listener.CONTROL, access.guard(this::status));
        }
    }

    /**
     * Logs a refusal (status 400 or above) at DEBUG with its status and why, and the connection's
     * id in the MDC: a client can cause refusals at will, so they stay below INFO.
     */
    private static Router.Route logged(Router.Route route) {
        return (request, response, callback, params) -> {
            if (LOG.isDebugEnabled()) {
                route.handle(request, response, loggingRefusals(request, response, callback, params), params);
            } else {
                route.handle(request, response, callback, params); // nothing allocated when nothing is logged
            }
        };
    }

    private static Callback loggingRefusals(Request request, Response response, Callback callback,
                                            Map<String, String> params) {
        return new Callback.Nested(callback) {
            @Override
            public void failed(Throwable x) {
                LOG.debug("{} {} failed: {}", request.getMethod(), LogText.printable(request.getHttpURI().getPath()),
                        LogText.rootMessage(x));
                super.failed(x);
            }

            @Override
            public void succeeded() {
                int status = response.getStatus();
                if (status >= 400) {
                    String id = params.get("id");
                    String path = LogText.printable(request.getHttpURI().getPath());
                    Object why = request.getAttribute(Answers.WHY);
                    try (Logs.Scope ignored = ConnectionIds.isWellFormed(id) ? Logs.connection(id, null) : Logs.none()) {
                        LOG.debug("{} {} refused with {}: {}", request.getMethod(), path, status, why);
                    }
                }
                super.succeeded();
            }
        };
    }

    /** @return the id from the path if it is one (32 hex digits), else null: a listener never gets the caller's text */
    private static String idOrNull(String id) {
        return ConnectionIds.isWellFormed(id) ? id : null;
    }

    /** Reports each answer's status to the listeners once it is sent (or failed). */
    private Router.Route counted(Router.Route route) {
        return (request, response, callback, params) -> route.handle(request, response, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                relay.sendAnswered(idOrNull(params.get("id")), response.getStatus());
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                relay.sendAnswered(idOrNull(params.get("id")), 0);
                super.failed(x);
            }
        }, params);
    }

    /** {@code {"uptime":{"ns":N,"seconds":S},"connections":{"active":A,"lifetime":L}}}, as the original. */
    private void status(Request request, Response response, Callback callback, Map<String, String> params) {
        long ns = System.nanoTime() - startedAt;
        String body = "{\"uptime\":{\"ns\":" + ns + ",\"seconds\":" + (ns / 1_000_000_000L)
                + "},\"connections\":{\"active\":" + relay.connectionCount() + ",\"lifetime\":"
                + relay.lifetimeCount() + "}}";
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, body, callback);
    }

    private void send(Request request, Response response, Callback callback, Map<String, String> params) {
        if (request.getLength() > maxMessageSize) {
            tooLarge(response, callback);
            return;
        }
        Duration receipt;
        try {
            receipt = ProofAnswers.waitFor(request, "receipt");
        } catch (IllegalArgumentException e) {
            Answers.afterBody(request, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
            return;
        }
        withConnection(params.get("id"), request, response, callback, c -> sendTo(c, request, response, callback, receipt));
    }

    private void sendTo(CallbackTarget c, Request request, Response response, Callback callback, Duration receipt) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        Charset charset;
        try {
            charset = textCharset(contentType);
        } catch (IllegalArgumentException e) {
            Answers.afterBody(request, response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, e.getMessage());
            return;
        }
        // the body counts against the process-wide budget while it is read and decoded: a flood of
        // large sends is refused up front instead of being read into memory
        long reserved = request.getLength() >= 0 ? request.getLength() : maxMessageSize;
        if (!relay.tryReserve(reserved)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Answers.afterBody(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "the relay's buffer budget is spent; try again later");
            return;
        }
        Callback released = Callback.from(callback, () -> relay.release(reserved));
        readBody(request, response, released, maxMessageSize, read -> {
            ByteBuffer bytes = read.getByteBuffer();
            OutFrame frame;
            if (charset == null) {
                frame = OutFrame.copied(OpCode.BINARY, bodies, bytes);
            } else if (charset.equals(StandardCharsets.UTF_8)) {
                // the common case: the body becomes the frame's payload as it is, once checked
                if (!Utf8.isValid(bytes)) {
                    Answers.text(response, released, HttpStatus.BAD_REQUEST_400, "body is not valid UTF-8");
                    return;
                }
                frame = OutFrame.copied(OpCode.TEXT, bodies, bytes);
            } else {
                String text;
                try {
                    text = charset.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(bytes.duplicate()).toString();
                } catch (CharacterCodingException e) {
                    Answers.text(response, released, HttpStatus.BAD_REQUEST_400, "body is not valid " + charset.name());
                    return;
                }
                frame = OutFrame.text(text);
            }
            if (receipt == null) {
                answerQueued(c, c.send(frame), response, released);
            } else {
                CompletableFuture<Receipt> proven = c.sendWithReceipt(frame, receipt);
                // queued (or refused): the frame counts what it holds itself, so the body's
                // reservation goes back now, not when the receipt is known
                relay.release(reserved);
                ProofAnswers.receipt(c, proven, response, callback);
            }
        });
    }

    /**
     * {@code GET /socket/{id}}: 200 {@code {"connection_id","opened_at","remote","last_seen_ms"}}
     * while the connection is open (or its upgrade under way), 410 otherwise; with
     * {@code ?probe=<duration>} it pings the client now and adds {@code rtt_ms}, or answers 504
     * when no pong came in time. {@code HEAD} answers the same status without a body.
     */
    private void liveness(Request request, Response response, Callback callback, Map<String, String> params) {
        Duration probe;
        try {
            probe = ProofAnswers.waitFor(request, "probe");
        } catch (IllegalArgumentException e) {
            Answers.afterBody(request, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
            return;
        }
        withConnection(params.get("id"), request, response, callback,
                c -> ProofAnswers.liveness(c, probe, response, callback));
    }

    /**
     * Answers once the frame is in the socket's queue: 200; or, for a socket whose upgrade is still
     * under way, once it opened (200) or never will (410). A refusal answers at once: 503 with
     * {@code Retry-After} when a queue or the budget is full, 410 when the connection is closed.
     */
    private void answerQueued(CallbackTarget c, CompletableFuture<Void> queued, Response response, Callback callback) {
        if (queued.isCompletedExceptionally()) {
            refused(c, queued.handle((v, x) -> x).getNow(null), response, callback);
            return;
        }
        queued.whenComplete((v, x) -> {
            if (x != null) {
                try (Logs.Scope ignored = Logs.connection(c.id(), c.remoteAddress())) {
                    LOG.debug("connection {}: frame accepted but not written: {}", c.id(), LogText.rootMessage(x));
                }
            }
        });
        c.upgraded().whenComplete((v, x) -> {
            if (x != null || queued.isCompletedExceptionally()) {
                refused(c, queued.handle((w, y) -> y).getNow(null), response, callback);
            } else {
                Answers.text(response, callback, HttpStatus.OK_200, "OK");
            }
        });
    }

    /** Answers a frame, or a probe, that was refused: 503 with {@code Retry-After}, 413, or 410. */
    static void refused(CallbackTarget c, Throwable cause, Response response, Callback callback) {
        if (cause instanceof QueueFullException) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Answers.text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, cause.getMessage());
        } else if (cause instanceof IllegalArgumentException) {
            // text in another charset whose UTF-8 frame is larger than the maximum message size
            Answers.text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, cause.getMessage());
        } else {
            Answers.text(response, callback, HttpStatus.GONE_410, gone(c.id()));
        }
    }

    private void disconnect(Request request, Response response, Callback callback, Map<String, String> params) {
        withConnection(params.get("id"), request, response, callback, c -> disconnect(c, request, response, callback));
    }

    private void disconnect(CallbackTarget c, Request request, Response response, Callback callback) {
        readBody(request, response, callback, MAX_DISCONNECT_BODY, read -> {
            byte[] body = BufferUtil.toArray(read.getByteBuffer());
            CloseStatus status;
            try {
                status = WireFormat.disconnectRequest(body);
            } catch (IllegalArgumentException e) {
                Answers.text(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
                return;
            }
            c.close(status);
            Answers.text(response, callback, HttpStatus.OK_200, "OK");
        });
    }

    /**
     * Finds the connection and goes on with it, open or with its upgrade still under way (a send
     * then waits in its queue, a disconnect is applied when it opens); otherwise answers 404
     * (malformed id) or 410 (unknown or done).
     */
    private void withConnection(String id, Request request, Response response, Callback callback,
                                java.util.function.Consumer<CallbackTarget> then) {
        if (!ConnectionIds.isWellFormed(id)) {
            Answers.afterBody(request, response, callback, HttpStatus.NOT_FOUND_404,
                    "no such route: a connection id is 32 lower-case hex characters");
            return;
        }
        CallbackTarget c = relay.target(id);
        if (c == null) {
            Answers.afterBody(request, response, callback, HttpStatus.GONE_410, gone(id));
            return;
        }
        then.accept(c);
    }

    static String gone(String id) {
        return "connection " + id + " is closed or unknown";
    }

    /** Answers 413 and closes the connection: the rest of the body is not read. */
    private void tooLarge(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        Answers.text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                "body larger than the maximum message size of " + maxMessageSize + " bytes");
    }

    /** Takes a body read whole, in a buffer of Jetty's that is valid only until it returns. */
    private interface BodyHandler {
        void accept(RetainableByteBuffer body);
    }

    /** Reads the whole body, at most {@code limit} bytes, without a thread hop; a larger body is answered 413. */
    private void readBody(Request request, Response response, Callback callback, int limit, BodyHandler then) {
        // a body of several network buffers is gathered in buffers of the relay's pool
        Content.Source.asRetainableByteBuffer(request, bodies, false, limit, Promise.Invocable.from(
                Invocable.InvocationType.NON_BLOCKING, (RetainableByteBuffer body, Throwable failure) -> {
                    if (failure == null) {
                        // Jetty releases the buffer when this returns, so nothing may escape: a
                        // failure (say, no memory for a large payload) answers 500 and frees the rest
                        try {
                            then.accept(body);
                        } catch (RuntimeException | OutOfMemoryError e) {
                            LOG.warn("{} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(),
                                    LogText.rootMessage(e));
                            callback.failed(e);
                        }
                    } else if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
                        // the size-limited read refuses a body over its limit (Jetty 12.1.14 throws ISE)
                        if (limit == maxMessageSize) {
                            tooLarge(response, callback);
                        } else {
                            response.getHeaders().put(HttpHeader.CONNECTION, "close");
                            Answers.text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                                    "body larger than " + limit + " bytes");
                        }
                    } else {
                        callback.failed(failure);
                    }
                }));
    }

    /**
     * @return the charset of a {@code text/*} content type (UTF-8 when none is given), or null
     * for any other or no content type (a binary frame)
     * @throws IllegalArgumentException for a text type whose charset is unknown
     */
    static Charset textCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (parts.length == 0 || !parts[0].strip().toLowerCase(Locale.ROOT).startsWith("text/")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String name = p.substring(eq + 1).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("unsupported charset '" + name + "' in Content-Type");
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
