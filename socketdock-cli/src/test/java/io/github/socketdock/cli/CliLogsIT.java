package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the command (run in-process as the jar runs it) logs at DEBUG while it relays: one line per connection open and close, one per
 * backend request, a warning for a wrong control token, a line per refused send, and never a
 * message body, a control token or a signing secret.
 */
class CliLogsIT {

    private static final String TOKEN = "control-token-do-not-log-1234";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "signing-secret-do-not-log-9876!!".getBytes(StandardCharsets.US_ASCII));
    private static final String BODY = "client-body-do-not-log";
    private static final String SEND = "send-body-do-not-log";
    private static final String WRONG_TOKEN = "wrong-token-do-not-log-5678";

    @Test
    void debugLogsShowConnectionsButNoBodiesTokensOrSecrets() throws Exception {
        String send;
        String logs;
        try (RecordingBackendServer backend = RecordingBackendServer.start(); TestClient client = new TestClient();
                Cli.Running dock = Cli.start(Map.of("SOCKETDOCK_CONTROL_TOKEN", TOKEN, "SOCKETDOCK_SIGNING_SECRET", SECRET),
                        "--bindport", "0", "--backend", "http", "--message-uri", backend.uri("/message").toString(),
                        "--disconnect-uri", backend.uri("/disconnect").toString(), "--log-level", "DEBUG")) {
            TestClient.Socket s = client.connect(dock.ws());
            s.sendText(BODY);
            var posted = backend.await("/message", 1).get(0);
            assertThat(posted.header("webhook-signature")).startsWith("v1,");
            send = posted.json().getAsJsonObject("meta").get("send").getAsString();
            assertThat(Http.post(URI.create(send), "text/plain", SEND.getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
            assertThat(s.nextText()).isEqualTo(SEND);
            assertThat(Http.post(URI.create(send), "text/plain", SEND.getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", "Bearer " + WRONG_TOKEN)).statusCode()).isEqualTo(401);
            s.close();
            backend.await("/disconnect", 1);
            // the socket is closed now: the same send URL is gone
            assertThat(Http.post(URI.create(send), "text/plain", SEND.getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(410);
            await().atMost(Duration.ofSeconds(30)).until(() -> dock.stderr().contains("refused with 410"));
            assertThat(dock.stop()).isZero();
            logs = dock.stderr() + dock.stdout();
        }
        String id = send.replaceAll(".*/socket/([0-9a-f]{32})/send", "$1");
        assertThat(logs).contains("opened from").contains("closed: 1000").contains("settings listen: ")
                .contains("DEBUG backend - connection " + id + ": message 1 try 1: 200 in ")
                .contains("DEBUG backend - connection " + id + ": disconnect try 1: 200 in ")
                .contains("WARN  control - POST /socket/" + id + "/send from 127.0.0.1:")
                .contains("refused with 401: wrong control token")
                .contains("DEBUG control - POST /socket/" + id + "/send refused with 410: connection " + id
                        + " is closed or unknown")
                .doesNotContain(BODY).doesNotContain(SEND).doesNotContain(TOKEN).doesNotContain(WRONG_TOKEN)
                .doesNotContain(SECRET).doesNotContain(SECRET.substring(6));
    }
}
