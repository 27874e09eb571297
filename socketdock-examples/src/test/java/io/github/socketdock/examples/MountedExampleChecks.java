package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the ITs of the two mounted examples (Jetty, Javalin) check alike. */
final class MountedExampleChecks {

    static final String TOKEN = "example-control-token-0123456789";

    /** Stops the host. */
    interface Stop {
        void stop() throws Exception;
    }

    private MountedExampleChecks() {
    }

    /** The mediator: answers every message through its send URL, with the control token. */
    static RecordingBackendServer mediator() throws Exception {
        RecordingBackendServer mediator = RecordingBackendServer.start();
        mediator.onRequest(r -> {
            if (r.path().equals("/message")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                Http.post(URI.create(send), "text/plain; charset=utf-8",
                        ("re: " + r.json().get("message").getAsString()).getBytes(StandardCharsets.UTF_8),
                        Map.of("Authorization", "Bearer " + TOKEN));
            }
        });
        return mediator;
    }

    /**
     * A message goes to the mediator and its answer, sent to {@code /relay/socket/{id}/send},
     * comes back; the host's own route answers on the same port; stopping the host closes the
     * socket with 1001 and posts its disconnect.
     */
    static void relayThenDrainOnHostStop(RecordingBackendServer mediator, SocketDock dock, Stop host) throws Exception {
        try (TestClient client = new TestClient()) {
            URI base = URI.create("http://127.0.0.1:" + dock.port());
            assertThat(dock.uri().toString()).endsWith(":" + dock.port() + "/relay/ws");
            TestClient.Socket s = client.connect(dock.uri());
            s.sendText("ping");
            assertThat(s.nextText()).isEqualTo("re: ping");
            String id = mediator.await("/connect", 1).get(0).json().getAsJsonObject("meta")
                    .get("connection_id").getAsString();
            assertThat(Http.call("GET", base.resolve("/hello")).body()).isEqualTo("hello from the mediator");

            host.stop();

            assertThat(s.closed().get().code()).isEqualTo(1001);
            assertThat(mediator.await("/disconnect", 1).get(0).json().get("connection_id").getAsString()).isEqualTo(id);
            assertThat(dock.drained()).isTrue();
        }
    }
}
