package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Http;
import io.github.socketdock.harness.HttpRelayTest;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Health and readiness probes and the /metrics page. */
class ObservabilityIT extends HttpRelayTest {

    private static final String TOKEN = "metrics-token-0123456789";

    @Test
    void healthAndReadinessAnswerWithoutAuthAndReadinessFailsWhileDraining() throws Exception {
        start(SocketDock.builder().controlApi(ControlApi.defaults().withTokens(List.of(TOKEN)))
                .shutdownTimeout(Duration.ofSeconds(20)));
        HttpResponse<String> health = Http.call("GET", URI.create(base() + "/healthz"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(Http.call("GET", URI.create(base() + "/readyz")).statusCode()).isEqualTo(200);
        assertThat(Http.call("POST", URI.create(base() + "/healthz")).statusCode()).isEqualTo(405);

        // hold the disconnect's answer, so the drain stays under way while the probes are asked
        backend.holdAnswers("/disconnect");
        TestClient.Socket s = client.connect(ws());
        backend.await("/connect", 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(dock::close);
        backend.await("/disconnect", 1);
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(CloseStatus.GOING_AWAY);
        HttpResponse<String> notReady = Http.call("GET", URI.create(base() + "/readyz"));
        assertThat(notReady.statusCode()).as("readiness while draining").isEqualTo(503);
        assertThat(notReady.body()).contains("draining");
        assertThat(Http.call("GET", URI.create(base() + "/healthz")).statusCode()).as("liveness while draining")
                .isEqualTo(200);
        assertThat(closing).isNotDone();
        backend.releaseHeld();
        closing.get(30, TimeUnit.SECONDS);
    }

    @Test
    void probesAreServedOnThePublicListenerOnly() throws Exception {
        start(SocketDock.builder().controlApi(ControlApi.defaults().withListener("127.0.0.1", 0)));
        URI control = URI.create("http://127.0.0.1:" + dock.controlPort());
        assertThat(Http.call("GET", URI.create(base() + "/readyz")).statusCode()).isEqualTo(200);
        assertThat(Http.call("GET", URI.create(control + "/healthz")).statusCode()).isEqualTo(404);
    }

    @Test
    void theMetricsPageIsServedBehindTheControlTokens() throws Exception {
        start(SocketDock.builder().controlApi(ControlApi.defaults().withTokens(List.of(TOKEN)))
                .metricsPage("text/plain; version=0.0.4; charset=utf-8",
                        () -> "active " + dock.stats().activeConnections() + "\n"));
        URI metrics = URI.create(base() + "/metrics");
        assertThat(Http.call("GET", metrics).statusCode()).isEqualTo(401);
        HttpResponse<String> page = Http.call("GET", metrics, Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(page.body()).isEqualTo("active 0\n");
        assertThat(Http.call("GET", URI.create(base() + "/healthz")).statusCode()).as("probes need no token")
                .isEqualTo(200);
    }

    @Test
    void withASeparateControlListenerTheMetricsPageIsServedThereOnly() throws Exception {
        start(SocketDock.builder().controlApi(ControlApi.defaults().withListener("127.0.0.1", 0))
                .metricsPage("text/plain", () -> "page"));
        URI control = URI.create("http://127.0.0.1:" + dock.controlPort());
        HttpResponse<String> page = Http.call("GET", URI.create(control + "/metrics"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("page");
        assertThat(Http.call("GET", URI.create(base() + "/metrics")).statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingMetricsPageAnswers500AndTheRelayGoesOn() throws Exception {
        start(SocketDock.builder().metricsPage("text/plain", () -> {
            throw new IllegalStateException("registry closed");
        }));
        HttpResponse<String> page = Http.call("GET", URI.create(base() + "/metrics"));
        assertThat(page.statusCode()).isEqualTo(500);
        assertThat(page.body()).contains("registry closed");
        TestClient.Socket s = client.connect(ws());
        backend.await("/connect", 1);
        s.sendText("still relaying");
        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("still relaying");
    }

}
