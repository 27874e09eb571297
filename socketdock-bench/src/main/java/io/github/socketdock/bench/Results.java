package io.github.socketdock.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rows of one benchmark run, written as JSON and as Markdown tables. */
final class Results {

    /** One measured load: throughput and latency through one target. */
    record Row(String scenario, String target, String mode, int connections, int size, double offeredRate,
               double seconds, long messages, double perSecond, double p50ms, double p99ms, double p999ms,
               double maxMs, long errors, String firstError, double relayCpuCores, long relayRssKiB,
               double relayAllocPerMessage) {
    }

    /** The idle-connections scenario. */
    record IdleRow(String target, int connections, int processes, long opened, long echoed, long errors,
                   double setupPerSecond, long rssBeforeKiB, long rssOpenKiB, double rssPerConnectionKiB,
                   long rssAfterGcKiB, double rssPerConnectionAfterGcKiB,
                   long heapBeforeKiB, long heapAfterKiB, double heapPerConnectionKiB, String relayJvm) {
    }

    final Map<String, Object> machine = new LinkedHashMap<>();
    final List<Row> rows = new ArrayList<>();
    final List<IdleRow> idle = new ArrayList<>();
    final Map<String, String> summary = new LinkedHashMap<>();

    Results(String command) {
        machine.put("date", Instant.now().toString());
        machine.put("cpu", ProcStats.cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("loadAverageAtStart", ProcStats.loadAverage());
        machine.put("command", command);
    }

    void write(Path dir, String name) throws IOException {
        machine.put("loadAverageAtEnd", ProcStats.loadAverage());
        Files.createDirectories(dir);
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("machine", machine);
        all.put("rows", rows);
        all.put("idle", idle);
        all.put("summary", summary);
        Files.writeString(dir.resolve(name + ".json"), gson.toJson(all) + "\n");
        Files.writeString(dir.resolve(name + ".md"), markdown());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("cpu"))
                .append("; ").append(machine.get("java")).append("; load average ")
                .append(machine.get("loadAverageAtStart")).append(" at start, ").append(machine.get("loadAverageAtEnd"))
                .append(" at end; ").append(machine.get("date")).append("\n\n");
        if (!rows.isEmpty()) {
            md.append("| scenario | target | mode | conns | size | msg/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | relay CPU (cores) | relay RSS MiB | relay alloc B/msg |\n");
            md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Row r : rows) {
                String mode = r.mode().equals("OPEN") ? "open " + fmt(r.offeredRate(), 0) + "/s" : r.mode().toLowerCase(Locale.ROOT);
                md.append("| ").append(r.scenario()).append(" | ").append(r.target()).append(" | ").append(mode)
                        .append(" | ").append(r.connections()).append(" | ").append(r.size())
                        .append(" | ").append(fmt(r.perSecond(), 0)).append(" | ").append(fmt(r.p50ms(), 2))
                        .append(" | ").append(fmt(r.p99ms(), 2)).append(" | ").append(fmt(r.p999ms(), 2))
                        .append(" | ").append(fmt(r.maxMs(), 1)).append(" | ").append(r.errors())
                        .append(" | ").append(r.relayCpuCores() < 0 ? "-" : fmt(r.relayCpuCores(), 2))
                        .append(" | ").append(r.relayRssKiB() < 0 ? "-" : fmt(r.relayRssKiB() / 1024.0, 0))
                        .append(" | ").append(r.relayAllocPerMessage() < 0 ? "-" : fmt(r.relayAllocPerMessage(), 0)).append(" |\n");
            }
            md.append("\n");
        }
        if (!idle.isEmpty()) {
            md.append("| idle connections | target | generator processes | echoed | errors | setup conn/s | RSS growth KiB/conn | RSS growth after full GC KiB/conn | live heap KiB/conn | relay RSS before → open → after GC MiB | relay JVM |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (IdleRow r : idle) {
                md.append("| ").append(r.connections()).append(" | ").append(r.target()).append(" | ").append(r.processes())
                        .append(" | ").append(r.echoed()).append(" | ").append(r.errors())
                        .append(" | ").append(fmt(r.setupPerSecond(), 0)).append(" | ").append(fmt(r.rssPerConnectionKiB(), 2))
                        .append(" | ").append(fmt(r.rssPerConnectionAfterGcKiB(), 2))
                        .append(" | ").append(fmt(r.heapPerConnectionKiB(), 2)).append(" | ")
                        .append(fmt(r.rssBeforeKiB() / 1024.0, 0)).append(" → ").append(fmt(r.rssOpenKiB() / 1024.0, 0))
                        .append(" → ").append(fmt(r.rssAfterGcKiB() / 1024.0, 0))
                        .append(" | ").append(r.relayJvm()).append(" |\n");
            }
            md.append("\n");
        }
        for (Map.Entry<String, String> s : summary.entrySet()) {
            md.append("- ").append(s.getKey()).append(": ").append(s.getValue()).append("\n");
        }
        return md.toString();
    }

    /** Sums up the idle rounds of {@code n} connections: their median RSS growth against the target. */
    void summarizeIdle(int n) {
        List<Results.IdleRow> rows = idle.stream().filter(r -> r.connections() == n).toList();
        long echoed = rows.stream().mapToLong(Results.IdleRow::echoed).sum();
        long errors = rows.stream().mapToLong(Results.IdleRow::errors).sum();
        List<Double> growth = rows.stream().map(Results.IdleRow::rssPerConnectionKiB).toList();
        summary.put("idle: " + n + " connections, " + rows.size() + " rounds", echoed + " of "
                + (long) n * rows.size() + " echoed, " + errors + " errors; RSS growth per connection, median "
                + fmt(median(growth), 2) + " KiB (" + fmt(Collections.min(growth), 2) + "–"
                + fmt(Collections.max(growth), 2) + ") before the full GC (target ≤ 10 with the launcher's defaults), "
                + fmt(median(rows.stream().map(Results.IdleRow::rssPerConnectionAfterGcKiB).toList()), 2)
                + " after it; live heap "
                + fmt(median(rows.stream().map(Results.IdleRow::heapPerConnectionKiB).toList()), 2)
                + " KiB per connection; setup "
                + fmt(median(rows.stream().map(Results.IdleRow::setupPerSecond).toList()), 0) + " connections/s");
    }

    /** @return the median of {@code v} */
    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
