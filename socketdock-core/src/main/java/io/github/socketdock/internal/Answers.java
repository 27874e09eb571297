package io.github.socketdock.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Plain-text answers of the HTTP routes: a status and one short line saying why. */
final class Answers {

    private Answers() {
    }

    /**
     * Reads and discards the request body, then answers: an answer before the body is read makes
     * Jetty close the connection, and a backend's next request on it (a mediator that just got a
     * 410 for a closed socket) would fail.
     */
    static void afterBody(Request request, Response response, Callback callback, int status, String why) {
        if ("CONNECT".equals(request.getMethod())) {
            // a CONNECT's "body" is a tunnel that never ends: answer, and close the connection
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            text(response, callback, status, why);
            return;
        }
        if (request.getLength() == 0) {
            text(response, callback, status, why);
            return;
        }
        Content.Source.consumeAll(request, Callback.from(() -> text(response, callback, status, why), callback::failed));
    }

    static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
    }
}
