package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code grafana/socketdock-dashboard.json} loads in Grafana without edits: its data source is a
 * template variable that every panel, target and query variable uses, it needs no import mapping,
 * and every panel has a unique id and a place on the grid. Every metric it queries is one of the
 * command's names listed here; {@code CliMetricsIT} in socketdock-cli, which reads this file,
 * finds each in a scrape of the command's {@code /metrics} after traffic through an http backend.
 */
class GrafanaDashboardTest {

    /** The Prometheus series names the dashboard may query: SocketDock's and the JVM basics. */
    static final Set<String> METRICS = Set.of(
            "socketdock_connections_active", "socketdock_connections_opened_total", "socketdock_connections_closed_total",
            "socketdock_messages_total", "socketdock_message_bytes_total",
            "socketdock_backend_requests_seconds_bucket", "socketdock_backend_requests_seconds_count",
            "socketdock_backend_requests_seconds_sum",
            "socketdock_backend_retries_total", "socketdock_backend_failures_total",
            "socketdock_send_answers_total", "socketdock_buffered_bytes",
            "socketdock_backend_requests_seconds_max",
            "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_buffer_memory_used_bytes",
            "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max",
            "jvm_threads_live_threads", "jvm_threads_peak_threads", "process_cpu_seconds_total",
            "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files",
            "process_files_max_files");

    private static final Pattern METRIC = Pattern.compile("\\b(?:socketdock|jvm|process|system)_[a-z0-9_]+");
    private static final String DATASOURCE = "${datasource}";

    private JsonObject dashboard;
    private List<JsonObject> panels;

    @BeforeEach
    void read() throws IOException {
        Path file = Path.of(System.getProperty("socketdock.examples", "."), "grafana", "socketdock-dashboard.json");
        dashboard = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        panels = new ArrayList<>();
        dashboard.getAsJsonArray("panels").forEach(p -> panels.add(p.getAsJsonObject()));
        assertThat(panels).isNotEmpty();
    }

    @Test
    void loadsWithoutImportMappingThroughADatasourceVariable() {
        assertThat(dashboard.keySet()).noneSatisfy(key -> assertThat(key).startsWith("__"));
        assertThat(dashboard.toString()).doesNotContain("${DS_");
        assertThat(dashboard.get("schemaVersion").getAsInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.get("title").getAsString()).isNotBlank();
        assertThat(dashboard.get("uid").getAsString()).matches("[A-Za-z0-9_-]{1,40}");

        List<JsonObject> variables = new ArrayList<>();
        dashboard.getAsJsonObject("templating").getAsJsonArray("list").forEach(v -> variables.add(v.getAsJsonObject()));
        assertThat(variables).filteredOn(v -> v.get("name").getAsString().equals("datasource")).singleElement()
                .satisfies(v -> {
                    assertThat(v.get("type").getAsString()).isEqualTo("datasource");
                    assertThat(v.get("query").getAsString()).isEqualTo("prometheus");
                });
        assertThat(variables).filteredOn(v -> v.has("datasource"))
                .allSatisfy(v -> assertUsesTheVariable(v.get("datasource"), "variable " + v.get("name")));

        for (JsonObject panel : panels) {
            String title = panel.get("title").getAsString();
            assertUsesTheVariable(panel.get("datasource"), title);
            assertThat(panel.getAsJsonArray("targets")).as(title).isNotEmpty();
            for (JsonElement target : panel.getAsJsonArray("targets")) {
                assertUsesTheVariable(target.getAsJsonObject().get("datasource"), title);
                assertThat(target.getAsJsonObject().get("expr").getAsString()).as(title).isNotBlank();
            }
        }
    }

    @Test
    void everyPanelHasAUniqueIdAndItsOwnPlaceOnTheGrid() {
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonObject panel : panels) {
            String title = panel.get("title").getAsString();
            assertThat(ids.add(panel.get("id").getAsInt())).as("unique id of %s", title).isTrue();
            JsonObject grid = panel.getAsJsonObject("gridPos");
            int x = grid.get("x").getAsInt();
            int y = grid.get("y").getAsInt();
            int w = grid.get("w").getAsInt();
            int h = grid.get("h").getAsInt();
            assertThat(w).as(title).isPositive();
            assertThat(h).as(title).isPositive();
            assertThat(x).as(title).isNotNegative();
            assertThat(x + w).as("%s fits the 24 columns", title).isLessThanOrEqualTo(24);
            for (int i = x; i < x + w; i++) {
                for (int j = y; j < y + h; j++) {
                    assertThat(cells.add(i + "," + j)).as("%s overlaps another panel at %d,%d", title, i, j).isTrue();
                }
            }
        }
    }

    @Test
    void itShowsTheTopicsOfTheMetrics() {
        Set<String> queried = queriedMetrics();

        assertThat(queried).as("queried metrics").isSubsetOf(METRICS);
        assertThat(queried).contains("socketdock_connections_active", "socketdock_connections_closed_total",
                "socketdock_messages_total", "socketdock_message_bytes_total",
                "socketdock_backend_requests_seconds_bucket", "socketdock_backend_retries_total",
                "socketdock_backend_failures_total", "socketdock_send_answers_total", "socketdock_buffered_bytes",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "process_cpu_seconds_total",
                "process_files_open_files");
        assertThat(expressions()).filteredOn(e -> e.contains("_bucket"))
                .allSatisfy(e -> assertThat(e).startsWith("histogram_quantile(").contains("rate(")
                        .containsPattern("by \\([^)]*\\ble\\b"));
    }

    private Set<String> queriedMetrics() {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher m = METRIC.matcher(expr);
            boolean any = false;
            while (m.find()) {
                names.add(m.group());
                any = true;
            }
            assertThat(any).as("a metric in %s", expr).isTrue();
        }
        return names;
    }

    private List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        for (JsonObject panel : panels) {
            for (JsonElement target : panel.getAsJsonArray("targets")) {
                exprs.add(target.getAsJsonObject().get("expr").getAsString());
            }
        }
        return exprs;
    }

    private static void assertUsesTheVariable(JsonElement datasource, String where) {
        assertThat(datasource).as("datasource of %s", where).isNotNull();
        assertThat(datasource.isJsonObject()).as("datasource of %s", where).isTrue();
        JsonObject ds = datasource.getAsJsonObject();
        assertThat(ds.get("uid").getAsString()).as("datasource of %s", where).isEqualTo(DATASOURCE);
        assertThat(ds.get("type").getAsString()).as("datasource of %s", where).isEqualTo("prometheus");
    }
}
