package io.github.socketdock.internal.server;

import io.github.socketdock.QueueFullException;
import io.github.socketdock.Receipt;
import io.github.socketdock.internal.net.ClientAddress;
import io.github.socketdock.internal.relay.CallbackTarget;
import io.github.socketdock.internal.wire.WireFormat;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The answers of the callback routes that wait for the client's proof (see the README's "Receipts
 * and liveness"): a {@code /send?receipt=}'s, and {@code GET /socket/{id}}'s with or without
 * {@code ?probe=}. {@link ControlRoutes} finds the connection; this says what the proof came to.
 */
final class ProofAnswers {

    private static final String NOT_DELIVERED_CLOSED = "{\"delivered\":false,\"reason\":\"closed\"}";

    private ProofAnswers() {
    }

    /**
     * Reads a wait a request asks for ({@code ?receipt=10s}, {@code ?probe=2s}). A request that
     * asks for one outlives the listener's idle timeout: its answer waits on the relay's own timer,
     * at most the max receipt wait.
     *
     * @return the query parameter {@code name} as a positive duration, or null if it is not given
     * @throws IllegalArgumentException for a value that is not a duration, or zero (answered 400)
     */
    static Duration waitFor(Request request, String name) {
        if (request.getHttpURI().getQuery() == null) {
            return null;
        }
        Fields.Field field = Request.extractQueryParameters(request).get(name);
        if (field == null) {
            return null;
        }
        Duration d;
        try {
            d = WireFormat.duration(field.getValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(name + "=0: give a positive wait (e.g. " + name + "=10s) or leave it out");
        }
        request.addIdleTimeoutListener(timeout -> false); // no pending I/O: the timeout is not a failure
        return d;
    }

    /**
     * Answers once the receipt is known: 200 {@code {"delivered":true,"rtt_ms":…}}, 504
     * {@code {"delivered":false,"reason":"timeout"}} (not proven: it may still arrive), 410
     * {@code {"delivered":false,"reason":"closed"}}; a refusal at once, as a plain send's.
     */
    static void receipt(CallbackTarget c, CompletableFuture<Receipt> proven, Response response, Callback callback) {
        if (proven.isCompletedExceptionally()) {
            Throwable cause = cause(proven.handle((v, x) -> x).getNow(null));
            if (cause instanceof QueueFullException || cause instanceof IllegalArgumentException) {
                ControlRoutes.refused(c, cause, response, callback);
            } else {
                Answers.json(response, callback, HttpStatus.GONE_410, NOT_DELIVERED_CLOSED);
            }
            return;
        }
        proven.whenComplete((r, x) -> {
            if (x != null || r.status() == Receipt.Status.CLOSED) {
                Answers.json(response, callback, HttpStatus.GONE_410, NOT_DELIVERED_CLOSED);
            } else if (r.status() == Receipt.Status.TIMEOUT) {
                Answers.json(response, callback, HttpStatus.GATEWAY_TIMEOUT_504, "{\"delivered\":false,\"reason\":\"timeout\"}");
            } else {
                Answers.json(response, callback, HttpStatus.OK_200,
                        "{\"delivered\":true,\"rtt_ms\":" + millis(r.roundTrip()) + "}");
            }
        });
    }

    /**
     * {@code GET /socket/{id}} of a connection open or upgrading: 200
     * {@code {"connection_id","opened_at","remote","last_seen_ms"}}; with a probe, once its pong
     * came, with {@code rtt_ms}, or 504 when none came in time ({@code HEAD}: the same status,
     * no body); a probe refused as a send is (503, 410).
     *
     * @param probe the probe's wait, or null for none
     */
    static void liveness(CallbackTarget c, Duration probe, Response response, Callback callback) {
        if (probe == null) {
            Answers.json(response, callback, HttpStatus.OK_200, livenessJson(c, null));
            return;
        }
        c.probe(probe).whenComplete((rtt, failure) -> {
            Throwable x = cause(failure);
            if (x == null) {
                Answers.json(response, callback, HttpStatus.OK_200, livenessJson(c, rtt));
            } else if (x instanceof TimeoutException) {
                Answers.json(response, callback, HttpStatus.GATEWAY_TIMEOUT_504,
                        "{\"connection_id\":\"" + c.id() + "\",\"reason\":\"timeout\"}");
            } else {
                ControlRoutes.refused(c, x, response, callback);
            }
        });
    }

    private static String livenessJson(CallbackTarget c, Duration rtt) {
        CallbackTarget.Liveness l = c.liveness();
        String remote = ClientAddress.text(c.remoteAddress());
        return "{\"connection_id\":\"" + c.id() + "\",\"opened_at\":"
                + (l.openedAt() == null ? "null"
                        : "\"" + DateTimeFormatter.ISO_INSTANT.format(l.openedAt().truncatedTo(ChronoUnit.MILLIS)) + "\"")
                + ",\"remote\":" + (remote == null ? "null" : "\"" + remote + "\"")
                + ",\"last_seen_ms\":" + l.lastSeen().toMillis()
                + (rtt == null ? "" : ",\"rtt_ms\":" + millis(rtt)) + "}";
    }

    /** @return what failed, unwrapped from a stage's {@code CompletionException} */
    private static Throwable cause(Throwable x) {
        return x instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : x;
    }

    /** @return milliseconds with three decimals, or {@code null} when unknown */
    private static String millis(Duration d) {
        return d == null ? "null" : String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
    }
}
