package io.github.socketdock.internal.server;

import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.relay.Settings;
import io.github.socketdock.internal.wire.WireFormat;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The routes an operator's tooling reads: {@code GET /healthz} and {@code GET /readyz} on the public
 * listener, without auth, answered from memory; and {@code GET /metrics} on the control listener
 * (the public one unless separate), behind the control tokens when there are any.
 */
final class ProbeRoutes {

    private final BooleanSupplier ready;
    private final Settings.Observers metrics;

    /**
     * @param ready   whether new connections are accepted now (started and not draining)
     * @param metrics what {@code /metrics} serves (no such route without a page)
     */
    ProbeRoutes(BooleanSupplier ready, Settings.Observers metrics) {
        this.ready = ready;
        this.metrics = metrics;
    }

    void addTo(Router router, ControlAccess access) {
        router.add("GET", WireFormat.HEALTH_ROUTE, Router.Listener.PUBLIC, (request, response, callback, params) ->
                probe(response, callback, HttpStatus.OK_200, "alive"));
        router.add("GET", WireFormat.READY_ROUTE, Router.Listener.PUBLIC, (request, response, callback, params) -> {
            if (ready.getAsBoolean()) {
                probe(response, callback, HttpStatus.OK_200, "ready");
            } else {
                probe(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "not accepting connections (starting or draining)");
            }
        });
        if (metrics.page() != null) {
            router.add("GET", WireFormat.METRICS_ROUTE, Router.Listener.CONTROL, access.guard(this::metrics));
        }
    }

    private static void probe(Response response, Callback callback, int status, String body) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Answers.text(response, callback, status, body);
    }

    private void metrics(Request request, Response response, Callback callback, Map<String, String> params) {
        // rendering the page is CPU work on the registry's meters: keep it off the selector threads
        request.getContext().execute(() -> {
            String page;
            try {
                page = metrics.page().get();
            } catch (RuntimeException e) {
                Answers.text(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                        "metrics could not be rendered: " + LogText.rootMessage(e));
                return;
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Content.Sink.write(response, true, page, callback);
        });
    }
}
