package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void debugLogsShowConnectionsButNoBodiesTokensOrSecrets() throws Exception {
        String send;
        String logs;
        try (MockMediator mediator = MockMediator.start();
                Cli.Running dock = Cli.start(Map.of("SOCKETDOCK_CONTROL_TOKEN", TOKEN, "SOCKETDOCK_SIGNING_SECRET", SECRET),
                        "--bindport", "0", "--backend", "http", "--message-uri", mediator.uri("/message").toString(),
                        "--disconnect-uri", mediator.uri("/disconnect").toString(), "--log-level", "DEBUG")) {
            MockMediator.Envelope posted;
            try (TestWebSocket ws = TestWebSocket.connect(dock.ws())) {
                ws.send(BODY);
                posted = mediator.takeEnvelope(Kind.MESSAGE, WAIT);
                assertThat(posted.header("webhook-signature")).startsWith("v1,");
                send = posted.sendUri().orElseThrow().toString();
                assertThat(mediator.controlToken(TOKEN).reply(posted, SEND)).isEqualTo(200);
                assertThat(ws.takeText(WAIT)).isEqualTo(SEND);
                assertThat(mediator.controlToken(WRONG_TOKEN).reply(posted, SEND)).isEqualTo(401);
            }
            mediator.takeEnvelope(Kind.DISCONNECT, WAIT);
            // the socket is closed now: the same send URL is gone
            assertThat(mediator.controlToken(TOKEN).reply(posted, SEND)).isEqualTo(410);
            await().atMost(WAIT).until(() -> dock.stderr().contains("refused with 410"));
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
