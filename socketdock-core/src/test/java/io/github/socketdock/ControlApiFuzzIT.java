package io.github.socketdock;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.harness.fuzz.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded storm of raw HTTP requests at the control API with a control token set, on the shared
 * listener and on a control listener of its own: random methods (odd and invalid ones too), paths
 * (real, unknown and malformed ids, {@code /status}, {@code /ws}, dot segments, percent-encoding, very
 * long), {@code Authorization} in every casing and spacing (the token, the token with one character
 * changed, another relay's token, the token in another header or the query, empty), huge headers,
 * random bodies, content types and framings, bad HTTP versions.
 *
 * <p>What must hold: no 5xx but 505 (Jetty's answer to a bad version); a well-formed request gets
 * exactly the README's answer (401 with {@code WWW-Authenticate: Bearer} without the valid token, 404
 * for control routes on the public listener of a separate one, 404, 405, 426, the route's own
 * answers with the token); no request without the valid token gets an answer only a route gives;
 * the healthy WebSocket clients get no frame and stay open (with the token only the sink socket is
 * sent to, one frame per 200); the token still works afterwards. The seed is printed and named in
 * every failure; replay with {@code -Dsocketdock.fuzz.seed=<seed>}.
 */
class ControlApiFuzzIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static final String TOKEN = "control-token-0123456789abcdef";
    private static final String OTHER_RELAYS = "another-relays-token-0123456789";
    private static final int REQUESTS = 2000;
    private static final int THREADS = 8;
    private static final int HEALTHY = 4;
    /** What Jetty's parser, the router or the token check answer when no route acted. */
    private static final Set<Integer> REFUSED = Set.of(400, 401, 404, 405, 414, 417, 426, 431, 505);
    private static final String[] ODD_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "post",
        "Get", "FOO", "M-SEARCH", "PROPFIND", "X".repeat(300)};

    private enum Route { SEND, DISCONNECT, SOCKET, STATUS, WS, NONE }
    private enum Id { HEALTHY, SINK, UNKNOWN, MALFORMED }
    private static final Route[] ROUTES = {Route.SEND, Route.SEND, Route.SEND, Route.SEND, Route.DISCONNECT, Route.DISCONNECT,
        Route.DISCONNECT, Route.SOCKET, Route.STATUS, Route.STATUS, Route.WS, Route.NONE};
    private static final Id[] IDS = {Id.HEALTHY, Id.HEALTHY, Id.HEALTHY, Id.SINK, Id.SINK, Id.UNKNOWN, Id.UNKNOWN, Id.MALFORMED,
        Id.MALFORMED, Id.MALFORMED};

    /** A request, where it goes, and what it must get ({@code expected} null: malformed on purpose). */
    private record Req(String summary, byte[] bytes, boolean toControl, boolean head, boolean authorized, Set<Integer> expected,
                       boolean sinkSend) {
    }

    private record Answer(int status, boolean challenge, String line, String body) {
        /** @return whether only a route, past the token check, gives this answer */
        boolean fromARoute() {
            return status / 100 == 2 || status == 410 || status == 413 || status == 415
                    || (status == 404 && body.contains("connection id")) || (status == 400 && body.matches("(?s)(body|\").*"));
        }
    }

    private final CapturingBackend backend = new CapturingBackend(Backends.loopback());
    private SocketDock dock;
    private TestClient client;

    @Test
    void onTheSharedListenerNothingGetsInWithoutTheTokenAndNothingFails() throws Exception {
        storm(SocketDock.builder().controlApi(ControlApi.defaults().withTokens(List.of(TOKEN))), false, 0);
    }

    @Test
    void onASeparateControlListenerNothingGetsInWithoutTheTokenAndNothingFails() throws Exception {
        storm(SocketDock.builder()
                .controlApi(ControlApi.defaults().withTokens(List.of(TOKEN)).withListener("127.0.0.1", 0)), true, 1);
    }

    private void storm(SocketDock.Builder builder, boolean separate, int scenario) throws Exception {
        Seed seed = Seed.fromSystemProperty();
        String replay = seed.replay();
        System.out.println("ControlApiFuzzIT: " + replay);
        dock = closer.add(builder.port(0).backend(backend).build().start());
        int controlPort = separate ? dock.controlPort() : dock.port();
        client = closer.add(new TestClient());
        List<TestClient.Socket> healthy = new ArrayList<>();
        for (int i = 0; i <= HEALTHY; i++) { // the last one is the sink
            healthy.add(client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws")));
            int connected = i + 1;
            await().until(() -> backend.connections().size() == connected);
        }
        TestClient.Socket sink = healthy.remove(HEALTHY);
        List<String> ids = backend.connections().stream().map(Connection::id).toList();

        Map<String, Integer> answers = new TreeMap<>();
        AtomicInteger sent = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<String> failures = new ArrayList<>();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int op = 0; op < REQUESTS; op++) {
                int n = op;
                results.add(pool.submit(() -> {
                    Req r = generate(seed.random(scenario * REQUESTS + n), ids, separate);
                    Answer a = exchange(r.toControl() ? controlPort : dock.port(), r);
                    synchronized (answers) {
                        answers.merge((r.toControl() ? "control " : "public ") + (a == null ? "none" : a.status()), 1, Integer::sum);
                    }
                    if (r.sinkSend() && a != null && a.status() == 200) {
                        sent.incrementAndGet();
                    }
                    String why = verdict(r, a);
                    return why == null ? null : "request " + n + " " + r.summary() + " got "
                            + (a == null ? "no answer" : a.line() + " " + a.body()) + ": " + why;
                }));
            }
            for (Future<String> f : results) {
                failures.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        failures.removeIf(Objects::isNull);
        System.out.println("ControlApiFuzzIT: " + REQUESTS + " requests in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms; answers " + answers);
        assertThat(failures).as(replay + ": requests answered wrongly (" + failures.size() + ")").isEmpty();

        for (int i = 0; i < HEALTHY; i++) {
            assertThat(healthy.get(i).frames()).as(replay + ": frames on healthy socket " + i).isEmpty();
            assertThat(healthy.get(i).closed()).as(replay + ": healthy socket " + i + " closed").isNotDone();
            assertThat(dock.connection(ids.get(i))).as(replay + ": healthy socket " + i).isPresent();
            healthy.get(i).sendText("still here " + i);
            assertThat(healthy.get(i).nextText()).isEqualTo("still here " + i);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(sink.frames()).as(replay + ": frames on the sink, one per 200").hasSize(sent.get()));
        assertThat(sink.closed()).as(replay + ": the sink closed").isNotDone();

        URI control = URI.create("http://127.0.0.1:" + controlPort);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);
        assertThat(Http.post(URI.create(control + "/socket/" + ids.get(0) + "/send"), "text/plain", "legit".getBytes(UTF_8), bearer)
                .statusCode()).as(replay).isEqualTo(200);
        assertThat(healthy.get(0).nextText()).isEqualTo("legit");
        assertThat(Http.call("GET", URI.create(control + "/status"), bearer).body()).contains("\"active\":" + (HEALTHY + 1));
        if (separate) {
            assertThat(Http.call("GET", URI.create("http://127.0.0.1:" + dock.port() + "/status"), bearer).statusCode()).isEqualTo(404);
        }
    }

    /** Sends one request on a new connection; @return the final answer (after any 1xx), or null if none came. */
    private static Answer exchange(int port, Req r) throws IOException {
        try (RawSocket s = new RawSocket(port, 10_000)) {
            s.tryWrite(r.bytes());
            String raw;
            do {
                raw = r.head() ? s.readHead() : s.readResponse();
            } while (raw.matches("(?s)HTTP/1\\.[01] 1\\d\\d .*"));
            int end = raw.indexOf("\r\n\r\n");
            return !raw.startsWith("HTTP/1.") || end < 0 ? null : new Answer(Integer.parseInt(raw.substring(9, 12)),
                    raw.substring(0, end).toLowerCase(Locale.ROOT).contains("\r\nwww-authenticate: bearer"),
                    raw.substring(0, raw.indexOf("\r\n")), raw.substring(end + 4));
        } catch (SocketTimeoutException e) {
            throw new AssertionError(r.summary() + ": the server neither answered nor closed", e);
        } catch (IOException e) {
            return null; // reset: allowed only for a request malformed on purpose
        }
    }

    private static String verdict(Req r, Answer a) {
        if (a == null) {
            return r.expected() == null ? null : "no answer to a well-formed request";
        } else if (a.status() >= 500 && a.status() != 505) {
            return "a server error";
        } else if (a.status() == 401 && !a.challenge()) {
            return "401 without WWW-Authenticate: Bearer";
        } else if (!r.authorized() && a.fromARoute()) {
            return "A WAY IN: a route acted without the valid token";
        } else if (r.expected() != null) {
            return r.expected().contains(a.status()) ? null : "expected " + r.expected();
        }
        return REFUSED.contains(a.status()) || (r.authorized() && a.fromARoute()) ? null : "an answer no one should give";
    }

    private static Req generate(Random rnd, List<String> ids, boolean separate) {
        boolean toControl = !separate || rnd.nextInt(4) > 0;
        String[] auth = auth(rnd);
        boolean authorized = auth[1].equals("valid");
        boolean dirty = auth[1].equals("dirty");
        Route route = pick(rnd, ROUTES);
        Id idKind = pick(rnd, IDS);
        if (authorized && (idKind == Id.HEALTHY || (idKind == Id.SINK && route != Route.SEND))) {
            idKind = Id.UNKNOWN; // with the token, only the sink is ever sent to, and nothing is closed
        }
        String id = switch (idKind) {
            case HEALTHY -> ids.get(rnd.nextInt(HEALTHY));
            case SINK -> ids.get(HEALTHY);
            case UNKNOWN -> hex(rnd, 16);
            case MALFORMED -> pick(rnd, ids.get(0).toUpperCase(Locale.ROOT), ids.get(0).substring(1), ids.get(0) + "0",
                    "zz" + hex(rnd, 15), "x".repeat(3000), "%20", "%C3%A9" + hex(rnd, 15), "...", "0x" + hex(rnd, 15));
        };
        String canonical = switch (route) {
            case SEND -> "/socket/" + id + "/send";
            case DISCONNECT -> "/socket/" + id + "/disconnect";
            case SOCKET -> "/socket/" + id;
            case STATUS -> "/status";
            case WS -> "/ws";
            case NONE -> pick(rnd, "/", "/socket/", "/metrics", "/socket/" + id + "/close", "/ws/x");
        };
        int shape = rnd.nextInt(12);
        String path = switch (shape) {
            case 0 -> encodeSome(rnd, canonical);
            case 1 -> pick(rnd, "/zz/..", "/.", "/socket/..") + canonical;
            case 2 -> canonical + "?" + pick(rnd, "a=1", "access_token=" + TOKEN, "token=" + TOKEN, "");
            // no route; not "/socket/<id>x": any one segment after /socket/ is the liveness route's id
            case 3 -> canonical + (canonical.endsWith("/") ? "x/y" : route == Route.SOCKET ? "/x" : pick(rnd, "/", "/x", "x"));
            case 4 -> pick(rnd, "/.." + canonical, "/" + canonical, "/%2e%2e" + canonical, canonical + "%00", canonical + "%ZZ",
                    canonical + ";p=1", "/" + "a".repeat(20_000) + canonical, "*", "http://127.0.0.1" + canonical,
                    canonical.replace("/send", "%2Fsend"), canonical + "/%2e%2e/status");
            default -> canonical;
        };
        dirty |= shape == 4;
        String method = rnd.nextInt(4) == 0 ? pick(rnd, ODD_METHODS)
                : route == Route.STATUS || route == Route.WS ? "GET" : route == Route.SOCKET ? pick(rnd, "GET", "HEAD") : "POST";
        // a 300-character method: Jetty's parser answers 405 or 400 "Illegal character" depending on
        // how the request line is split into TCP segments; any refusal will do, never a way in
        dirty |= method.length() > 100;
        if (rnd.nextInt(50) == 0) {
            method = pick(rnd, "G@T", "CONNECT", "PO ST", "GET\u0000");
            dirty = true;
        }
        int v = rnd.nextInt(50);
        String version = v < 2 ? "HTTP/1.0" : v < 5 ? pick(rnd, "HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "FOO/1.1", "http/1.1", "HTTP/1.1") : "HTTP/1.1";
        boolean host = v >= 5 || (v < 2 && rnd.nextBoolean());
        dirty |= v >= 2 && v < 5; // a bad version, or HTTP/1.1 without Host
        byte[] body = switch (rnd.nextInt(8)) {
            case 0, 1, 2 -> new byte[0];
            case 3 -> bytes(rnd, 1 + rnd.nextInt(200));
            case 4 -> pick(rnd, "{\"code\":4000,\"reason\":\"bye\"}", "{\"code\":1005}", "{", "[]", "héllo wörld").getBytes(UTF_8);
            case 5 -> bytes(rnd, 70_000);
            default -> ("text " + hex(rnd, 1 + rnd.nextInt(100))).getBytes(UTF_8);
        };
        StringBuilder h = new StringBuilder(method + " " + path + " " + version + "\r\n" + (host ? "Host: 127.0.0.1\r\n" : "") + auth[0]);
        if (rnd.nextInt(10) < 7) {
            h.append("Content-Type: ").append(pick(rnd, "text/plain", "text/plain; charset=utf-8", "text/plain; charset=UTF-16",
                    "text/plain; charset=bogus-cs", "text/plain; charset=\"", "text/html; charset=\"iso-8859-1\"", "application/json",
                    "application/octet-stream", "TEXT/PLAIN;CHARSET=US-ASCII", ";;;", "text/", "x/" + "y".repeat(3000))).append("\r\n");
        }
        boolean chunked = version.equals("HTTP/1.1") && rnd.nextInt(7) == 0;
        if (rnd.nextInt(60) == 0) {
            dirty = true;
            chunked = false;
            h.append(pick(rnd, "Content-Length: 5\r\nContent-Length: 6", "Content-Length: -1", "Transfer-Encoding: gzip",
                    "Expect: something")).append("\r\n");
        } else if (chunked || body.length > 0 || rnd.nextBoolean()) {
            h.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length).append("\r\n");
        }
        if (body.length > 0 && version.equals("HTTP/1.1") && rnd.nextInt(20) == 0) {
            h.append("Expect: 100-continue\r\n");
        }
        if (rnd.nextInt(5) == 0) {
            h.append(pick(rnd, "Cookie: token=" + TOKEN, "X-Control-Token: " + TOKEN, "Proxy-Authorization: Bearer " + TOKEN,
                    "X-Authorization: Bearer " + TOKEN, "Origin: https://evil.example", "X-Forwarded-For: 10.0.0.1")).append("\r\n");
        }
        if (rnd.nextInt(6) == 0) { // one huge header, or very many
            int size = pick(rnd, 100, 1000, 6000, 20_000, 100_000);
            for (int i = 0, n = rnd.nextBoolean() ? 1 : 1 + size / 100; i < n; i++) {
                h.append("X-Pad-").append(i).append(": ").append("p".repeat(Math.max(1, size / n))).append("\r\n");
            }
        }
        h.append("Connection: close\r\n\r\n");
        dirty |= h.length() > 7000; // near Jetty's 8 KiB limit on the request head: 414 or 431
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(ISO_8859_1));
        for (int at = 0; chunked && at < body.length; ) {
            int len = Math.min(body.length - at, 1 + rnd.nextInt(20_000));
            out.writeBytes((Integer.toHexString(len) + "\r\n").getBytes(ISO_8859_1));
            out.write(body, at, len);
            out.writeBytes("\r\n".getBytes(ISO_8859_1));
            at += len;
        }
        out.writeBytes(chunked ? "0\r\n\r\n".getBytes(ISO_8859_1) : body);
        String summary = "[" + (toControl ? "control" : "public") + " port, " + auth[1] + " " + auth[0].replace("\r\n", "|") + "] "
                + h.substring(0, Math.min(h.indexOf("\r\n"), 200));
        Set<Integer> expected = dirty ? null : expect(shape == 3 ? Route.NONE : route, idKind, method, authorized,
                !separate || toControl, !separate || !toControl);
        return new Req(summary.length() > 500 ? summary.substring(0, 500) + "…" : summary, out.toByteArray(), toControl,
                method.equals("HEAD"), authorized, expected, authorized && idKind == Id.SINK && route == Route.SEND);
    }

    /** @return the answer the README promises a well-formed request */
    private static Set<Integer> expect(Route route, Id id, String method, boolean authorized, boolean control, boolean pub) {
        if (route == Route.WS && pub) {
            return Set.of(method.equals("GET") ? 426 : 405);
        } else if (route == Route.NONE || route == Route.WS || !control) {
            return Set.of(404);
        } else if (route == Route.SOCKET ? !method.equals("GET") && !method.equals("HEAD")
                : !method.equals(route == Route.STATUS ? "GET" : "POST")) {
            return Set.of(405);
        } else if (!authorized) {
            return Set.of(401);
        }
        return route == Route.STATUS ? Set.of(200) : switch (id) {
            case MALFORMED -> Set.of(404);
            case UNKNOWN -> Set.of(410);
            default -> Set.of(200, 400, 415); // the sink: a frame, or text not valid in its charset
        };
    }

    /** @return {header lines, "valid" | "invalid" | "no-auth" | "dirty"} */
    private static String[] auth(Random rnd) {
        String name = pick(rnd, "Authorization", "authorization", "AUTHORIZATION", "aUtHoRiZaTiOn");
        String scheme = pick(rnd, "Bearer", "bearer", "BEARER", "bEaReR");
        String value = switch (rnd.nextInt(24)) {
            case 0, 1, 2, 3, 4, 5 -> null;
            case 6 -> "";
            case 7 -> scheme;
            case 8 -> TOKEN;
            case 9 -> "Basic " + Base64.getEncoder().encodeToString(("socketdock:" + TOKEN).getBytes(ISO_8859_1));
            case 10 -> pick(rnd, scheme + TOKEN, scheme + "\t" + TOKEN, "Token " + TOKEN, scheme + " \"" + TOKEN + "\"");
            case 11, 12 -> scheme + " " + changeOneChar(rnd, TOKEN);
            case 13 -> scheme + " " + OTHER_RELAYS;
            case 14 -> scheme + " " + pick(rnd, TOKEN.substring(1), TOKEN + "x", TOKEN.toUpperCase(Locale.ROOT), TOKEN + TOKEN,
                    TOKEN + ", " + scheme + " " + TOKEN, TOKEN.substring(0, 8) + " " + TOKEN.substring(8), "\u00a0" + TOKEN);
            case 15 -> scheme + " " + hex(rnd, 1 + rnd.nextInt(100));
            case 16 -> scheme + " " + changeOneChar(rnd, OTHER_RELAYS) + "\r\n" + name + ": " + scheme + " " + OTHER_RELAYS;
            case 17 -> "DIRTY";
            default -> "VALID";
        };
        if (value == null) {
            return new String[] {"", "no-auth"};
        } else if (value.equals("VALID")) { // the scheme in any case, one or more spaces, trailing whitespace
            return new String[] {name + ":" + pick(rnd, " ", "", "  ") + scheme + " ".repeat(pick(rnd, 1, 1, 1, 2, 3)) + TOKEN
                    + pick(rnd, "", "", " ", "\t") + "\r\n", "valid"};
        } else if (value.equals("DIRTY")) {
            return new String[] {pick(rnd, name + ": " + scheme + " " + TOKEN + "\u0001", name + ": " + scheme + " \u0000" + TOKEN,
                    name + ": " + scheme + " " + "A".repeat(9000), name + ": " + scheme + "\r\n " + TOKEN,
                    name + " : " + scheme + " " + TOKEN) + "\r\n", "dirty"};
        }
        return new String[] {name + ": " + value + "\r\n", "invalid"};
    }

    private static String changeOneChar(Random rnd, String s) {
        int at = rnd.nextInt(s.length());
        String others = "abcdefghijklmnopqrstuvwxyz0123456789-".replace(String.valueOf(s.charAt(at)), "");
        return s.substring(0, at) + others.charAt(rnd.nextInt(others.length())) + s.substring(at + 1);
    }

    /** Percent-encodes some ASCII letters and digits of a path (none inside an existing escape). */
    private static String encodeSome(Random rnd, String path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            boolean inEscape = path.lastIndexOf('%', i) >= 0 && i - path.lastIndexOf('%', i) <= 2;
            b.append(Character.isLetterOrDigit(ch) && ch < 128 && !inEscape && rnd.nextInt(3) == 0 ? "%" + HexFormat.of()
                    .withUpperCase().toHexDigits((byte) ch) : String.valueOf(ch));
        }
        return b.toString();
    }

    private static String hex(Random rnd, int n) {
        return HexFormat.of().formatHex(bytes(rnd, n));
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @SafeVarargs
    private static <T> T pick(Random rnd, T... choices) {
        return choices[rnd.nextInt(choices.length)];
    }
}
