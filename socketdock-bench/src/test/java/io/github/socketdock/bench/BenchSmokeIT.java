package io.github.socketdock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness works: each scenario for half a second with a handful of connections,
 * against real child processes. Asserts behaviour (echoes came back, nothing failed), never timings.
 */
class BenchSmokeIT {

    private static JsonObject run(String name, String... extra) throws Exception {
        Path out = Path.of("target", "smoke");
        String[] base = {"--warmup", "0.2", "--duration", "0.5", "--connections", "4", "--size", "64",
            "--http-connections", "2", "--open-rate", "200", "--open-connections", "2",
            "--idle-connections", "20", "--idle-per-process", "10", "--idle-rounds", "2", "--settle", "0", "--rounds", "1",
            // C1 alone and the serial collector, as every test JVM: relays and helpers that live a second
            "--relay-jvm", "-Xmx128m,-XX:TieredStopAtLevel=1,-XX:+UseSerialGC",
            "--helper-jvm", "-XX:TieredStopAtLevel=1,-XX:+UseSerialGC", "--out", out.toString(), "--name", name};
        String[] argv = new String[base.length + extra.length + 1];
        argv[0] = "run";
        System.arraycopy(extra, 0, argv, 1, extra.length);
        System.arraycopy(base, 0, argv, 1 + extra.length, base.length);
        Runner.main(new Args(argv, 1), String.join(" ", argv));
        assertThat(out.resolve(name + ".md")).exists();
        return JsonParser.parseString(Files.readString(out.resolve(name + ".json"))).getAsJsonObject();
    }

    private static void assertEveryRowCarriedMessagesWithoutErrors(JsonObject results, int rows) {
        assertThat(results.getAsJsonArray("rows")).hasSize(rows);
        for (JsonElement e : results.getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            assertThat(row.get("messages").getAsLong()).as("messages of %s", row).isPositive();
            assertThat(row.get("errors").getAsLong()).as("errors of %s", row).isZero();
            assertThat(row.get("relayCpuCores").getAsDouble()).as("CPU of %s", row).isGreaterThanOrEqualTo(0);
            assertThat(row.get("relayRssKiB").getAsLong()).as("RSS of %s", row).isPositive();
        }
    }

    @Test
    void everyScenarioCarriesMessagesWithoutErrors() throws Exception {
        JsonObject results = run("smoke", "--scenarios", "loopback,http,ingress,idle");
        // loopback: bare echo + relay; http: 2 connections closed + open loop; ingress: saturating + open
        assertEveryRowCarriedMessagesWithoutErrors(results, 6);
        assertThat(results.getAsJsonArray("idle")).as("one row per idle round").hasSize(2);
        for (JsonElement e : results.getAsJsonArray("idle")) {
            JsonObject idle = e.getAsJsonObject();
            assertThat(idle.get("processes").getAsInt()).isEqualTo(2);
            assertThat(idle.get("echoed").getAsLong()).isEqualTo(20);
            assertThat(idle.get("errors").getAsLong()).isZero();
            assertThat(idle.get("heapAfterKiB").getAsLong()).isPositive();
        }
        assertThat(results.getAsJsonObject("summary").keySet()).anyMatch(k -> k.startsWith("loopback"))
                .contains("idle: 20 connections, 2 rounds");
        assertThat(results.getAsJsonObject("summary").get("idle: 20 connections, 2 rounds").getAsString())
                .startsWith("40 of 40 echoed, 0 errors; RSS growth per connection, median ");
    }

    @Test
    void theReceiptsScenarioReportsWhatAReceiptAddsAgainstTheClientsRoundTrip() throws Exception {
        JsonObject results = run("smoke-receipts", "--scenarios", "receipts");
        assertThat(results.getAsJsonObject("summary").get("receipts at 4 connections").getAsString())
                .matches("plain /send p50 .* ms \\([1-9][0-9]*\\); with \\?receipt= p50 .* ms \\([1-9][0-9]*\\); added at p50 .*"
                        + "client round trip \\(rtt_ms\\) p50 .*; errors 0");
    }

    @Test
    void theRelaysDefaultJvmOptionsAreTheLaunchersDefaults() throws Exception {
        // bin/socketdock run with a stand-in java that prints its arguments, no collector chosen
        Path fakeJavaHome = Files.createTempDirectory(Path.of("target"), "fake-jdk").toAbsolutePath();
        Path fakeJava = Files.createDirectories(fakeJavaHome.resolve("bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        ProcessBuilder pb = new ProcessBuilder(Path.of("..", "socketdock-cli", "src", "dist", "bin", "socketdock").toString());
        pb.environment().keySet().removeAll(List.of("JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"));
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        pb.environment().put("JAVA_HOME", fakeJavaHome.toString());
        Process p = pb.redirectErrorStream(true).start();
        List<String> args = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", args)).isZero();

        List<String> jvm = args.subList(0, args.indexOf("-jar"));
        assertThat(Runner.DEFAULT_RELAY_JVM).containsExactlyInAnyOrderElementsOf(jvm);
    }

    @Tag("system-programs") // needs Pushpin and zurl, which a JDK-only machine lacks: run with -Psystem-programs
    @Test
    void compareRunsSocketDockAndPushpinAndPrintsTheRatio() throws Exception {
        // never skipped: .ci/run installs them, as compare.sh does on a machine without them
        assertThat(Files.isExecutable(Path.of("/usr/bin/pushpin")) && Files.isExecutable(Path.of("/usr/bin/zurl")))
                .as("the Debian packages pushpin and zurl are installed (apt-get install pushpin zurl)").isTrue();
        JsonObject results = run("smoke-compare", "--scenarios", "compare");
        assertEveryRowCarriedMessagesWithoutErrors(results, 2);
        assertThat(results.getAsJsonArray("rows")).anyMatch(r -> r.getAsJsonObject().get("target").getAsString().equals("pushpin"));
        assertThat(results.getAsJsonObject("summary").keySet()).anyMatch(k -> k.contains("SocketDock / Pushpin"));
    }
}
