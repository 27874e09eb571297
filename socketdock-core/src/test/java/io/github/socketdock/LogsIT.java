package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.LogCapture;
import io.github.socketdock.harness.ManualTicker;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the relay logs, on which logger, with which MDC keys, and how much: the "Logging" section of
 * {@link SocketDock}'s javadoc, checked with a real client and a real backend server.
 */
class LogsIT {

    private static final String ROOT = "io.github.socketdock";

    @Test
    void aConnectionsLifeIsTracedFromItsOpeningThroughEachBackendCallToItsClose() throws Exception {
        try (LogCapture log = LogCapture.of(ROOT, "DEBUG");
             RecordingBackendServer backend = RecordingBackendServer.start();
             SocketDock dock = SocketDock.builder().port(0).backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                     .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect")).build())).build().start();
             TestClient client = new TestClient()) {
            TestClient.Socket s = client.connect(dock.uri());
            s.sendText("hello");
            backend.await("/message", 1);
            String id = backend.requests("/message").get(0).json().getAsJsonObject("meta").get("connection_id").getAsString();
            s.close();
            backend.await("/disconnect", 1);
            await().until(() -> !log.containing("disconnect try 1: 200").isEmpty());

            LogCapture.Line opened = only(log, "connection " + id + " opened from 127.0.0.1:");
            assertThat(opened.level()).isEqualTo("INFO");
            assertThat(opened.mdc()).containsEntry("connection_id", id).containsKey("remote");
            assertThat(opened.mdc().get("remote")).startsWith("127.0.0.1:");
            LogCapture.Line closed = only(log, "connection " + id + " from 127.0.0.1:");
            assertThat(closed.text()).matches(".* closed: 1000 .* after \\d+(ms|\\.\\ds), 1 message in, 0 out.*");
            assertThat(closed.mdc()).containsEntry("connection_id", id);
            for (String call : List.of("connect try 1: 200 in ", "message 1 try 1: 200 in ", "disconnect try 1: 200 in ")) {
                LogCapture.Line line = only(log, "connection " + id + ": " + call);
                assertThat(line.level()).isEqualTo("DEBUG");
                assertThat(line.text()).matches(".* in \\d+(ms|\\.\\ds)");
                assertThat(line.mdc()).containsEntry("connection_id", id);
                assertThat(line.mdc().get("remote")).startsWith("127.0.0.1:");
            }
        }
    }

    @Test
    void aRefusedSendIsADebugLineWithItsStatusAndWhyAndAWrongTokenAWarningThatNeverShowsTheToken() throws Exception {
        String token = "a-control-token-never-logged";
        String wrong = "a-wrong-token-never-logged-either";
        try (LogCapture log = LogCapture.of(ROOT, "DEBUG");
             SocketDock dock = SocketDock.builder().port(0).controlApi(ControlApi.defaults().withTokens(List.of(token)))
                     .backend(Backends.loopback())
                     .build().start()) {
            String gone = "0123456789abcdef0123456789abcdef";
            URI send = URI.create(dock.endpoint() + "/socket/" + gone + "/send");
            assertThat(Http.post(send, "text/plain", "x".getBytes(), Map.of("Authorization", "Bearer " + token))
                    .statusCode()).isEqualTo(410);
            assertThat(Http.post(send, "text/plain", "x".getBytes(), Map.of("Authorization", "Bearer " + wrong))
                    .statusCode()).isEqualTo(401);

            await().until(() -> log.containing("refused with").size() == 2);
            LogCapture.Line refused = only(log, "POST /socket/" + gone + "/send refused with 410: connection " + gone
                    + " is closed or unknown");
            assertThat(refused.level()).isEqualTo("DEBUG");
            assertThat(refused.mdc()).containsEntry("connection_id", gone);
            LogCapture.Line unauthorized = only(log, "POST /socket/" + gone + "/send from 127.0.0.1:");
            assertThat(unauthorized.level()).isEqualTo("WARN");
            assertThat(unauthorized.text()).endsWith("refused with 401: wrong control token");
            assertThat(log.lines()).noneMatch(l -> l.contains(token) || l.contains(wrong));
        }
    }

    @Test
    void refusalsAClientCausesAtWillAreLimitedToTenASecondAndTheRestCounted() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (LogCapture log = LogCapture.of(ROOT, "INFO");
             SocketDock dock = SocketDock.builder().port(0)
                     .controlApi(ControlApi.defaults().withTokens(List.of("a-control-token-of-this-test")))
                     .backend(Backends.loopback())
                     .ticker(ticker).build().start()) {
            URI status = URI.create(dock.endpoint() + "/status");
            for (int i = 0; i < 25; i++) {
                assertThat(Http.call("GET", status).statusCode()).isEqualTo(401);
            }
            assertThat(log.containing("refused with 401")).hasSize(10);
            assertThat(log.containing("left out")).isEmpty();

            ticker.advance(Duration.ofSeconds(1)); // housekeeping runs, and writes the count of the window that ended
            assertThat(log.containing("left out"))
                    .containsExactly("15 'control request refused' lines left out in a 1s window (at most 10 a second are written)");
        }
    }

    @Test
    void aBackendThatRefusesEveryMessageGetsTenWarningsASecondAndTheRestCounted() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (LogCapture log = LogCapture.of(ROOT, "WARN");
             RecordingBackendServer backend = RecordingBackendServer.start().answer("/message", 400);
             SocketDock dock = SocketDock.builder().port(0).ticker(ticker).backend(Backends.http(
                     HttpBackendOptions.builder(backend.uri("/message")).build())).build().start();
             TestClient client = new TestClient()) {
            TestClient.Socket s = client.connect(dock.uri());
            for (int i = 0; i < 25; i++) {
                s.sendText(""); // empty messages a mediator may well refuse
            }
            backend.await("/message", 25);
            await().until(() -> log.containing("backend answered the message with 400").size() == 10);

            // a refusal reported after this advance falls in the next window: every one is written or counted
            ticker.advance(Duration.ofSeconds(1));
            await().until(() -> written(log) + leftOut(log) == 25);
            assertThat(written(log)).as("at most 10 in each of the two windows").isBetween(10, 20);
            assertThat(log.containing("left out")).singleElement().asString()
                    .endsWith(" 'backend refusal' lines left out in a 1s window (at most 10 a second are written)");
        }
    }

    private static int written(LogCapture log) {
        return log.containing("backend answered the message with 400").size();
    }

    private static int leftOut(LogCapture log) {
        return log.containing("left out").stream().mapToInt(l -> Integer.parseInt(l.substring(0, l.indexOf(' ')))).sum();
    }

    private static LogCapture.Line only(LogCapture log, String text) {
        List<LogCapture.Line> lines = log.lines(l -> l.contains(text));
        assertThat(lines).as("lines containing \"%s\" in %s", text, log.lines()).hasSize(1);
        return lines.get(0);
    }
}
