package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The control API: its own listener, bearer tokens, and /status. */
class ControlApiIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static final String TOKEN = "control-token-0123456789";
    private static final String NEXT = "control-token-rotated-abcdef";
    private static final String OTHER_RELAYS = "another-relays-token-xyz";

    private final CapturingBackend backend = new CapturingBackend(Backends.loopback());
    private SocketDock dock;
    private TestClient client;

    private TestClient.Socket start(SocketDock.Builder builder) throws Exception {
        dock = closer.add(builder.port(0).backend(backend).build().start());
        client = closer.add(new TestClient());
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
        await().until(() -> backend.connections().size() == 1);
        return s;
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Test
    void aSeparateControlListenerServesTheControlRoutesAndThePublicOneOnlyTheWebSocket() throws Exception {
        TestClient.Socket s = start(SocketDock.builder().controlApi(ControlApi.defaults().withListener("127.0.0.1", 0)));
        Connection c = backend.connections().get(0);
        URI control = URI.create("http://127.0.0.1:" + dock.controlPort());
        URI publicBase = URI.create("http://127.0.0.1:" + dock.port());

        assertThat(dock.endpoint()).isEqualTo(control);
        assertThat(c.sendUri().toString()).startsWith(control.toString());
        assertThat(Http.postText(c.sendUri(), "via control").statusCode()).isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("via control");

        assertThat(Http.postText(URI.create(publicBase + "/socket/" + c.id() + "/send"), "via public").statusCode())
                .as("the public listener does not serve control routes").isEqualTo(404);
        assertThat(Http.call("GET", URI.create(publicBase + "/status")).statusCode()).isEqualTo(404);
        try (RawSocket raw = new RawSocket(dock.controlPort())) {
            assertThat(raw.upgrade()).as("the control listener serves no WebSocket").startsWith("HTTP/1.1 404");
        }
        HttpResponse<String> status = Http.call("GET", URI.create(control + "/status"));
        assertThat(status.statusCode()).isEqualTo(200);
        JsonObject json = JsonParser.parseString(status.body()).getAsJsonObject();
        assertThat(json.keySet()).containsExactlyInAnyOrder("uptime", "connections");
        assertThat(json.getAsJsonObject("uptime").keySet()).containsExactlyInAnyOrder("ns", "seconds");
        assertThat(json.getAsJsonObject("connections").get("active").getAsInt()).isEqualTo(1);
        assertThat(json.getAsJsonObject("connections").get("lifetime").getAsLong()).isEqualTo(1);
    }

    @Test
    void withTokensAForgedCallbackChangesNothing() throws Exception {
        TestClient.Socket s = start(SocketDock.builder().controlApi(ControlApi.defaults().withTokens(List.of(TOKEN))));
        Connection c = backend.connections().get(0);
        for (Map<String, String> forged : List.of(Map.<String, String>of(), bearer("wrong-token-wrong-token"),
                bearer(OTHER_RELAYS), Map.of("Authorization", "Basic " + TOKEN), Map.of("Authorization", TOKEN))) {
            HttpResponse<String> send = Http.post(c.sendUri(), "text/plain", "forged".getBytes(StandardCharsets.UTF_8), forged);
            assertThat(send.statusCode()).as(forged.toString()).isEqualTo(401);
            assertThat(send.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(Http.post(c.disconnectUri(), null, new byte[0], forged).statusCode()).isEqualTo(401);
            assertThat(Http.call("GET", URI.create(dock.endpoint() + "/status"), forged).statusCode()).isEqualTo(401);
        }
        assertThat(c.isOpen()).isTrue();
        assertThat(s.frames()).isEmpty();

        assertThat(Http.post(c.sendUri(), "text/plain", "genuine".getBytes(StandardCharsets.UTF_8), bearer(TOKEN)).statusCode())
                .isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("genuine");
        assertThat(Http.call("GET", URI.create(dock.endpoint() + "/status"), bearer(TOKEN)).statusCode()).isEqualTo(200);
        s.sendText("clients are not affected");
        assertThat(s.nextText()).isEqualTo("clients are not affected");
    }

    @Test
    void twoTokensLetTheBackendRotateWithoutDowntime() throws Exception {
        TestClient.Socket s = start(SocketDock.builder().controlApi(ControlApi.defaults().withTokens(List.of(TOKEN, NEXT))));
        Connection c = backend.connections().get(0);
        assertThat(Http.post(c.sendUri(), "text/plain", "old".getBytes(StandardCharsets.UTF_8), bearer(TOKEN)).statusCode())
                .isEqualTo(200);
        assertThat(Http.post(c.sendUri(), "text/plain", "new".getBytes(StandardCharsets.UTF_8),
                Map.of("authorization", "bearer " + NEXT)).statusCode()).isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("old");
        assertThat(s.nextText()).isEqualTo("new");
        assertThat(Http.post(c.disconnectUri(), null, new byte[0], bearer(NEXT)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.closed().isDone());
    }

    @Test
    void statusIsNotServedWithoutATokenOrASeparateListener() throws Exception {
        start(SocketDock.builder());
        assertThat(Http.call("GET", URI.create(dock.endpoint() + "/status")).statusCode()).isEqualTo(404);
    }

    @Test
    void badControlSettingsAreRefusedByTheirValue() {
        ControlApi c = ControlApi.defaults();
        assertThatThrownBy(() -> c.withTokens(List.of("short"))).hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> c.withTokens(List.of("has whitespace inside it"))).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> c.withListener("127.0.0.1", 70000)).hasMessageContaining("control port");
        assertThat(SocketDock.builder().controlApi(c.withTokens(List.of(TOKEN))).toString())
                .doesNotContain(TOKEN).contains("1 (masked)");
    }
}
