package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.github.socketdock.cli.PrometheusPage.Sample;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Kind;
import io.github.socketdock.testing.TestWebSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The command's Prometheus page (run in-process as the jar runs it; CliJarIT scrapes the jar's) at {@code /metrics}: behind the control token; under 150 lines
 * at idle; names by Prometheus's conventions; one latency histogram per event and outcome that
 * happened, with at most 12 finite buckets; the names the README documents; and every metric the
 * Grafana dashboard ({@code socketdock-examples/grafana/socketdock-dashboard.json}) queries.
 */
class CliMetricsIT {

    private static final String TOKEN = "metrics-control-token-123456";
    private static final Map<String, String> BEARER = Map.of("Authorization", "Bearer " + TOKEN);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern DASHBOARD_METRIC = Pattern.compile("\\b(?:socketdock|jvm|process|system)_[a-z0-9_]+");
    private static final Pattern DOCUMENTED = Pattern.compile("`((?:socketdock|jvm|process)_[a-z0-9_]+)");

    @Test
    void theMetricsPageIsSmallConventionalAndHasAHistogramPerEventAndOutcomeAfterTraffic() throws Exception {
        try (MockMediator mediator = MockMediator.start().controlToken(TOKEN);
                Cli.Running dock = Cli.start(Map.of("SOCKETDOCK_CONTROL_TOKEN", TOKEN),
                        "--bindport", "0", "--backend", "http",
                        "--connect-uri", mediator.uri("/connect").toString(),
                        "--message-uri", mediator.uri("/message").toString(),
                        "--disconnect-uri", mediator.uri("/disconnect").toString())) {
            URI base = dock.http();
            URI metrics = URI.create(base + "/metrics");
            assertThat(Http.call("GET", URI.create(base + "/healthz")).statusCode()).isEqualTo(200);
            assertThat(Http.call("GET", URI.create(base + "/readyz")).statusCode()).isEqualTo(200);
            assertThat(Http.call("GET", metrics).statusCode()).as("no token").isEqualTo(401);

            HttpResponse<String> response = Http.call("GET", metrics, BEARER);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            PrometheusPage idle = PrometheusPage.parse(response.body());
            assertThat(idle.lineCount()).as("lines of the idle page, HELP and TYPE included:%n%s", idle)
                    .isLessThan(150);
            assertThat(idle.sampleNames()).as("no histogram before a backend request")
                    .noneMatch(n -> n.endsWith("_bucket"));
            assertThat(idle.samples()).contains(new Sample("socketdock_connections_active", Map.of(), "0.0"),
                    new Sample("socketdock_backend_retries_total", Map.of("event", "message"), "0.0"));
            assertConventional(idle);

            // a round: connect, a message, a /send answered, a /send to nobody, a disconnect; and a GC
            TestWebSocket ws = TestWebSocket.connect(dock.ws());
            ws.send("count me");
            MockMediator.Envelope message = mediator.takeEnvelope(Kind.MESSAGE, WAIT);
            URI send = message.sendUri().orElseThrow();
            assertThat(mediator.reply(message, "reply"))
                    .isEqualTo(200);
            assertThat(ws.takeText(WAIT)).isEqualTo("reply");
            URI nobody = URI.create(send.toString().replaceAll("/socket/[^/]+/send", "/socket/" + "0".repeat(32) + "/send"));
            assertThat(Http.post(nobody, "text/plain", new byte[] {'x'}, BEARER).statusCode()).isEqualTo(410);
            ws.close();
            mediator.takeEnvelope(Kind.DISCONNECT, WAIT);
            System.gc(); // GC pause meters appear with the first pause after the metrics were bound
            AtomicReference<PrometheusPage> scraped = new AtomicReference<>();
            await().atMost(WAIT).untilAsserted(() -> {
                PrometheusPage page = PrometheusPage.parse(Http.call("GET", metrics, BEARER).body());
                scraped.set(page);
                assertThat(page.samples()).contains(
                        new Sample("socketdock_connections_active", Map.of(), "0.0"),
                        new Sample("socketdock_connections_opened_total", Map.of(), "1.0"),
                        new Sample("socketdock_connections_closed_total", Map.of("code", "1000"), "1.0"),
                        new Sample("socketdock_messages_total", Map.of("direction", "in"), "1.0"),
                        new Sample("socketdock_messages_total", Map.of("direction", "out"), "1.0"),
                        new Sample("socketdock_message_bytes_total", Map.of("direction", "in"), "8.0"),
                        new Sample("socketdock_send_answers_total", Map.of("status", "200"), "1.0"),
                        new Sample("socketdock_send_answers_total", Map.of("status", "410"), "1.0"),
                        new Sample("socketdock_backend_failures_total", Map.of("event", "disconnect"), "0.0"));
                assertThat(page.samples("socketdock_backend_requests_seconds_count"))
                        .as("one histogram per event and outcome").containsExactlyInAnyOrder(
                                new Sample("socketdock_backend_requests_seconds_count", tags("connect", "success"), "1"),
                                new Sample("socketdock_backend_requests_seconds_count", tags("message", "success"), "1"),
                                new Sample("socketdock_backend_requests_seconds_count", tags("disconnect", "success"), "1"));
                assertThat(page.sampleNames()).contains("jvm_gc_pause_seconds_count");
            });
            PrometheusPage after = scraped.get();
            System.out.printf("/metrics: %d lines idle, %d after a connect/message/disconnect round%n",
                    idle.lineCount(), after.lineCount());
            assertAtMostTwelveFiniteBuckets(after);
            assertConventional(after);
            // the round adds three histograms of 16 lines, two /send statuses, a close code and a GC kind
            assertThat(after.lineCount()).as("lines after a round:%n%s", after).isLessThan(150);
            assertDocumentedInTheReadme(after);
            assertThat(after.sampleNames()).as("the metrics the Grafana dashboard queries").containsAll(dashboardMetrics());
        }
    }

    private static Map<String, String> tags(String event, String outcome) {
        return Map.of("event", event, "outcome", outcome);
    }

    /** Each histogram series has at most 12 finite buckets, ascending, and +Inf last. */
    private static void assertAtMostTwelveFiniteBuckets(PrometheusPage page) {
        List<String> histograms = page.types().entrySet().stream().filter(e -> e.getValue().equals("histogram"))
                .map(Map.Entry::getKey).toList();
        assertThat(histograms).isNotEmpty();
        for (String histogram : histograms) {
            Map<Map<String, String>, List<String>> bounds = new LinkedHashMap<>();
            for (Sample b : page.samples(histogram + "_bucket")) {
                bounds.computeIfAbsent(b.series(), k -> new ArrayList<>()).add(b.labels().get("le"));
            }
            assertThat(bounds).as("buckets of %s", histogram).isNotEmpty();
            bounds.forEach((series, le) -> {
                assertThat(le).as("%s%s", histogram, series).endsWith("+Inf").hasSizeLessThanOrEqualTo(12 + 1);
                List<Double> finite = le.subList(0, le.size() - 1).stream().map(Double::valueOf).toList();
                assertThat(finite).as("%s%s", histogram, series).isSorted().doesNotHaveDuplicates();
            });
        }
    }

    /**
     * Prometheus's naming conventions, over every family and sample: snake_case with a known
     * prefix, a HELP line, base units only, counters end in {@code _total}, durations in
     * {@code _seconds}, sizes in {@code _bytes}, and no gauge takes a suffix that histograms own.
     */
    private static void assertConventional(PrometheusPage page) {
        page.types().forEach((name, type) -> {
            assertThat(name).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*").matches("(socketdock|jvm|process)_.+");
            assertThat(page.helped()).as("HELP of %s", name).contains(name);
            assertThat(name).as("base units only")
                    .doesNotContainPattern("_(ns|nanos|nanoseconds|us|micros|ms|millis|milliseconds|minutes|hours|days"
                            + "|kb|kib|mb|mib|gb|gib|percent)(_|$)");
            switch (type) {
                case "counter" -> assertThat(name).as("a counter").endsWith("_total");
                case "histogram", "summary" -> assertThat(name).as("a %s", type).matches(".+_(seconds|bytes)");
                case "gauge" -> assertThat(name).as("a gauge").doesNotMatch(".+_(total|count|sum|bucket)");
                default -> throw new AssertionError("type " + type + " of " + name);
            }
            if (name.matches(".*(time|duration|latency|pause|seconds).*")) {
                assertThat(name).as("a duration").matches(".+_seconds(_total|_max)?");
            }
            if (name.matches(".*(bytes|memory|size|buffered).*")) {
                assertThat(name).as("a size").matches(".+_bytes(_total|_max)?");
            }
        });
        assertThat(page.samples()).allSatisfy(s -> assertThat(page.family(s.name()))
                .as("the declared family of %s", s.name()).isNotNull());
    }

    /** Every family served is named in the README's metrics table. */
    private static void assertDocumentedInTheReadme(PrometheusPage page) throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("socketdock.readme", "../README.md")));
        Set<String> documented = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(readme);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).as("metric names in the README").containsAll(page.types().keySet());
    }

    /** @return the metric names in the dashboard's queries (GrafanaDashboardTest checks that each query has one) */
    private static Set<String> dashboardMetrics() throws Exception {
        Path file = Path.of(System.getProperty("socketdock.dashboard",
                "../socketdock-examples/grafana/socketdock-dashboard.json"));
        Set<String> names = new TreeSet<>();
        for (JsonElement panel : JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonArray("panels")) {
            for (JsonElement target : panel.getAsJsonObject().getAsJsonArray("targets")) {
                DASHBOARD_METRIC.matcher(target.getAsJsonObject().get("expr").getAsString()).results()
                        .forEach(r -> names.add(r.group()));
            }
        }
        assertThat(names).isNotEmpty();
        return names;
    }
}
