package io.github.socketdock.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls a backend makes to the callback routes, with the JDK's client. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    /** POSTs {@code body} with {@code contentType} (null for none). */
    public static HttpResponse<String> post(URI uri, String contentType, byte[] body) {
        return post(uri, contentType, body, java.util.Map.of());
    }

    /** POSTs {@code body} with {@code contentType} (null for none) and extra headers. */
    public static HttpResponse<String> post(URI uri, String contentType, byte[] body, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST " + uri + " failed: " + e, e);
        }
    }

    /** POSTs UTF-8 text as {@code text/plain; charset=utf-8}. */
    public static HttpResponse<String> postText(URI uri, String text) {
        return post(uri, "text/plain; charset=utf-8", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends {@code method} with no body. */
    public static HttpResponse<String> call(String method, URI uri) {
        return call(method, uri, java.util.Map.of());
    }

    /** Sends {@code method} with no body and extra headers. */
    public static HttpResponse<String> call(String method, URI uri, java.util.Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
            headers.forEach(b::header);
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + uri + " failed: " + e, e);
        }
    }
}
