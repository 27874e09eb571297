package io.github.socketdock.internal.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Plain-text answers of the HTTP routes: a status and one short line saying why. */
final class Answers {

    private Answers() {
    }

    /** Request attribute: the line a refusal (status 400 or above) answered with, for the log. */
    static final String WHY = Answers.class.getName() + ".why";

    /** Largest body read and discarded before a refusal, to keep the connection usable. */
    static final long MAX_DISCARDED = 64 * 1024;

    /**
     * Answers a refusal. A body of known length up to {@link #MAX_DISCARDED} is read and discarded
     * first, so the client's keep-alive connection stays usable for its next request (a mediator
     * that just got a 410 for a closed socket); a larger or chunked body is not read at all — the
     * answer says {@code Connection: close}, so nobody can keep a refused request streaming.
     */
    static void afterBody(Request request, Response response, Callback callback, int status, String why) {
        if ("CONNECT".equals(request.getMethod())) {
            // a CONNECT's "body" is a tunnel that never ends: answer, and close the connection
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            text(response, callback, status, why);
            return;
        }
        long length = request.getLength();
        if (length == 0) {
            text(response, callback, status, why);
            return;
        }
        if (length < 0 || length > MAX_DISCARDED) {
            // a large or open-ended body is not read for a refusal: say the connection ends here
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            text(response, callback, status, why);
            return;
        }
        Content.Source.consumeAll(request, Callback.from(() -> text(response, callback, status, why), callback::failed));
    }

    /** Answers {@code body} as plain text; a refusal's line is also kept as the request's {@link #WHY}. */
    static void text(Response response, Callback callback, int status, String body) {
        answer(response, callback, status, "text/plain; charset=utf-8", body);
    }

    /** Answers {@code body}, a JSON object; a refusal's body is also kept as the request's {@link #WHY}. */
    static void json(Response response, Callback callback, int status, String body) {
        answer(response, callback, status, "application/json", body);
    }

    private static void answer(Response response, Callback callback, int status, String contentType, String body) {
        if (status >= 400) {
            response.getRequest().setAttribute(WHY, body);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }
}
