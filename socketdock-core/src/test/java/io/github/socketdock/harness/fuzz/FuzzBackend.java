package io.github.socketdock.harness.fuzz;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.RecordingBackendServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The storm's backend logic, run by a {@link RecordingBackendServer} (which answers 200): notes the
 * id of every socket whose upgrade carried {@code x-fuzz-op}, and answers each message of a healthy
 * socket ("healthy:i:…") with "echo:" and the message, POSTed asynchronously to its send URL.
 */
public final class FuzzBackend implements AutoCloseable {

    private final SocketIds ids;
    private final HttpClient echoClient = new HttpClient();
    private final ConcurrentLinkedQueue<String> echoFailures = new ConcurrentLinkedQueue<>();

    private FuzzBackend(SocketIds ids) {
        this.ids = ids;
    }

    /** @return a started backend logic that notes ids in {@code ids} */
    public static FuzzBackend start(SocketIds ids) throws Exception {
        FuzzBackend b = new FuzzBackend(ids);
        b.echoClient.start();
        return b;
    }

    /** Handles one recorded request; for {@link RecordingBackendServer#onRequest}. */
    public void onRequest(RecordingBackendServer.Recorded r) {
        if (r.path().equals("/connect")) {
            JsonObject meta = r.json().getAsJsonObject("meta");
            JsonObject headers = meta.getAsJsonObject("headers");
            if (headers.has("x-fuzz-op")) {
                ids.connected(headers.get("x-fuzz-op").getAsString(), meta.get("connection_id").getAsString());
            }
        } else if (r.path().equals("/message")) {
            JsonObject body = r.json();
            JsonObject meta = body.getAsJsonObject("meta");
            String message = body.get("message").getAsString();
            if (!meta.has("frame") && message.startsWith("healthy:")) {
                ids.healthy(Integer.parseInt(message.split(":")[1]), meta.get("connection_id").getAsString());
                echo(URI.create(meta.get("send").getAsString()), message);
            }
        }
    }

    /** @return the echo POSTs that failed or were not answered 200 */
    public List<String> echoFailures() {
        return List.copyOf(echoFailures);
    }

    private void echo(URI send, String message) {
        echoClient.newRequest(send)
                .method(HttpMethod.POST)
                .body(new StringRequestContent("text/plain; charset=utf-8", "echo:" + message))
                .send(result -> {
                    if (result.isFailed() || result.getResponse().getStatus() != 200) {
                        echoFailures.add(message + ": " + (result.isFailed() ? result.getFailure()
                                : result.getResponse().getStatus()));
                    }
                });
    }

    @Override
    public void close() throws Exception {
        echoClient.stop();
    }
}
