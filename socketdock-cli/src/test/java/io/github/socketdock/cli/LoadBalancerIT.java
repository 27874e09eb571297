package io.github.socketdock.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many instances, proven: Debian's HAProxy in front of two relay processes (the real jar) on
 * loopback, with the PROXY protocol on, 200 clients through HAProxy, a backend that reaches each
 * client through the callback URL it was given — and one instance stopped while they are connected.
 *
 * <p>HAProxy runs in {@code mode http}: it understands the WebSocket upgrade, so it health-checks
 * {@code /readyz} (503 while an instance drains) and retries an upgrade that an instance refuses
 * (503) or cannot take (connection refused) on the other instance ({@code retry-on},
 * {@code option redispatch}); {@code mode tcp} would pass the 503 of a draining instance to the
 * client. Clients connect from 127.0.0.2, HAProxy from 127.0.0.1: an address of 127.0.0.2 in the
 * relays' logs and in {@code meta.remote} came through the PROXY header.
 */
@Tag("system-programs") // needs a program a JDK-only machine lacks: run with -Psystem-programs
class LoadBalancerIT {

    private static final int CLIENTS = 200;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    @TempDir
    Path dir;

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private RecordingBackendServer backend;
    /**
     * The project's client, not the kit's: the kit's {@code TestWebSocket} is the JDK's, which
     * cannot choose the address it connects from before Java 19, and these connect from 127.0.0.2.
     */
    private TestClient clients;

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(30, SECONDS);
        }
        if (clients != null) {
            clients.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** One relay process: its public port (behind HAProxy), its control port (its endpoint) and log. */
    private record Relay(Process process, int port, int controlPort, Path log) {
        String endpoint() {
            return "http://127.0.0.1:" + controlPort;
        }
    }

    /** A client and the connection SocketDock made of it (from the connect POST). */
    private record Held(TestClient.Socket socket, String id, String send, String remote) {
    }

    @Test
    void twoInstancesBehindHaproxyEachHoldTheirClientsAndTheOtherTakesOverWhenOneStops() throws Exception {
        assertThat(HAPROXY).as("Debian's haproxy is needed for this test: apt-get install haproxy (.ci/run does)")
                .isExecutable();
        backend = RecordingBackendServer.start();
        Relay one = startRelay("one");
        Relay two = startRelay("two");
        awaitListening(one);
        awaitListening(two);
        int front = freePort();
        int stats = freePort();
        Process haproxy = startHaproxy(front, stats, one, two);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> serverStatus(stats, haproxy, dir.resolve("haproxy.log")).equals(Map.of("one", "UP", "two", "UP")));

        // 200 clients through HAProxy; each names itself in an upgrade header the connect POST reports
        clients = TestClient.from("127.0.0.2");
        URI ws = URI.create("ws://127.0.0.1:" + front + "/ws");
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            sockets.add(connectAs(ws, "client-" + i));
        }
        Map<String, Held> held = heldConnections(sockets, 0);
        assertThat(held).hasSize(CLIENTS);
        Map<Relay, List<String>> byRelay = new HashMap<>();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Relay named = e.getValue().send().startsWith(one.endpoint() + "/socket/") ? one
                    : e.getValue().send().startsWith(two.endpoint() + "/socket/") ? two : null;
            assertThat(named).as("meta.send %s names one of the instances", e.getValue().send()).isNotNull();
            byRelay.computeIfAbsent(named, r -> new ArrayList<>()).add(e.getKey());
            assertThat(e.getValue().remote()).as("meta.remote, from the PROXY header").isEqualTo("127.0.0.2");
        }
        assertThat(byRelay.keySet()).as("round robin gave both instances some clients").containsOnly(one, two);

        // every callback URL reaches its client, and only there: the other instance does not know the id
        Map<Relay, List<String>> logs = Map.of(one, Files.readAllLines(one.log()), two, Files.readAllLines(two.log()));
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            assertThat(post(h.send(), "to " + e.getKey()).statusCode()).isEqualTo(200);
            assertThat(h.socket().nextText()).isEqualTo("to " + e.getKey());
            Relay holder = byRelay.get(one).contains(e.getKey()) ? one : two;
            Relay other = holder == one ? two : one;
            assertThat(post(other.endpoint() + "/socket/" + h.id() + "/send", "lost").statusCode()).isEqualTo(410);
            assertThat(logs.get(other)).as("only the instance that holds it logs it").noneMatch(l -> l.contains(h.id()));
        }
        // each instance logged the client's address, not HAProxy's, in the open lines it wrote (at most
        // 10 a second: the others are counted in a line of their own)
        for (Relay relay : List.of(one, two)) {
            await().atMost(WAIT).untilAsserted(() -> {
                List<String> lines = Files.readAllLines(relay.log());
                List<String> opened = lines.stream().filter(l -> l.matches(".* connection [0-9a-f]{32} opened from .*")).toList();
                assertThat(opened).isNotEmpty().allMatch(l -> l.contains("opened from 127.0.0.2:"));
                int leftOut = lines.stream().filter(l -> l.contains("'connection opened' line"))
                        .mapToInt(l -> Integer.parseInt(l.replaceAll(".* - (\\d+) 'connection opened' lines? left out.*", "$1")))
                        .sum();
                assertThat(opened.size() + leftOut).as("opened lines written and counted").isEqualTo(byRelay.get(relay).size());
            });
        }

        // stop one instance: its clients see 1001 and, as real clients do, reconnect at once through
        // HAProxy, while that instance is still draining; they land on the other instance
        List<String> moved = byRelay.get(one);
        one.process().destroy(); // SIGTERM
        AtomicInteger refused = new AtomicInteger();
        List<TestClient.Socket> again = new ArrayList<>();
        for (String name : moved) {
            assertThat(held.get(name).socket().closed().get(30, SECONDS).code()).as(name).isEqualTo(1001);
            again.add(reconnectAs(ws, name, refused));
        }
        List<String> disconnected = backend.await("/disconnect", moved.size()).stream()
                .filter(r -> r.json().get("code").getAsInt() == 1001)
                .map(r -> r.json().get("connection_id").getAsString()).toList();
        assertThat(disconnected).containsExactlyInAnyOrderElementsOf(
                moved.stream().map(n -> held.get(n).id()).toList());
        assertThat(one.process().waitFor(30, SECONDS)).as(Files.readString(one.log())).isTrue();
        assertThat(one.process().exitValue()).as("a clean drain").isZero();
        for (String name : byRelay.get(two)) {
            assertThat(held.get(name).socket().session().isOpen()).as(name).isTrue();
        }

        // reachable again, through the other instance
        Map<String, Held> reheld = heldConnections(again, CLIENTS);
        assertThat(reheld.keySet()).containsExactlyInAnyOrderElementsOf(moved);
        for (Map.Entry<String, Held> e : reheld.entrySet()) {
            assertThat(e.getValue().send()).startsWith(two.endpoint() + "/socket/");
            assertThat(post(e.getValue().send(), "back, " + e.getKey()).statusCode()).isEqualTo(200);
            assertThat(e.getValue().socket().nextText()).isEqualTo("back, " + e.getKey());
        }
        assertThat(refused.get()).as("reconnects refused (HAProxy retries them on the live instance)").isZero();
    }

    @Test
    void theRealJarLogsTheAddressFromThePROXYHeaderOrTheForwardedHeaderInOpensAndRefusals() throws Exception {
        Path log = dir.resolve("relay.log");
        int port = freePort();
        startJar(log, "--bindip", "127.0.0.1", "--bindport", String.valueOf(port), "--proxy-protocol",
                "--trust-forwarded", "--max-connections-per-ip", "1");
        await().atMost(WAIT).until(() -> Files.exists(log) && Files.readString(log).contains("listening on"));

        try (RawSocket proxied = new RawSocket(port); RawSocket forwarded = new RawSocket(port);
             RawSocket direct = new RawSocket(port); RawSocket again = new RawSocket(port);
             RawSocket garbled = new RawSocket(port)) {
            proxied.write("PROXY TCP4 203.0.113.7 127.0.0.1 40001 " + port + "\r\n" + RawSocket.upgradeRequest(new byte[16]));
            assertThat(proxied.readHead()).startsWith("HTTP/1.1 101");
            forwarded.write("PROXY TCP4 203.0.113.7 127.0.0.1 40002 " + port + "\r\n"
                    + RawSocket.upgradeRequest(new byte[16], "X-Forwarded-For: 6.6.6.6, 198.51.100.9"));
            assertThat(forwarded.readHead()).startsWith("HTTP/1.1 101");
            // the same client again, through another balancer connection: over its limit of one
            again.write("PROXY TCP4 203.0.113.7 127.0.0.1 40003 " + port + "\r\n" + RawSocket.upgradeRequest(new byte[16]));
            assertThat(again.readHead()).startsWith("HTTP/1.1 429");
            direct.write(RawSocket.upgradeRequest(new byte[16]));
            assertThat(direct.readResponse()).startsWith("HTTP/1.1 400");
            garbled.write("PROXY TCP4 relay.example 127.0.0.1 1 " + port + "\r\n" + RawSocket.upgradeRequest(new byte[16]));
            assertThat(garbled.closedByServer()).isTrue();

            await().atMost(WAIT).untilAsserted(() -> assertThat(Files.readString(log))
                    .contains("opened from 203.0.113.7:40001")
                    .contains("opened from 198.51.100.9:0")
                    .contains("upgrade from 203.0.113.7:40003 refused with 429")
                    .containsPattern("connection from 127\\.0\\.0\\.1:\\d+ refused: it did not start with a PROXY protocol header")
                    .containsPattern("connection from 127\\.0\\.0\\.1:\\d+ refused: garbled PROXY protocol header")
                    .doesNotContain("6.6.6.6"));
        }
    }

    private TestClient.Socket connectAs(URI ws, String name) throws Exception {
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        upgrade.setHeader("X-Client", name);
        return clients.connect(ws, upgrade);
    }

    /** Connects until it works (a real client retries too), counting the attempts that failed. */
    private TestClient.Socket reconnectAs(URI ws, String name, AtomicInteger refused) {
        TestClient.Socket[] s = new TestClient.Socket[1];
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                s[0] = connectAs(ws, name);
                return true;
            } catch (Exception e) {
                refused.incrementAndGet();
                return false;
            }
        });
        return s[0];
    }

    /**
     * Waits for the connect POSTs of these clients (after the first {@code skip}), and pairs each
     * client with its connection.
     */
    private Map<String, Held> heldConnections(List<TestClient.Socket> sockets, int skip) {
        List<RecordingBackendServer.Recorded> connects = backend.await("/connect", skip + sockets.size());
        Map<String, TestClient.Socket> byName = new HashMap<>();
        for (TestClient.Socket s : sockets) {
            byName.put(s.session().getUpgradeRequest().getHeader("X-Client"), s);
        }
        return connects.subList(skip, connects.size()).stream().map(r -> r.json().getAsJsonObject("meta"))
                .collect(Collectors.toMap(meta -> meta.getAsJsonObject("headers").get("x-client").getAsString(),
                        meta -> held(byName, meta)));
    }

    private static Held held(Map<String, TestClient.Socket> byName, JsonObject meta) {
        return new Held(byName.get(meta.getAsJsonObject("headers").get("x-client").getAsString()),
                meta.get("connection_id").getAsString(), meta.get("send").getAsString(), meta.get("remote").getAsString());
    }

    private static HttpResponse<String> post(String url, String text) {
        return Http.post(URI.create(url), "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private Relay startRelay(String name) throws IOException {
        int port = freePort();
        int control = freePort();
        Path log = dir.resolve(name + ".log");
        Process p = startJar(log, "--bindip", "127.0.0.1", "--bindport", String.valueOf(port),
                "--control-bindip", "127.0.0.1", "--control-bindport", String.valueOf(control),
                "--endpoint", "http://127.0.0.1:" + control, "--proxy-protocol",
                "--backend", "http", "--connect-uri", backend.uri("/connect").toString(),
                "--message-uri", backend.uri("/message").toString(),
                "--disconnect-uri", backend.uri("/disconnect").toString());
        return new Relay(p, port, control, log);
    }

    private static void awaitListening(Relay r) {
        await().atMost(WAIT).until(() -> !r.process().isAlive()
                || Files.exists(r.log()) && Files.readString(r.log()).contains("listening on"));
        assertThat(r.process().isAlive()).as(r.log().toString()).isTrue();
    }

    private Process startJar(Path log, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("socketdock.jar", "target/socketdock.jar"));
        assertThat(jar).as("the shaded jar, built by the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvDefaultProvider.PREFIX));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /**
     * HAProxy in front of both relays: round robin, the PROXY protocol (v1 to one, v2 to the other),
     * {@code /readyz} health checks that carry the PROXY header too, and upgrades retried on the
     * other instance when one refuses or is gone.
     */
    private Process startHaproxy(int front, int stats, Relay one, Relay two) throws IOException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "    maxconn 2000",
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 2m",
                "    timeout server 2m",
                "    timeout tunnel 2m",
                "    timeout check 2s",
                "    retries 3",
                "    option redispatch 1",
                "    retry-on conn-failure empty-response response-timeout 503",
                "frontend relays_in",
                "    bind 127.0.0.1:" + front,
                "    default_backend relays",
                "backend relays",
                "    balance roundrobin",
                "    option httpchk GET /readyz",
                "    http-check expect status 200",
                "    default-server check inter 250ms fall 1 rise 1",
                "    server one 127.0.0.1:" + one.port() + " send-proxy",
                "    server two 127.0.0.1:" + two.port() + " send-proxy-v2",
                "listen stats",
                "    bind 127.0.0.1:" + stats,
                "    stats enable",
                "    stats uri /stats",
                ""));
        Path log = dir.resolve("haproxy.log");
        Process p = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** @return HAProxy's view of the relays, e.g. {one=UP, two=DOWN}, from its CSV stats page */
    private static Map<String, String> serverStatus(int stats, Process haproxy, Path log) throws IOException {
        assertThat(haproxy.isAlive()).as("haproxy is running; its output:%n%s", Files.readString(log)).isTrue();
        HttpResponse<String> page;
        try {
            page = Http.call("GET", URI.create("http://127.0.0.1:" + stats + "/stats;csv"));
        } catch (AssertionError notListeningYet) {
            return Map.of();
        }
        Map<String, String> status = new HashMap<>();
        for (String line : page.body().lines().toList()) {
            String[] f = line.split(",");
            if (f.length > 17 && f[0].equals("relays") && !f[1].equals("BACKEND")) {
                status.put(f[1], f[17]);
            }
        }
        return status;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
