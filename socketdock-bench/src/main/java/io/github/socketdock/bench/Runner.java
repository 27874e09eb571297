package io.github.socketdock.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * {@code run}: the scenarios, each against targets in processes of their own, written to
 * {@code <out>/<name>.json} and {@code <out>/<name>.md}.
 *
 * <ul>
 *   <li>{@code loopback}: round trips through the relay's loopback backend, and through a bare
 *       Jetty WebSocket echo server (the baseline), same client.</li>
 *   <li>{@code http}: client → relay → HTTP backend → {@code POST meta.send} → client, closed
 *       loop at each of {@code --http-connections}, plus an open-loop run at {@code --open-rate}.</li>
 *   <li>{@code ingress}: client → relay → backend only; the backend counts and times.</li>
 *   <li>{@code idle}: {@code --idle-connections} connections from several generator processes,
 *       one echo each; memory per connection and setup rate.</li>
 *   <li>{@code compare}: the {@code http} round trip through SocketDock and through Pushpin,
 *       alternating for {@code --rounds}, and the ratio of the medians.</li>
 *   <li>{@code receipts}: what {@code ?receipt=} adds to a {@code /send} ({@link ReceiptLatency}).</li>
 * </ul>
 */
final class Runner {

    /**
     * The JVM options of the relay (and of the bare echo server) unless {@code --relay-jvm} says
     * otherwise: the issue's {@code -Xmx512m}, then the options {@code bin/socketdock} puts first
     * when its user chooses no collector (BenchSmokeIT checks the two agree), so the figures are
     * those of the relay as shipped.
     */
    static final List<String> DEFAULT_RELAY_JVM = List.of("-Xmx512m", "-Djdk.nio.maxCachedBufferSize=262144",
            "-XX:+UseParallelGC", "-Xmn32m");

    private final List<String> relayJvm;
    private final List<String> helperJvm; // of the backends and idle-client generators: none by default
    private final int connections;
    private final int size;
    private final Duration warmup;
    private final Duration duration;
    /** The idle scenario's pause before each memory reading, for the relay to settle. */
    private final Duration settle;
    private final Results results;
    private final HttpClient control = HttpClient.newHttpClient();

    private Runner(Args args, String command) {
        relayJvm = args.list("relay-jvm", String.join(",", DEFAULT_RELAY_JVM));
        helperJvm = args.list("helper-jvm", "");
        connections = args.integer("connections", 64);
        size = args.integer("size", 1024);
        warmup = args.seconds("warmup", 20);
        duration = args.seconds("duration", 20);
        settle = args.seconds("settle", 2);
        results = new Results(command);
        results.machine.put("relayJvm", String.join(" ", relayJvm));
    }

    static void main(Args args, String command) throws Exception {
        Runner r = new Runner(args, command);
        List<String> scenarios = args.list("scenarios", "loopback,http,ingress,idle");
        List<String> httpConnections = args.list("http-connections", "64,16");
        double openRate = args.number("open-rate", 2000);
        int openConnections = args.integer("open-connections", 16);
        int idleN = args.integer("idle-connections", 15_000);
        int perProcess = args.integer("idle-per-process", 5_000);
        int rounds = args.integer("rounds", 3);
        int idleRounds = args.integer("idle-rounds", 3);
        if (idleRounds < 1) {
            throw new IllegalArgumentException("--idle-rounds must be 1 or more, got " + idleRounds);
        }
        Path out = Path.of(args.string("out", "socketdock-bench/results"));
        String name = args.string("name", "latest");
        args.checkAllUsed();
        for (String s : scenarios) {
            switch (s) {
                case "loopback" -> r.loopback();
                case "http" -> r.http(httpConnections, openRate, openConnections);
                case "ingress" -> {
                    r.ingress(0);
                    if (openRate > 0) {
                        r.ingress(openRate);
                    }
                }
                case "idle" -> {
                    for (int i = 0; i < idleRounds; i++) {
                        r.idle(idleN, perProcess);
                    }
                    r.results.summarizeIdle(idleN);
                }
                case "compare" -> r.compare(rounds);
                case "jam" -> r.pressure().jam();
                case "large-held" -> r.pressure().largeHeld();
                case "escape-storm" -> r.pressure().escapeStorm();
                case "held" -> r.pressure().held();
                case "receipts" -> ReceiptLatency.run(r.relayJvm, r.connections, r.size, r.warmup, r.duration, r.results);
                default -> throw new IllegalArgumentException("unknown scenario '" + s
                        + "' (loopback, http, ingress, idle, compare, jam, large-held, escape-storm, held, receipts)");
            }
            r.results.write(out, name);
        }
        r.results.write(out, name);
        System.out.print(r.results.markdown());
        System.out.println("written: " + out.resolve(name + ".json") + " and " + out.resolve(name + ".md"));
    }

    private Pressure pressure() {
        return new Pressure(relayJvm, results, this::backendStats);
    }

    private static URI ws(int port, String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    private Child relay(String backend, String backendUrl) throws IOException {
        return backendUrl == null
                ? Child.start("relay", relayJvm, "relay", "--backend", backend)
                : Child.start("relay", relayJvm, "relay", "--backend", backend, "--backend-url", backendUrl);
    }

    private void loopback() throws Exception {
        double bare;
        try (Child echo = Child.start("echo-server", relayJvm, "echo-server")) {
            bare = load("loopback", "bare Jetty echo", echo, List.of(echo.pid()), ws(echo.port(), "/ws"),
                    config(connections, LoadGenerator.Mode.CLOSED, 0), null).perSecond();
        }
        double relay;
        try (Child dock = relay("loopback", null)) {
            relay = load("loopback", "socketdock", dock, List.of(dock.pid()), ws(dock.port(), "/ws"),
                    config(connections, LoadGenerator.Mode.CLOSED, 0), null).perSecond();
        }
        results.summary.put("loopback, socketdock / bare echo at " + connections + " connections",
                Results.fmt(relay / bare, 2) + " (target ≥ 0.70)");
    }

    private void http(List<String> conns, double openRate, int openConnections) throws Exception {
        try (Child backend = Child.start("backend", helperJvm, "backend");
             Child dock = relay("http", "http://127.0.0.1:" + backend.port() + "/socketdock/echo")) {
            for (String c : conns) {
                Results.Row row = load("http", "socketdock", dock, List.of(dock.pid()), ws(dock.port(), "/ws"),
                        config(Integer.parseInt(c), LoadGenerator.Mode.CLOSED, 0), backend);
                if (Integer.parseInt(c) == 16) {
                    results.summary.put("http p99 at 16 connections", Results.fmt(row.p99ms(), 2) + " ms (target ≤ 10 ms)");
                }
            }
            if (openRate > 0) {
                load("http", "socketdock", dock, List.of(dock.pid()), ws(dock.port(), "/ws"),
                        config(openConnections, LoadGenerator.Mode.OPEN, openRate), backend);
            }
        }
    }

    /** One-way: saturating when {@code rate} is 0 (the age then is mostly time queued), else at that offered rate. */
    private void ingress(double rate) throws Exception {
        try (Child backend = Child.start("backend", helperJvm, "backend");
             Child dock = relay("http", "http://127.0.0.1:" + backend.port() + "/socketdock/ingress")) {
            LoadGenerator.Config base = config(connections, LoadGenerator.Mode.ONE_WAY, rate);
            LoadGenerator.Config cfg = new LoadGenerator.Config(ws(dock.port(), "/ws"), base.connections(), base.size(),
                    base.warmup(), base.duration(), base.mode(), base.rate());
            Measured m = measure(cfg, dock, List.of(dock.pid()), backend);
            LoadGenerator.Outcome o = m.outcome();
            JsonObject s = m.backendAtEnd();
            long received = s.get("messages").getAsLong();
            Results.Row row = new Results.Row(rate > 0 ? "ingress (age at backend)" : "ingress, saturating (age = time queued)",
                    "socketdock", rate > 0 ? "OPEN" : "ONE_WAY", cfg.connections(), size, rate,
                    o.seconds(), received, received / o.seconds(), ms(s.get("p50").getAsLong()), ms(s.get("p99").getAsLong()),
                    ms(s.get("p999").getAsLong()), ms(s.get("max").getAsLong()), o.errors() + s.get("errors").getAsLong(),
                    o.firstError(), m.cpuCores(), ProcStats.rssKiB(dock.pid()),
                    m.allocated() / (double) Math.max(1, received));
            results.rows.add(row);
            print(row);
        }
    }

    private void idle(int n, int perProcess) throws Exception {
        try (Child dock = relay("loopback", null)) {
            URI url = ws(dock.port(), "/ws");
            // warm the relay's code paths and pools before the baseline
            try (LoadGenerator gen = new LoadGenerator()) {
                List<LoadGenerator.Conn> warm = gen.open(url, 200);
                for (LoadGenerator.Conn c : warm) {
                    c.session.sendText("warm", Callback.NOOP);
                }
                for (LoadGenerator.Conn c : warm) {
                    c.firstReply.get(30, TimeUnit.SECONDS);
                    c.session.close();
                }
            }
            Thread.sleep(settle.toMillis());
            long heapBefore = ProcStats.liveHeapKiB(dock.pid());
            long rssBefore = ProcStats.rssKiB(dock.pid());
            int processes = (n + perProcess - 1) / perProcess;
            List<Child> groups = new ArrayList<>();
            long opened = 0;
            long echoed = 0;
            long errors = 0;
            String firstError = null;
            try {
                for (int i = 0; i < processes; i++) {
                    int share = n / processes + (i < n % processes ? 1 : 0);
                    groups.add(Child.start("idle-clients-" + i, helperJvm, "idle", "--url", url.toString(),
                            "--connections", Integer.toString(share)));
                }
                long start = System.nanoTime();
                for (Child g : groups) {
                    g.send("go");
                }
                for (Child g : groups) {
                    String line = g.readLine();
                    opened += field(line, "n=");
                    echoed += field(line, "echoed=");
                    errors += field(line, "errors=");
                    if (line.contains("first-error=") && firstError == null) {
                        firstError = line.substring(line.indexOf("first-error=") + 12);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(settle.toMillis());
                long rssOpen = ProcStats.rssKiB(dock.pid());
                long heapAfter = ProcStats.liveHeapKiB(dock.pid());
                long rssAfter = ProcStats.rssKiB(dock.pid());
                Results.IdleRow row = new Results.IdleRow("socketdock", n, processes, opened, echoed, errors,
                        opened / seconds, rssBefore, rssOpen, (rssOpen - rssBefore) / (double) n,
                        rssAfter, (rssAfter - rssBefore) / (double) n,
                        heapBefore, heapAfter, (heapAfter - heapBefore) / (double) n, String.join(" ", relayJvm));
                results.idle.add(row);
                if (firstError != null) {
                    results.summary.put("idle: first error", firstError);
                }
                System.err.println(row);
            } finally {
                for (Child g : groups) {
                    g.close();
                }
            }
        }
    }

    private static long field(String line, String name) {
        int i = line.indexOf(" " + name);
        if (i < 0) {
            throw new IllegalStateException("no " + name + " in '" + line + "'");
        }
        String rest = line.substring(i + 1 + name.length());
        int end = rest.indexOf(' ');
        return Long.parseLong(end < 0 ? rest : rest.substring(0, end));
    }

    private void compare(int rounds) throws Exception {
        List<Double> dockRates = new ArrayList<>();
        List<Double> pushpinRates = new ArrayList<>();
        try (Child backend = Child.start("backend", helperJvm, "backend");
             Child dock = relay("http", "http://127.0.0.1:" + backend.port() + "/socketdock/echo");
             Pushpin pushpin = Pushpin.start(backend.port())) {
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean dockTurn = (round + turn) % 2 == 0;
                    if (dockTurn) {
                        dockRates.add(load("http (compare)", "socketdock", dock, List.of(dock.pid()), ws(dock.port(), "/ws"),
                                config(connections, LoadGenerator.Mode.CLOSED, 0), backend).perSecond());
                    } else {
                        pushpinRates.add(load("http (compare)", "pushpin", null, pushpin.pids(), ws(pushpin.port(), "/pushpin"),
                                config(connections, LoadGenerator.Mode.CLOSED, 0), backend).perSecond());
                    }
                }
            }
        }
        double d = Results.median(dockRates);
        double p = Results.median(pushpinRates);
        results.summary.put("http round trip at " + connections + " connections, " + size + " B: SocketDock / Pushpin (medians of "
                + rounds + " alternating runs)", Results.fmt(d, 0) + " / " + Results.fmt(p, 0) + " msg/s = "
                + Results.fmt(d / p, 2) + "× (target ≥ 4×)");
        System.out.println("RATIO " + Results.fmt(d / p, 2));
    }

    private LoadGenerator.Config config(int conns, LoadGenerator.Mode mode, double rate) {
        return new LoadGenerator.Config(null, conns, size, warmup, duration, mode, rate);
    }

    /**
     * One load run against {@code url}; CPU summed over {@code pids} and their descendants; the
     * backend's errors (failed {@code meta.send} POSTs) in the window count as errors of the run.
     */
    private Results.Row load(String scenario, String target, Child relay, List<Long> pids, URI url,
                             LoadGenerator.Config base, Child backend) throws Exception {
        LoadGenerator.Config cfg = new LoadGenerator.Config(url, base.connections(), base.size(), base.warmup(),
                base.duration(), base.mode(), base.rate());
        Measured m = measure(cfg, relay, pids, backend);
        LoadGenerator.Outcome o = m.outcome();
        long backendErrors = backend == null ? 0 : m.backendAtEnd().get("errors").getAsLong();
        long rss = 0;
        for (long pid : pids) {
            rss += ProcStats.rssKiB(pid);
        }
        Results.Row row = new Results.Row(scenario, target, cfg.mode().name(), cfg.connections(), cfg.size(), cfg.rate(),
                o.seconds(), o.messages(), o.perSecond(), ms(o.latency().getValueAtPercentile(50)),
                ms(o.latency().getValueAtPercentile(99)), ms(o.latency().getValueAtPercentile(99.9)),
                ms(o.latency().getMaxValue()), o.errors() + backendErrors,
                o.firstError() != null || backendErrors == 0 ? o.firstError() : "the backend's meta.send POST failed", m.cpuCores(), rss,
                relay == null ? -1 : m.allocated() / (double) Math.max(1, o.messages()));
        results.rows.add(row);
        print(row);
        return row;
    }

    /**
     * What one load run measured: the generator's outcome, the CPU cores of {@code pids} and the
     * bytes {@code relay} allocated in the measured window, and the backend's stats at its end.
     */
    private record Measured(LoadGenerator.Outcome outcome, double cpuCores, long allocated, JsonObject backendAtEnd) {
    }

    /** Runs {@code cfg}; the backend's stats (if any) are read, and so restarted, as the window opens. */
    private Measured measure(LoadGenerator.Config cfg, Child relay, List<Long> pids, Child backend) throws Exception {
        double[] cpu = new double[2];
        long[] alloc = new long[2];
        JsonObject[] stats = new JsonObject[1];
        LoadGenerator.Outcome o;
        try (LoadGenerator gen = new LoadGenerator()) {
            o = gen.run(cfg, new LoadGenerator.Window() {
                @Override
                public void started() {
                    if (backend != null) {
                        backendStats(backend);
                    }
                    cpu[0] = cpuOf(pids);
                    alloc[0] = allocated(relay);
                }

                @Override
                public void ended() {
                    cpu[1] = cpuOf(pids);
                    alloc[1] = allocated(relay);
                    if (backend != null) {
                        stats[0] = backendStats(backend);
                    }
                }
            });
        }
        return new Measured(o, (cpu[1] - cpu[0]) / o.seconds(), alloc[1] - alloc[0], stats[0]);
    }

    private static long allocated(Child relay) {
        try {
            return relay == null ? 0 : relay.allocatedBytes();
        } catch (IOException e) {
            throw new IllegalStateException("allocation of the relay: " + e.getMessage(), e);
        }
    }

    /** CPU seconds of these processes and their descendants, each process counted once. */
    private static double cpuOf(List<Long> pids) {
        java.util.Set<Long> all = new java.util.LinkedHashSet<>(pids);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(h -> all.add(h.pid())));
        }
        double sum = 0;
        for (long pid : all) {
            try {
                sum += ProcStats.cpuSeconds(pid);
            } catch (IllegalStateException gone) {
                // a process that ended meanwhile
            }
        }
        return sum;
    }

    private static void print(Results.Row r) {
        System.err.printf(java.util.Locale.ROOT, "%s %s %s conns=%d: %.0f msg/s p50=%.2f p99=%.2f p99.9=%.2f max=%.1f ms errors=%d cpu=%.2f rss=%d MiB%s%n",
                r.scenario(), r.target(), r.mode(), r.connections(), r.perSecond(), r.p50ms(), r.p99ms(), r.p999ms(), r.maxMs(),
                r.errors(), r.relayCpuCores(), r.relayRssKiB() / 1024, r.firstError() != null ? " first error: " + r.firstError() : "");
    }

    private JsonObject backendStats(Child backend) {
        try {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/stats"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JsonParser.parseString(r.body()).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException("backend stats: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }
}
