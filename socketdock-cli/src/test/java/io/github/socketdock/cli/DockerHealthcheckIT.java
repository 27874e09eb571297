package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.ChildJvm;
import io.github.socketdock.fixtures.TestKeystores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image's {@code HEALTHCHECK} command, the distribution's {@code bin/socketdock-healthcheck},
 * run as Docker runs it in the container (the image's ENV, the container's user) against the
 * image's {@code ENTRYPOINT} started with the image's ENV plus what an operator adds: each bind
 * address that can be had on this machine, given as a variable or as a flag after the image name
 * (or in an {@code @file}), {@code --proxy-protocol}, TLS. As in the other tests, the build's
 * distribution stands in for {@code /app}; the probe is told the relay's process id, which in the
 * container is 1 (the test at the end runs it without, with the relay as process 1 of a PID
 * namespace of its own).
 *
 * <p>The wildcard variants (the image's own {@code 0.0.0.0}, {@code ::}) listen on every interface
 * of this machine for the second they run: that wildcard is what the image does, and the probe's
 * choice of address for it is what is checked.
 */
class DockerHealthcheckIT {

    private static final String IMAGE_HOME = "/app/";

    @TempDir
    Path dir;

    private Dockerfile.Stage image;
    private Path app;

    @BeforeEach
    void unpack() throws Exception {
        image = Dockerfile.read(Path.of(System.getProperty("socketdock.dockerfile", "../Dockerfile"))).runStage();
        app = DistArchive.home(Files.createDirectories(dir.resolve("app")));
        DistArchive.unpack(app.getParent());
    }

    /**
     * One way to run the image: variables over its ENV and flags after its name, where
     * {@code {port}} is the port it listens on and {@code {other}} another free one; and the
     * address the probe must then ask.
     */
    record Variant(String name, Map<String, String> env, List<String> flags, String asks, boolean ipv6, boolean tls) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        String port = "SOCKETDOCK_BINDPORT";
        return Stream.of(
                new Variant("the image's ENV as it is: SOCKETDOCK_BINDIP=0.0.0.0",
                        Map.of(port, "{port}"), List.of(), "127.0.0.1", false, false),
                new Variant("SOCKETDOCK_BINDIP=127.0.0.1",
                        Map.of("SOCKETDOCK_BINDIP", "127.0.0.1", port, "{port}"), List.of(), "127.0.0.1", false, false),
                new Variant("SOCKETDOCK_BINDIP=:: (every interface, both families)",
                        Map.of("SOCKETDOCK_BINDIP", "::", port, "{port}"), List.of(), "::1", true, false),
                new Variant("--bindip 127.0.0.2 after the image name",
                        Map.of(port, "{port}"), List.of("--bindip", "127.0.0.2"), "127.0.0.2", false, false),
                new Variant("--bindip=[::1] --bindport=<port> after the image name",
                        Map.of(port, "{other}"), List.of("--bindip=[::1]", "--bindport={port}"), "::1", true, false),
                new Variant("--proxy-protocol after the image name",
                        Map.of(port, "{port}"), List.of("--proxy-protocol"), "127.0.0.1", false, false),
                new Variant("SOCKETDOCK_PROXY_PROTOCOL=true, --bindip 127.0.0.3 in an @file",
                        Map.of("SOCKETDOCK_PROXY_PROTOCOL", "true", port, "{port}"), List.of("@listen.args"),
                        "127.0.0.3", false, false),
                new Variant("TLS and SOCKETDOCK_PROXY_PROTOCOL=true on 127.0.0.4",
                        Map.of("SOCKETDOCK_BINDIP", "127.0.0.4", port, "{port}", "SOCKETDOCK_PROXY_PROTOCOL", "true"),
                        List.of(), "127.0.0.4", false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theHealthcheckAsksTheRelaysListenerAndFailsOnceItIsGone(Variant v) throws Exception {
        assumeTrue(!v.ipv6() || ipv6Loopback(), "this machine has no IPv6 loopback (::1)");
        int port = JarProcess.freePort();
        int other = otherPort(port);
        Map<String, String> env = new HashMap<>(image.env());
        v.env().forEach((name, value) -> env.put(name, value.replace("{port}", String.valueOf(port))
                .replace("{other}", String.valueOf(other))));
        if (v.tls()) {
            env.put("SOCKETDOCK_TLS_KEYSTORE", new TestKeystores(dir).keystore("relay").toString());
            env.put("SOCKETDOCK_TLS_KEYSTORE_PASSWORD", TestKeystores.PASSWORD);
        }
        Path workDir = Files.createDirectories(dir.resolve("work"));
        // an @file relative to the relay's working directory, with a comment and quotes, as picocli reads it
        Files.writeString(workDir.resolve("listen.args"), "# where to listen\n--bindip '127.0.0.3'\n");
        List<String> flags = v.flags().stream().map(f -> f.replace("{port}", String.valueOf(port))).toList();

        try (JarProcess dock = JarProcess.start(entrypoint(flags), withJavaHome(env), dir, workDir)) {
            dock.awaitStderr("listening on");
            Probe healthy = probe(env, dock.process().pid());
            assertThat(healthy.exitCode()).as("the HEALTHCHECK's exit code; it said: %s", healthy.output()).isZero();
            assertThat(healthy.output()).startsWith("healthy: ").contains(" on " + v.asks() + " port " + port + " ");
            assertThat(healthy.output()).contains(v.tls() ? "TLS alert" : "answered 200");
            assertThat(dock.stderr()).as("no connection refused for lack of a PROXY header").doesNotContain("refused");

            long pid = dock.process().pid();
            dock.stop();
            Probe gone = probe(env, pid);
            assertThat(gone.exitCode()).as("the HEALTHCHECK once the relay is gone; it said: %s", gone.output()).isNotZero();
            assertThat(gone.output()).startsWith("unhealthy: ");
        }
    }

    @Test
    void aRelayThatTakesConnectionsButAnswersNothingIsUnhealthy() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(image.env());
        env.put("SOCKETDOCK_BINDIP", "127.0.0.1");
        env.put("SOCKETDOCK_BINDPORT", String.valueOf(port));
        try (JarProcess dock = JarProcess.start(entrypoint(List.of()), withJavaHome(env), dir)) {
            dock.awaitStderr("listening on");
            long pid = dock.process().pid();
            // stopped, its listening socket still takes connections (the kernel's backlog), nothing reads them
            signal("STOP", pid);
            try {
                Probe stuck = probe(env, pid);
                assertThat(stuck.exitCode()).as(stuck.output()).isNotZero();
                assertThat(stuck.output()).startsWith("unhealthy: ").contains("no answer");
            } finally {
                signal("CONT", pid);
            }
            assertThat(probe(env, pid).exitCode()).isZero();
        }
    }

    @Test
    void theProbesDefaultsAreTheCommands() throws IOException {
        String script = Files.readString(app.resolve("bin/socketdock-healthcheck"), StandardCharsets.UTF_8);
        assertThat(script).startsWith("#!/usr/bin/env bash\n").doesNotContain("\r");
        assertThat(assignment(script, "DEFAULT_BINDIP")).isEqualTo(SocketDock.DEFAULT_HOST);
        assertThat(assignment(script, "DEFAULT_BINDPORT")).isEqualTo(String.valueOf(SocketDock.DEFAULT_PORT));
        assertThat(image.one("HEALTHCHECK").execForm()).containsExactly(IMAGE_HOME + "bin/socketdock-healthcheck");
    }

    /**
     * The HEALTHCHECK exactly as the Dockerfile writes it, without a process id: with the relay as
     * process 1 of a PID namespace (as in the container), and under an init that started it
     * ({@code docker run --init}). Needs the privilege to make namespaces (root, as in CI).
     */
    @Test
    @Tag("system-programs") // needs the privilege to make PID namespaces, which CI's root has: run with -Psystem-programs
    void withoutAProcessIdTheProbeFindsTheRelayAsProcessOneOrUnderAnInit() throws Exception {
        assertThat(namespacesAvailable()).as("unshare --pid works here (it needs root)").isTrue();
        for (boolean init : new boolean[] {false, true}) {
            int port = JarProcess.freePort();
            Map<String, String> env = new HashMap<>(image.env());
            env.put("SOCKETDOCK_BINDIP", "127.0.0.5");
            env.put("SOCKETDOCK_BINDPORT", String.valueOf(port));
            List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
            if (init) {
                command.addAll(List.of("bash", "-c", "\"$@\" & wait", "init"));
            }
            command.addAll(entrypoint(List.of()));
            Path logs = Files.createDirectories(dir.resolve(init ? "under-init" : "as-pid-1"));
            try (JarProcess dock = JarProcess.start(command, withJavaHome(env), logs)) {
                dock.awaitStderr("listening on");
                long first = firstChild(dock.process().pid());
                try {
                    List<String> enter = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(first), "--pid",
                            "--mount", "--"));
                    enter.addAll(healthcheck());
                    Probe p = run(enter, env);
                    assertThat(p.exitCode()).as("init %s: %s", init, p.output()).isZero();
                    assertThat(p.output()).startsWith("healthy: ").contains(" on 127.0.0.5 port " + port + " ");
                } finally {
                    // unshare ignores SIGTERM while it waits; the namespace ends with its process 1
                    signal("KILL", first);
                    dock.process().waitFor(JarProcess.WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The image's ENTRYPOINT with {@code /app} at the unpacked distribution, then {@code flags}. */
    private List<String> entrypoint(List<String> flags) {
        List<String> command = new ArrayList<>();
        for (String arg : image.one("ENTRYPOINT").execForm()) {
            command.add(atApp(arg));
        }
        command.addAll(flags);
        return command;
    }

    /** The image's HEALTHCHECK command with {@code /app} at the unpacked distribution. */
    private List<String> healthcheck() {
        return image.one("HEALTHCHECK").execForm().stream().map(this::atApp).toList();
    }

    private String atApp(String arg) {
        return arg.startsWith(IMAGE_HOME) ? app.resolve(arg.substring(IMAGE_HOME.length())).toString() : arg;
    }

    private static Map<String, String> withJavaHome(Map<String, String> env) {
        Map<String, String> withJava = new HashMap<>(env);
        withJava.put("JAVA_HOME", System.getProperty("java.home")); // the image's base sets its own
        // C1 alone, as the test JVMs: the relays live seconds; the collector stays the launcher's choice
        if (ChildJvm.options().contains("-XX:TieredStopAtLevel=1") && withJava.containsKey("JAVA_OPTS")) {
            withJava.put("JAVA_OPTS", withJava.get("JAVA_OPTS") + " -XX:TieredStopAtLevel=1");
        }
        return withJava;
    }

    record Probe(int exitCode, String output) {
    }

    /** Runs the HEALTHCHECK's command, told the relay's process id, as Docker runs it: with the container's env. */
    private Probe probe(Map<String, String> env, long pid) throws Exception {
        List<String> command = new ArrayList<>(healthcheck());
        command.add(String.valueOf(pid));
        return run(command, env);
    }

    private Probe run(List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "probe", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvDefaultProvider.PREFIX));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the probe ended").isTrue();
            return new Probe(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
        } finally {
            p.destroyForcibly();
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
    }

    /** @return a free port other than {@code port}, for a variable that a flag overrides */
    private static int otherPort(int port) throws IOException {
        int other;
        do {
            other = JarProcess.freePort();
        } while (other == port);
        return other;
    }

    private static String assignment(String script, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=(\\S+)$").matcher(script);
        assertThat(m.find()).as("%s= in the script", name).isTrue();
        return m.group(1);
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean namespacesAvailable() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** @return the first child of a process ({@code unshare --fork}'s: process 1 of its namespace) */
    private static long firstChild(long pid) throws IOException {
        Path children = Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid), "children");
        String[] pids = Files.readString(children).strip().split("\\s+");
        assertThat(pids[0]).as("a child of %d", pid).isNotEmpty();
        return Long.parseLong(pids[0]);
    }
}
