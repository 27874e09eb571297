package io.github.socketdock.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A small method + path router for the HTTP routes. It matches on
 * {@link Request#getPathInContext(Request)} itself (Jetty 12.1's {@code PathMappingsHandler}
 * rewrites the request context), answers 405 with {@code Allow} when only the method differs, and
 * 404 for any other path. Both read the request body first, so the client's keep-alive connection
 * stays usable. With a separate control listener, each route is served only on its own listener.
 */
final class Router extends Handler.Abstract.NonBlocking {

    /** The listener a route is served on. */
    enum Listener {
        /** The listener clients connect to: {@code /ws} (and health). */
        PUBLIC,
        /** The listener for the backend's callback routes and status; the public one unless separate. */
        CONTROL
    }

    /** Handles one matched request; {@code params} holds the template's variables. */
    interface Route {
        void handle(Request request, Response response, Callback callback, Map<String, String> params) throws Exception;
    }

    private record Entry(String method, UriTemplatePathSpec spec, Listener listener, Route route) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final java.util.function.Function<Request, Listener> listenerOf;

    /**
     * @param listenerOf which listener a request came in on, or null for none: with one shared
     *                   listener every route is served on it
     */
    Router(java.util.function.Function<Request, Listener> listenerOf) {
        this.listenerOf = listenerOf;
    }

    /** Adds a route; call before the server starts. */
    Router add(String method, String template, Listener listener, Route route) {
        entries.add(new Entry(method, new UriTemplatePathSpec(template), listener, route));
        return this;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Listener on = listenerOf == null ? null : listenerOf.apply(request);
        TreeSet<String> allowed = new TreeSet<>();
        for (Entry e : entries) {
            if ((on != null && e.listener != on) || !e.spec.matches(path)) {
                continue;
            }
            if (e.method.equals(request.getMethod())) {
                e.route.handle(request, response, callback, e.spec.getPathParams(path));
                return true;
            }
            allowed.add(e.method);
        }
        if (allowed.isEmpty()) {
            Answers.afterBody(request, response, callback, HttpStatus.NOT_FOUND_404, "no such route: " + path);
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
        Answers.afterBody(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                "method " + request.getMethod() + " not allowed; use " + String.join(", ", allowed));
        return true;
    }
}
