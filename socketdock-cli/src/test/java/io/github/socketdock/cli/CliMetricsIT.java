package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.testing.Http;
import io.github.socketdock.testing.TestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar's Prometheus page at /metrics, behind the control token, and its probes. */
class CliMetricsIT {

    private static final String TOKEN = "metrics-control-token-123456";

    @TempDir
    Path dir;

    @Test
    void metricsArePrometheusTextBehindTheControlTokenWithTheRelaysAndTheJvmsMeters() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("socketdock.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("socketdock.jar"), "--bindport", Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SOCKETDOCK_CONTROL_TOKEN", TOKEN);
        Process p = pb.start();
        URI base = URI.create("http://127.0.0.1:" + port);
        try (TestClient client = new TestClient()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("listening on"));
            assertThat(Http.call("GET", URI.create(base + "/healthz")).statusCode()).isEqualTo(200);
            assertThat(Http.call("GET", URI.create(base + "/readyz")).statusCode()).isEqualTo(200);

            TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            s.sendText("echo me");
            assertThat(s.nextText()).isEqualTo("echo me");

            URI metrics = URI.create(base + "/metrics");
            assertThat(Http.call("GET", metrics).statusCode()).as("no token").isEqualTo(401);
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);
            HttpResponse<String> page = Http.call("GET", metrics, bearer);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(page.body())
                    .contains("socketdock_connections_active 1.0")
                    .contains("socketdock_connections_opened_total 1.0")
                    .contains("socketdock_messages_total{direction=\"in\"} 1.0")
                    .contains("socketdock_messages_total{direction=\"out\"} 1.0")
                    .contains("socketdock_message_bytes_total{direction=\"in\"} 7.0")
                    .contains("socketdock_backend_requests_seconds_bucket{event=\"message\",outcome=\"success\",le=")
                    .contains("socketdock_backend_retries_total{event=\"message\"} 0.0")
                    .contains("socketdock_backend_failures_total{event=\"disconnect\"} 0.0")
                    .contains("socketdock_buffered_bytes ")
                    .contains("jvm_memory_used_bytes{")
                    .contains("jvm_threads_live_threads ")
                    .contains("process_cpu_usage ")
                    .contains("process_uptime_seconds ");

            s.close();
            await().untilAsserted(() -> assertThat(Http.call("GET", metrics, bearer).body())
                    .contains("socketdock_connections_closed_total{code=\"1000\"} 1.0")
                    .contains("socketdock_connections_active 0.0"));
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
