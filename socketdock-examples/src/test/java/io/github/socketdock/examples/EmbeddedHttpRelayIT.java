package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import org.junit.jupiter.api.Test;

class EmbeddedHttpRelayIT {

    @Test
    void relaysToAMediatorThatAnswersThroughTheSendUrl() throws Exception {
        try (RecordingBackendServer mediator = RecordingBackendServer.start();
             TestClient client = new TestClient()) {
            mediator.onRequest(r -> {
                if (r.path().equals("/message")) {
                    String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                    Http.postText(URI.create(send), "re: " + r.json().get("message").getAsString());
                }
            });
            try (SocketDock dock = EmbeddedHttpRelay.start(mediator.uri("/"), 0)) {
                TestClient.Socket s = client.connect(dock.uri());
                s.sendText("ping");
                assertThat(s.nextText()).isEqualTo("re: ping");
                assertThat(mediator.await("/connect", 1)).hasSize(1);
                s.close();
                assertThat(mediator.await("/disconnect", 1)).hasSize(1);
            }
        }
    }
}
