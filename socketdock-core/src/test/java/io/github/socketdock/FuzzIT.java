package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.testing.RecordingBackendServer;
import io.github.socketdock.testing.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded storm of malformed input against a running relay (http backend to a recording server,
 * 64 KiB messages): random bytes and garbled requests on the HTTP port, well-formed POSTs with
 * random content types, charsets and bodies to real and made-up callback URLs, and WebSocket
 * upgrades followed by random and malformed frames, ended abruptly or politely.
 *
 * <p>What must hold: every well-formed POST gets the answer the README promises; no answer is a
 * 5xx; no server close code outside those the inputs call for; the server never leaves a
 * connection open after the client's EOF or close; the messages a socket sent before its first
 * bad frame reach the backend intact and in order; the ten healthy sockets opened before the
 * storm are never closed and still relay; the backend sees one connect and exactly one
 * disconnect per storm socket; and afterwards the open count, the byte budget and the heap come
 * back down.
 *
 * <p>The seed is printed and named in every failure; replay with
 * {@code -Dsocketdock.fuzz.seed=<seed>} (thread interleaving still differs between runs).
 */
class FuzzIT {

    private static final int OPERATIONS = 3000;
    private static final int THREADS = 8;
    private static final int HEALTHY = 10;
    private static final int VICTIMS = 4;
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_DISCONNECT_BODY = 4096;
    private static final int SO_TIMEOUT_MS = 5000;
    private static final long HEAP_BOUND = 256L * 1024 * 1024;
    /** Codes a storm disconnect POST asks for; a socket closed with one was closed by the storm. */
    private static final int[] STORM_DISCONNECT_CODES = {3000, 4000, 4321, 4999};
    /** Codes a storm socket politely closes with itself; the server echoes them. */
    private static final int[] CLIENT_CLOSE_CODES = {1000, 1001, 3001, 4001};
    /** Every close code the server may send a storm socket. */
    private static final Set<Integer> ALLOWED_CLOSE_CODES = Set.of(1000, 1001, 1002, 1007, 1009,
            3000, 3001, 4000, 4001, 4321, 4999);
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d\\d\\d)");
    private static final Pattern WELL_FORMED_ID = Pattern.compile("[0-9a-f]{32}");

    private enum Kind { RANDOM_BYTES, GARBLED_HTTP, POST, WEBSOCKET }

    private enum Target { HEALTHY, STORM, UNKNOWN, MALFORMED }

    /** What one storm socket sent: the relayed forms of its surely valid leading messages. */
    private record Expectation(int op, List<String> leading, boolean complete, String input) {
    }

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;
    private final HttpClient echoClient = new HttpClient();
    private long seed;
    private final Map<Integer, String> healthyIds = new ConcurrentHashMap<>();
    private volatile Set<String> healthy = Set.of();
    /** Ids of storm sockets, from their connect POSTs. */
    private final List<String> stormIds = Collections.synchronizedList(new ArrayList<>());
    /** Ids of the storm sockets that live through the storm. */
    private final List<String> victimIds = Collections.synchronizedList(new ArrayList<>());
    /** Storm socket id by the {@code x-fuzz-op} header of its upgrade. */
    private final Map<String, String> idByOp = new ConcurrentHashMap<>();
    private final Bag<String> echoFailures = new Bag<>();
    private final Bag<Expectation> expectations = new Bag<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final List<Socket> victims = new ArrayList<>();

    /** A concurrent collection with a snapshot. */
    private static final class Bag<T> {
        private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();

        void add(T t) {
            items.add(t);
        }

        List<T> snapshot() {
            return new ArrayList<>(items);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket v : victims) {
            abort(v);
        }
        if (client != null) {
            client.close();
        }
        if (dock != null) {
            dock.close();
        }
        if (backend != null) {
            backend.close();
        }
        echoClient.stop();
    }

    @Test
    void aStormOfMalformedInputHarmsNoHealthySocketAndLeavesNothingBehind() throws Exception {
        seed = Long.getLong("socketdock.fuzz.seed", System.nanoTime());
        String replay = "fuzz seed " + seed + " (replay: -Dsocketdock.fuzz.seed=" + seed + ")";
        System.out.println("FuzzIT: " + replay);

        echoClient.start();
        backend = RecordingBackendServer.start().onRequest(this::onBackendRequest);
        dock = SocketDock.builder()
                .port(0)
                .maxMessageSize(MAX_MESSAGE)
                .backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                        .connectUri(backend.uri("/connect"))
                        .disconnectUri(backend.uri("/disconnect"))
                        // with the default 50 ms window, a backend that begins handling a request
                        // later than that may see the socket's next event first (README: "delivered");
                        // under this storm it happens, so a long window makes the order check exact
                        .orderingWindow(Duration.ofSeconds(5))
                        .build()))
                .build()
                .start();
        client = new TestClient();
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < HEALTHY; i++) {
            sockets.add(client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws")));
        }
        for (int i = 0; i < HEALTHY; i++) {
            roundTrip(sockets.get(i), i);
        }
        healthy = Set.copyOf(healthyIds.values());
        assertThat(healthy).hasSize(HEALTHY);
        // storm sockets that live through the storm and never read: sends to them succeed, fill
        // their queues and may be refused with 503; storm disconnects may close them
        for (int i = 0; i < VICTIMS; i++) {
            Socket v = open();
            victims.add(v);
            v.setReceiveBufferSize(4096);
            write(v, ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                    + "\r\nX-Fuzz-Op: v" + i + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(v)).startsWith("HTTP/1.1 101");
        }
        await().until(() -> victimIds.size() == VICTIMS);

        // the storm
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < OPERATIONS; i++) {
            int op = i;
            results.add(pool.submit(() -> run(op)));
        }
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try {
            for (Future<String> f : results) {
                String failure = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (failure != null) {
                    failures.add(failure);
                }
            }
        } catch (TimeoutException e) {
            pool.shutdownNow();
            throw new AssertionError(replay + ": the storm did not finish within 90 s", e);
        } finally {
            pool.shutdown();
        }
        for (Socket v : victims) {
            abort(v);
        }
        long stormMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("FuzzIT: " + OPERATIONS + " operations in " + stormMillis + " ms; outcomes "
                + new TreeMap<>(outcomes));

        // the healthy sockets: never closed, still relaying
        for (int i = 0; i < HEALTHY; i++) {
            assertThat(sockets.get(i).closed()).as(replay + ": healthy socket " + i + " was closed").isNotDone();
            assertThat(dock.connection(healthyIds.get(i))).as(replay + ": healthy socket " + i).isPresent();
        }
        for (int i = 0; i < HEALTHY; i++) {
            roundTrip(sockets.get(i), i);
        }
        assertThat(echoFailures.snapshot()).as(replay + ": echo POSTs").isEmpty();

        // nothing left behind
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(dock.connectionCount()).as(replay + ": open connections")
                        .isEqualTo(HEALTHY));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(dock.stats().bufferedBytes()).as(replay + ": buffered bytes")
                        .isZero());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(backend.requests("/disconnect")).as(replay + ": disconnects")
                        .hasSize(backend.requests("/connect").size() - HEALTHY));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            assertThat(used).as(replay + ": heap used after the storm").isLessThan(HEAP_BOUND);
        });
        System.out.println("FuzzIT: heap used after the storm "
                + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024) + " MiB");

        assertBackendSawEachSocketInOrder(replay);
        assertLeadingMessagesRelayed(replay);
        SocketDockStats stats = dock.stats();
        assertThat(stats.activeConnections()).isEqualTo(HEALTHY);
        assertThat(stats.lifetimeConnections()).as(replay).isEqualTo(backend.requests("/connect").size());
        assertThat(stats.undeliveredMessages()).as(replay + ": undelivered messages").isZero();
        assertThat(stats.undeliveredDisconnects()).as(replay + ": undelivered disconnects").isZero();
        System.out.println("FuzzIT: " + stats);
        // last, so that a wrong answer does not hide whether everything else held
        assertThat(failures).as(replay + ": operations answered wrongly (" + failures.size() + ")")
                .isEmpty();
    }

    // ---- the healthy sockets ----------------------------------------------------------------

    /** Sends "healthy:i:…" and waits for the backend's "echo:" of it, skipping stray storm frames. */
    private void roundTrip(TestClient.Socket socket, int i) throws Exception {
        String token = "healthy:" + i + ":" + UUID.randomUUID();
        socket.sendText(token);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long left = until - System.nanoTime();
            TestClient.Frame f = left > 0 ? socket.frames().poll(left, TimeUnit.NANOSECONDS) : null;
            if (f == null) {
                throw new AssertionError("fuzz seed " + seed + ": healthy socket " + i + " got no echo of " + token);
            }
            if (f.isText() && f.text().equals("echo:" + token)) {
                return;
            }
            count("healthy socket: stray storm frame");
        }
    }

    /** The backend: answers 200 (the recorder does), echoes healthy messages, notes storm ids. */
    private void onBackendRequest(RecordingBackendServer.Recorded r) {
        if (r.path().equals("/connect")) {
            JsonObject meta = r.json().getAsJsonObject("meta");
            JsonObject headers = meta.getAsJsonObject("headers");
            String id = meta.get("connection_id").getAsString();
            if (headers.has("x-fuzz-op")) {
                String op = headers.get("x-fuzz-op").getAsString();
                (op.startsWith("v") ? victimIds : stormIds).add(id);
                idByOp.put(op, id);
            }
        } else if (r.path().equals("/message")) {
            JsonObject body = r.json();
            JsonObject meta = body.getAsJsonObject("meta");
            String message = body.get("message").getAsString();
            if (!meta.has("frame") && message.startsWith("healthy:")) {
                int i = Integer.parseInt(message.split(":")[1]);
                healthyIds.put(i, meta.get("connection_id").getAsString());
                echoClient.newRequest(URI.create(meta.get("send").getAsString()))
                        .method(HttpMethod.POST)
                        .body(new StringRequestContent("text/plain; charset=utf-8", "echo:" + message))
                        .send(result -> {
                            if (result.isFailed() || result.getResponse().getStatus() != 200) {
                                echoFailures.add(message + ": " + (result.isFailed() ? result.getFailure()
                                        : result.getResponse().getStatus()));
                            }
                        });
            }
        }
    }

    // ---- one operation ----------------------------------------------------------------------

    /** @return null, or what went wrong, with the input that did it */
    private String run(int op) {
        Random rnd = new Random(seed ^ (op * 0x9E3779B97F4A7C15L));
        int k = rnd.nextInt(100);
        Kind kind = k < 10 ? Kind.RANDOM_BYTES : k < 30 ? Kind.GARBLED_HTTP : k < 60 ? Kind.POST : Kind.WEBSOCKET;
        StringBuilder input = new StringBuilder();
        try {
            String wrong = switch (kind) {
                case RANDOM_BYTES -> randomBytes(rnd, input);
                case GARBLED_HTTP -> garbledHttp(op, rnd, input);
                case POST -> post(rnd, input);
                case WEBSOCKET -> websocket(op, rnd, input);
            };
            return wrong == null ? null : describe(op, kind, wrong, input);
        } catch (SocketTimeoutException e) {
            count(kind + " hang");
            return describe(op, kind, "no answer and no close within " + SO_TIMEOUT_MS + " ms (" + e.getMessage() + ")",
                    input);
        } catch (Exception | AssertionError e) {
            return describe(op, kind, e.toString(), input);
        }
    }

    private String describe(int op, Kind kind, String wrong, StringBuilder input) {
        String in = input.length() > 600 ? input.substring(0, 600) + "…" : input.toString();
        return "fuzz seed " + seed + " op " + op + " " + kind + ": " + wrong + " — input: " + in;
    }

    private String randomBytes(Random rnd, StringBuilder input) throws IOException {
        String[] prefixes = {"", "", "GET ", "POST /socket/", "GET /ws HTTP/1.1\r\n", "\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"};
        String prefix = prefixes[rnd.nextInt(prefixes.length)];
        byte[] junk = bytes(rnd, 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 20_000 : 600));
        byte[] request = concat(prefix.getBytes(StandardCharsets.ISO_8859_1), junk);
        input.append(printable(request));
        try (Socket s = open()) {
            if (!write(s, request) || rnd.nextInt(5) == 0) {
                abort(s);
                count("RANDOM_BYTES aborted");
                return null;
            }
            if (!shutdownOutput(s)) {
                return null;
            }
            return noServerError(Kind.RANDOM_BYTES, readToEof(s, 64 * 1024));
        }
    }

    private String garbledHttp(int op, Random rnd, StringBuilder input) throws IOException {
        byte[] request = mutate(rnd, baseRequest(op, rnd), 1 + rnd.nextInt(3));
        input.append(printable(request));
        try (Socket s = open()) {
            if (!write(s, request) || rnd.nextInt(4) == 0) {
                abort(s);
                count("GARBLED_HTTP aborted");
                return null;
            }
            if (!shutdownOutput(s)) {
                return null;
            }
            return noServerError(Kind.GARBLED_HTTP, readToEof(s, 64 * 1024));
        }
    }

    /** A well-formed POST to a callback route: its answer must be the one the README promises. */
    private String post(Random rnd, StringBuilder input) throws IOException {
        boolean send = rnd.nextInt(10) < 6;
        int t = rnd.nextInt(100);
        Target target = t < 30 ? Target.HEALTHY : t < 55 ? Target.STORM : t < 75 ? Target.UNKNOWN : Target.MALFORMED;
        String id = id(target, rnd);
        if (id == null) {
            target = Target.UNKNOWN;
            id = id(target, rnd);
        }
        String contentType = contentType(rnd);
        byte[] body = send ? sendBody(rnd)
                : target == Target.HEALTHY ? malformedDisconnectBody(rnd) : disconnectBody(rnd);
        boolean chunked = rnd.nextInt(7) == 0;
        Set<Integer> expected = expectedStatuses(send, target, contentType, body, chunked);
        String path = "/socket/" + id + (send ? "/send" : "/disconnect");
        byte[] request = request("POST", path, contentType, body, chunked, rnd);
        input.append(target).append(' ').append(printable(request));
        try (Socket s = open()) {
            write(s, request);
            byte[] answer = readToEof(s, 4096);
            int status = status(answer);
            count("POST " + (send ? "send " : "disconnect ") + target + " " + (status < 0 ? "reset" : status));
            if (expected.contains(status)) {
                return null;
            }
            if (status < 0 && body.length > (send ? MAX_MESSAGE : MAX_DISCONNECT_BODY)) {
                return null; // refused before its body was read: the reset may overtake the 413
            }
            return "expected " + expected + ", got " + (status < 0 ? "no answer" : firstLine(answer));
        }
    }

    private String websocket(int op, Random rnd, StringBuilder input) throws IOException {
        try (Socket s = open()) {
            String junkHeader = rnd.nextInt(8) == 0 ? junkHeader(rnd) : null;
            StringBuilder upgrade = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(bytes(rnd, 16)) + "\r\nX-Fuzz-Op: w" + op + "\r\n");
            if (junkHeader != null) {
                upgrade.append(junkHeader).append("\r\n");
            }
            byte[] upgradeBytes = upgrade.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            input.append(junkHeader == null ? "" : printable(junkHeader.getBytes(StandardCharsets.ISO_8859_1)) + " | ");
            write(s, upgradeBytes);
            String head = readHead(s);
            if (!head.startsWith("HTTP/1.1 101")) {
                count("WEBSOCKET upgrade " + firstLine(head.getBytes(StandardCharsets.ISO_8859_1)));
                return junkHeader != null && head.startsWith("HTTP/1.1 400") ? null : "upgrade answered " + head;
            }
            List<String> leading = new ArrayList<>();
            boolean stillSure = true;
            boolean leadingWritten = true;
            boolean truncated = false;
            boolean writable = true;
            int frames = 1 + rnd.nextInt(6);
            for (int i = 0; i < frames && writable; i++) {
                Piece p = piece(rnd);
                if (i == frames - 1 && rnd.nextInt(5) == 0 && p.bytes.length > 1) {
                    p = new Piece(p.name + "(cut)", Arrays.copyOf(p.bytes, 1 + rnd.nextInt(p.bytes.length - 1)),
                            false, null);
                }
                // after these the stream may be inside a frame for good: only an EOF can end it
                truncated |= p.name.endsWith("(cut)") || p.name.startsWith("huge-length") || p.name.equals("garbage");
                input.append(p.name).append(' ');
                writable = write(s, p.bytes);
                if (stillSure && p.sure) {
                    if (p.relayed != null) {
                        leading.add(p.relayed);
                    }
                    leadingWritten &= writable;
                } else {
                    stillSure = false;
                }
            }
            int end = rnd.nextInt(100);
            if (end < 20) {
                input.append("| reset");
                abort(s);
                expectations.add(new Expectation(op, leading, false, input.toString()));
                count("WEBSOCKET ended by reset");
                return null;
            }
            if (end < 35) {
                input.append("| close");
                expectations.add(new Expectation(op, leading, false, input.toString()));
                count("WEBSOCKET ended by close");
                return null;
            }
            if (end < 70 || truncated) {
                input.append("| EOF, read");
                shutdownOutput(s);
            } else {
                int code = CLIENT_CLOSE_CODES[rnd.nextInt(CLIENT_CLOSE_CODES.length)];
                input.append("| close frame ").append(code).append(", read");
                write(s, frame(0x88, true, closePayload(code, "bye"), rnd));
            }
            ServerFrames got = parseFrames(readToEof(s, 512 * 1024));
            for (int code : got.closeCodes) {
                count("WEBSOCKET server close " + code);
            }
            if (got.closeCodes.isEmpty()) {
                count("WEBSOCKET server closed without a close frame");
            }
            if (got.anomaly != null) {
                return got.anomaly;
            }
            for (int code : got.closeCodes) {
                if (!ALLOWED_CLOSE_CODES.contains(code)) {
                    return "server closed with " + code;
                }
            }
            boolean closedByStorm = got.closeCodes.stream()
                    .anyMatch(c -> Arrays.stream(STORM_DISCONNECT_CODES).anyMatch(x -> x == c));
            expectations.add(new Expectation(op, leading, leadingWritten && got.complete && !closedByStorm,
                    input.toString()));
            return null;
        }
    }

    // ---- what must have reached the backend ---------------------------------------------------

    private void assertBackendSawEachSocketInOrder(String replay) {
        Map<String, Long> connectAt = new HashMap<>();
        Map<String, Long> disconnectAt = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (RecordingBackendServer.Recorded r : backend.requests()) {
            switch (r.path()) {
                case "/connect" -> {
                    String id = r.json().getAsJsonObject("meta").get("connection_id").getAsString();
                    if (connectAt.put(id, r.seq()) != null) {
                        wrong.add("two connects of " + id);
                    }
                }
                case "/disconnect" -> {
                    String id = r.json().get("connection_id").getAsString();
                    if (!connectAt.containsKey(id)) {
                        wrong.add("disconnect of " + id + " before (or without) its connect");
                    }
                    if (healthy.contains(id)) {
                        wrong.add("disconnect of the healthy socket " + id + ": " + r.text());
                    }
                    if (disconnectAt.put(id, r.seq()) != null) {
                        wrong.add("two disconnects of " + id);
                    }
                }
                case "/message" -> {
                    String id = r.json().getAsJsonObject("meta").get("connection_id").getAsString();
                    if (!connectAt.containsKey(id)) {
                        wrong.add("message of " + id + " before (or without) its connect");
                    }
                    if (disconnectAt.containsKey(id)) {
                        wrong.add("message of " + id + " after its disconnect");
                    }
                }
                default -> wrong.add("a request to " + r.path());
            }
        }
        for (String id : connectAt.keySet()) {
            if (!healthy.contains(id) && !disconnectAt.containsKey(id)) {
                wrong.add("no disconnect of " + id);
            }
        }
        assertThat(wrong).as(replay + ": what the backend saw").isEmpty();
    }

    private void assertLeadingMessagesRelayed(String replay) {
        Map<String, List<String>> relayed = new HashMap<>();
        for (RecordingBackendServer.Recorded r : backend.requests("/message")) {
            JsonObject body = r.json();
            JsonObject meta = body.getAsJsonObject("meta");
            String form = (meta.has("frame") ? "B:" : "T:") + (body.has("encoding") ? "base64:" : "")
                    + body.get("message").getAsString();
            relayed.computeIfAbsent(meta.get("connection_id").getAsString(), x -> new ArrayList<>()).add(form);
        }
        List<String> wrong = new ArrayList<>();
        int checkedComplete = 0;
        for (Expectation e : expectations.snapshot()) {
            String id = idByOp.get("w" + e.op);
            if (id == null) {
                wrong.add("op " + e.op + ": no connect for its socket — input: " + e.input);
                continue;
            }
            List<String> got = relayed.getOrDefault(id, List.of());
            int common = Math.min(got.size(), e.leading.size());
            if (!got.subList(0, common).equals(e.leading.subList(0, common))) {
                wrong.add("op " + e.op + ": relayed " + abbreviate(got) + " but sent " + abbreviate(e.leading)
                        + " — input: " + e.input);
            } else if (e.complete && got.size() < e.leading.size()) {
                wrong.add("op " + e.op + ": relayed only " + got.size() + " of the " + e.leading.size()
                        + " messages sent before its first bad frame — input: " + e.input);
            }
            if (e.complete) {
                checkedComplete++;
            }
        }
        System.out.println("FuzzIT: " + expectations.snapshot().size() + " storm sockets checked, " + checkedComplete
                + " of them for every leading message");
        assertThat(wrong).as(replay + ": messages relayed from storm sockets").isEmpty();
    }

    private static String abbreviate(List<String> forms) {
        List<String> out = new ArrayList<>();
        for (String f : forms) {
            out.add(f.length() > 40 ? f.substring(0, 40) + "…(" + f.length() + ")" : f);
        }
        return out.toString();
    }

    // ---- expected answers of the callback routes (the README's table) ---------------------------

    private static Set<Integer> expectedStatuses(boolean send, Target target, String contentType, byte[] body,
                                                 boolean chunked) {
        Set<Integer> s = new HashSet<>();
        if (send && !chunked && body.length > MAX_MESSAGE) {
            return Set.of(413);
        }
        if (target == Target.MALFORMED) {
            return Set.of(404);
        }
        if (target == Target.UNKNOWN) {
            return Set.of(410);
        }
        if (target == Target.STORM) {
            s.add(410);
        }
        if (send) {
            if (target == Target.STORM) {
                s.add(503);
            }
            Charset charset;
            try {
                charset = textCharset(contentType);
            } catch (IllegalArgumentException e) {
                s.add(415);
                return s;
            }
            if (body.length > MAX_MESSAGE) {
                s.add(413);
            } else if (charset != null && !decodes(charset, body)) {
                s.add(400);
            } else {
                s.add(200);
            }
            return s;
        }
        if (body.length > MAX_DISCONNECT_BODY) {
            s.add(413);
        } else if (target == Target.HEALTHY) {
            s.add(400);
        } else {
            s.add(200);
            s.add(400);
        }
        return s;
    }

    /**
     * The README's rule: the charset of a text/* type (UTF-8 when none); null for any other type or
     * none (a binary frame); IAE for an unknown charset (415).
     */
    private static Charset textCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (parts.length == 0 || !parts[0].strip().toLowerCase(Locale.ROOT).startsWith("text/")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String name = p.substring(eq + 1).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(name);
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static boolean decodes(Charset charset, byte[] body) {
        try {
            charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---- generators ---------------------------------------------------------------------------

    private String id(Target target, Random rnd) {
        switch (target) {
            case HEALTHY -> {
                List<String> ids = new ArrayList<>(healthy);
                Collections.sort(ids);
                return ids.get(rnd.nextInt(ids.size()));
            }
            case STORM -> {
                if (rnd.nextBoolean()) {
                    synchronized (victimIds) {
                        return victimIds.get(rnd.nextInt(victimIds.size()));
                    }
                }
                synchronized (stormIds) {
                    return stormIds.isEmpty() ? null : stormIds.get(rnd.nextInt(stormIds.size()));
                }
            }
            case UNKNOWN -> {
                String id = hex(bytes(rnd, 16));
                return healthy.contains(id) ? hex(bytes(rnd, 16)) : id;
            }
            default -> {
                String alphabet = "0123456789abcdefABCDEFghijklmnopqrstuvwxyz_-~";
                while (true) {
                    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3) + (rnd.nextBoolean() ? 30 : 0);
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                    }
                    if (!WELL_FORMED_ID.matcher(b).matches()) {
                        return b.toString();
                    }
                }
            }
        }
    }

    private static final String[] CONTENT_TYPES = {
        null, null, "application/octet-stream", "application/json", "image/png", "text/plain",
        "text/plain; charset=utf-8", "text/plain;charset=UTF-8", "text/plain; charset=\"utf-8\"",
        "text/html; charset=iso-8859-1", "text/plain; charset=us-ascii", "text/plain; charset=utf-16",
        "text/plain; charset=UTF-16LE", "text/csv; charset=windows-1252", "text/plain; charset=shift_jis",
        "text/plain; charset=", "text/plain; charset=no-such-charset", "text/plain; charset=\"",
        "text/plain; charset=utf-8; charset=bogus", "text/", "TEXT/PLAIN", "text/plain; format=flowed",
        "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded", ";", "text/plain;;;charset=utf-8",
        "text/plain; charset=utf-32", "text/plain; charset=x-fuzz-u"};

    private static String contentType(Random rnd) {
        if (rnd.nextInt(6) == 0) {
            String token = token(rnd, 1 + rnd.nextInt(12), "abcdefghijklmnopqrstuvwxyz0123456789-_.:+");
            return rnd.nextBoolean() ? "text/" + token : "text/plain; charset=" + token;
        }
        return CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)];
    }

    private static byte[] sendBody(Random rnd) {
        int k = rnd.nextInt(100);
        if (k < 5) {
            return bytes(rnd, MAX_MESSAGE + 1 + rnd.nextInt(5000));
        }
        if (k < 8) {
            return bytes(rnd, MAX_MESSAGE - rnd.nextInt(3));
        }
        if (k < 40) {
            return bytes(rnd, size(rnd));
        }
        if (k < 75) {
            return text(rnd, size(rnd) / 2).getBytes(StandardCharsets.UTF_8);
        }
        if (k < 90) {
            return invalidUtf8(rnd, text(rnd, size(rnd) / 2));
        }
        return token(rnd, size(rnd), "abcdefghijklmnopqrstuvwxyz ").getBytes(StandardCharsets.US_ASCII);
    }

    /** A disconnect body for a storm socket: anything, but a code only from {@link #STORM_DISCONNECT_CODES}. */
    private static byte[] disconnectBody(Random rnd) {
        int k = rnd.nextInt(10);
        if (k < 3) {
            int code = STORM_DISCONNECT_CODES[rnd.nextInt(STORM_DISCONNECT_CODES.length)];
            return ("{\"code\":" + code + ",\"reason\":" + quote(text(rnd, 20)) + "}").getBytes(StandardCharsets.UTF_8);
        }
        return malformedDisconnectBody(rnd);
    }

    /** A disconnect body no parser may take for a close request: it starts '{' and never closes, or is no object. */
    private static byte[] malformedDisconnectBody(Random rnd) {
        switch (rnd.nextInt(10)) {
            case 0 -> {
                byte[] b = bytes(rnd, rnd.nextInt(200));
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == '}') {
                        b[i] = '{';
                    }
                }
                return concat(new byte[] {'{'}, b);
            }
            case 1 -> {
                return ("[" + "[".repeat(rnd.nextInt(MAX_DISCONNECT_BODY))).getBytes(StandardCharsets.US_ASCII);
            }
            case 2 -> {
                return "{\"a\":".repeat(1 + rnd.nextInt(800)).getBytes(StandardCharsets.US_ASCII);
            }
            case 3 -> {
                int[] bad = {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, -1, 1_000_000_000};
                return ("{\"code\":" + bad[rnd.nextInt(bad.length)] + "}").getBytes(StandardCharsets.US_ASCII);
            }
            case 4 -> {
                String[] bad = {"\"4000\"", "true", "null", "[4000]", "{}", "4000.5", "1e400", "-0.5", "NaN"};
                return ("{\"code\":" + bad[rnd.nextInt(bad.length)] + "}").getBytes(StandardCharsets.US_ASCII);
            }
            case 5 -> {
                return ("{\"code\":4000,\"reason\":" + quote("r".repeat(124 + rnd.nextInt(200))) + "}")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            case 6 -> {
                return ("[" + text(rnd, 50)).getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> {
                return bytes(rnd, MAX_DISCONNECT_BODY + 1 + rnd.nextInt(3000));
            }
            case 8 -> {
                return ("{\"reason\":" + rnd.nextInt(100) + "}").getBytes(StandardCharsets.US_ASCII);
            }
            default -> {
                byte[] b = bytes(rnd, 10);
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == '"') {
                        b[i] = 'x';
                    }
                }
                return concat("{\"code\":4000,\"reason\":\"".getBytes(StandardCharsets.US_ASCII), b);
            }
        }
    }

    /** A valid request to garble; a disconnect only of an id that is no socket's. */
    private byte[] baseRequest(int op, Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0, 1 -> {
                int t = rnd.nextInt(4);
                Target target = Target.values()[t];
                String id = id(target, rnd);
                if (id == null) {
                    id = id(Target.UNKNOWN, rnd);
                }
                byte[] body = rnd.nextInt(10) == 0 ? sendBody(rnd) : bytes(rnd, rnd.nextInt(300));
                return request("POST", "/socket/" + id + "/send", contentType(rnd), body, rnd.nextInt(3) == 0, rnd);
            }
            case 2 -> {
                // never a real id: a garbled body or length may turn into a well-formed close request
                String id = id(rnd.nextBoolean() ? Target.UNKNOWN : Target.MALFORMED, rnd);
                return request("POST", "/socket/" + id + "/disconnect", "application/json", disconnectBody(rnd),
                        rnd.nextInt(3) == 0, rnd);
            }
            case 3 -> {
                return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(bytes(rnd, 16)) + "\r\nX-Fuzz-Op: g" + op + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                String[] lines = {"GET /ws HTTP/1.1", "GET / HTTP/1.1", "PUT /socket/" + hex(bytes(rnd, 16)) + "/send HTTP/1.1",
                    "OPTIONS * HTTP/1.1", "GET /socket/%2e%2e/%2fws HTTP/1.1", "GET http://127.0.0.1/ws HTTP/1.1"};
                return (lines[rnd.nextInt(lines.length)] + "\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static byte[] request(String method, String path, String contentType, byte[] body, boolean chunked,
                                  Random rnd) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1 + rnd.nextInt(body.length < 100 ? 50 : body.length / 3 + 1));
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                at += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] mutate(Random rnd, byte[] request, int times) {
        byte[] r = request;
        for (int t = 0; t < times; t++) {
            String s = new String(r, StandardCharsets.ISO_8859_1);
            switch (rnd.nextInt(11)) {
                case 0 -> r = Arrays.copyOf(r, rnd.nextInt(Math.max(1, r.length)));
                case 1 -> {
                    for (int i = 0, n = 1 + rnd.nextInt(4); i < n && r.length > 0; i++) {
                        r[rnd.nextInt(r.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> {
                    int at = rnd.nextInt(r.length + 1);
                    r = concat(Arrays.copyOf(r, at), bytes(rnd, 1 + rnd.nextInt(32)), Arrays.copyOfRange(r, at, r.length));
                }
                case 3 -> {
                    int from = rnd.nextInt(r.length + 1);
                    int to = Math.min(r.length, from + rnd.nextInt(40));
                    r = concat(Arrays.copyOf(r, from), Arrays.copyOfRange(r, to, r.length));
                }
                case 4 -> r = s.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
                case 5 -> {
                    String[] lengths = {"-1", "0", "1", "999999999", "99999999999999999999", "abc", "0x10", " 5", "5 5",
                        "", Integer.toString(rnd.nextInt(100_000))};
                    r = s.replaceFirst("Content-Length: \\d+", "Content-Length: " + lengths[rnd.nextInt(lengths.length)])
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                case 6 -> {
                    String[] lines = s.split("\r\n", -1);
                    if (lines.length > 2) {
                        int i = 1 + rnd.nextInt(lines.length - 2);
                        r = s.replaceFirst(Pattern.quote(lines[i] + "\r\n"), Matcher.quoteReplacement(lines[i] + "\r\n"
                                + lines[i] + "\r\n")).getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
                case 7 -> r = s.replaceFirst("\r\n", Matcher.quoteReplacement("\r\nX-Big: "
                        + "x".repeat(8 * 1024 + rnd.nextInt(32 * 1024)) + "\r\n")).getBytes(StandardCharsets.ISO_8859_1);
                case 8 -> {
                    int at = rnd.nextInt(r.length + 1);
                    byte[][] strays = {{0}, {'\r'}, {'\n'}, {'\r', '\n'}, {'\r', '\n', '\r', '\n'}, {(byte) 0xFF}};
                    r = concat(Arrays.copyOf(r, at), strays[rnd.nextInt(strays.length)], Arrays.copyOfRange(r, at, r.length));
                }
                case 9 -> {
                    String[] methods = {"post", "P0ST", "GET", "DELETE", "CONNECT", "TRACE", "BREW", "X".repeat(300)};
                    int sp = s.indexOf(' ');
                    if (sp > 0) {
                        r = (methods[rnd.nextInt(methods.length)] + s.substring(sp)).getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
                default -> {
                    String[] versions = {"HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "HTTP/9.9", "HTTP/1", "http/1.1", ""};
                    r = s.replaceFirst("HTTP/1\\.1", Matcher.quoteReplacement(versions[rnd.nextInt(versions.length)]))
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
            }
        }
        return r;
    }

    private static String junkHeader(Random rnd) {
        StringBuilder v = new StringBuilder();
        for (int i = 0, n = rnd.nextInt(60); i < n; i++) {
            int c = rnd.nextInt(10) == 0 ? 0x80 + rnd.nextInt(0x80) : 0x20 + rnd.nextInt(0x5F);
            v.append((char) c);
        }
        return "X-Junk-" + rnd.nextInt(1000) + ": " + v.toString().strip();
    }

    // ---- WebSocket frames ---------------------------------------------------------------------

    /** One or more frames; {@code sure}: valid by RFC 6455, {@code relayed}: the message it completes, if any. */
    private record Piece(String name, byte[] bytes, boolean sure, String relayed) {
    }

    private static Piece piece(Random rnd) {
        int k = rnd.nextInt(100);
        if (k < 14) {
            String t = text(rnd, rnd.nextInt(8) == 0 ? 1500 : 60);
            return new Piece("text", frame(0x81, true, t.getBytes(StandardCharsets.UTF_8), rnd), true,
                    t.isEmpty() ? null : "T:" + t);
        }
        if (k < 24) {
            byte[] b = rnd.nextBoolean() ? bytes(rnd, rnd.nextInt(rnd.nextInt(8) == 0 ? 4000 : 100))
                    : text(rnd, 30).getBytes(StandardCharsets.UTF_8);
            return new Piece("binary", frame(0x82, true, b, rnd), true, binaryForm(b));
        }
        if (k < 32) {
            boolean isText = rnd.nextBoolean();
            byte[] whole = isText ? text(rnd, 200).getBytes(StandardCharsets.UTF_8) : bytes(rnd, rnd.nextInt(500));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int parts = 2 + rnd.nextInt(3);
            int at = 0;
            for (int p = 0; p < parts; p++) {
                int to = p == parts - 1 ? whole.length : at + rnd.nextInt(whole.length - at + 1);
                int opcode = p == 0 ? (isText ? 1 : 2) : 0;
                out.writeBytes(frame((p == parts - 1 ? 0x80 : 0) | opcode, true, Arrays.copyOfRange(whole, at, to), rnd));
                if (p < parts - 1 && rnd.nextInt(4) == 0) {
                    out.writeBytes(frame(0x89, true, bytes(rnd, rnd.nextInt(20)), rnd));
                }
                at = to;
            }
            String relayed = whole.length == 0 ? null
                    : isText ? "T:" + new String(whole, StandardCharsets.UTF_8) : binaryForm(whole);
            return new Piece(isText ? "fragmented-text(split at any byte)" : "fragmented-binary",
                    out.toByteArray(), true, relayed);
        }
        if (k < 37) {
            return new Piece("ping", frame(0x89, true, bytes(rnd, rnd.nextInt(126)), rnd), true, null);
        }
        if (k < 40) {
            return new Piece("pong", frame(0x8A, true, bytes(rnd, rnd.nextInt(126)), rnd), true, null);
        }
        if (k < 46) {
            return new Piece("invalid-utf8-text", frame(0x81, true, invalidUtf8(rnd, text(rnd, 40)), rnd), false, null);
        }
        if (k < 50) {
            return new Piece("continuation-without-start", frame(rnd.nextBoolean() ? 0x80 : 0, true, bytes(rnd, 10), rnd),
                    false, null);
        }
        if (k < 55) {
            return new Piece("start-without-end", frame(rnd.nextBoolean() ? 1 : 2, true,
                    "part".getBytes(StandardCharsets.US_ASCII), rnd), false, null);
        }
        if (k < 59) {
            int opcode = 0x88 + rnd.nextInt(3);
            byte[] payload = opcode == 0x88 ? closePayload(1000, "r".repeat(124 + rnd.nextInt(200)))
                    : bytes(rnd, 126 + rnd.nextInt(2000));
            return new Piece("control-over-125-bytes", frame(opcode, true, payload, rnd), false, null);
        }
        if (k < 62) {
            return new Piece("fragmented-control", frame(0x09 + rnd.nextInt(2), true, bytes(rnd, 5), rnd), false, null);
        }
        if (k < 67) {
            int[] opcodes = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
            int opcode = opcodes[rnd.nextInt(opcodes.length)];
            return new Piece("opcode-" + opcode, frame(0x80 | opcode, true, bytes(rnd, rnd.nextInt(20)), rnd), false, null);
        }
        if (k < 72) {
            int rsv = (1 + rnd.nextInt(7)) << 4;
            return new Piece("rsv-" + (rsv >> 4), frame(0x80 | rsv | (1 + rnd.nextInt(2)), true,
                    "rsv".getBytes(StandardCharsets.US_ASCII), rnd), false, null);
        }
        if (k < 77) {
            return new Piece("unmasked", frame(0x80 | (1 + rnd.nextInt(2)), false,
                    "plain".getBytes(StandardCharsets.US_ASCII), rnd), false, null);
        }
        if (k < 81) {
            boolean isText = rnd.nextBoolean();
            byte[] b = isText ? token(rnd, MAX_MESSAGE + 1 + rnd.nextInt(20_000), "abc").getBytes(StandardCharsets.US_ASCII)
                    : bytes(rnd, MAX_MESSAGE + 1 + rnd.nextInt(20_000));
            return new Piece("oversized-" + (isText ? "text" : "binary"), frame(isText ? 0x81 : 0x82, true, b, rnd),
                    false, null);
        }
        if (k < 84) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int total = 0;
            boolean first = true;
            while (total <= MAX_MESSAGE) {
                int n = 16_000 + rnd.nextInt(16_000);
                total += n;
                out.writeBytes(frame((total > MAX_MESSAGE ? 0x80 : 0) | (first ? 2 : 0), true, bytes(rnd, n), rnd));
                first = false;
            }
            return new Piece("oversized-in-fragments", out.toByteArray(), false, null);
        }
        if (k < 87) {
            long[] lengths = {Long.MIN_VALUE, -1L, 0x7FFF_FFFF_FFFF_FFFFL, 1L << 40, (long) Integer.MAX_VALUE + 1,
                MAX_MESSAGE + 1L};
            long declared = lengths[rnd.nextInt(lengths.length)];
            return new Piece("huge-length-" + Long.toHexString(declared),
                    frameDeclaring(0x80 | (1 + rnd.nextInt(2)), true, bytes(rnd, rnd.nextInt(100)), declared, rnd), false, null);
        }
        if (k < 90) {
            String t = text(rnd, 20);
            return new Piece("non-minimal-length", frameForm(0x81, true, t.getBytes(StandardCharsets.UTF_8),
                    1 + rnd.nextInt(2), rnd), false, null);
        }
        if (k < 94) {
            byte[][] bad = {{3}, closePayload(0, ""), closePayload(999, ""), closePayload(1004, ""), closePayload(1005, ""),
                closePayload(1006, ""), closePayload(1015, ""), closePayload(2000, ""), closePayload(5000, ""),
                closePayload(65535, ""), concat(closePayload(1000, ""), new byte[] {(byte) 0xC3, 0x28})};
            return new Piece("close-bad", frame(0x88, true, bad[rnd.nextInt(bad.length)], rnd), false, null);
        }
        if (k < 96) {
            int code = CLIENT_CLOSE_CODES[rnd.nextInt(CLIENT_CLOSE_CODES.length)];
            return new Piece("close-" + code, frame(0x88, true, closePayload(code, text(rnd, 10)), rnd), false, null);
        }
        return new Piece("garbage", bytes(rnd, 1 + rnd.nextInt(64)), false, null);
    }

    private static String binaryForm(byte[] b) {
        if (b.length == 0) {
            return null;
        }
        return decodes(StandardCharsets.UTF_8, b) ? "B:" + new String(b, StandardCharsets.UTF_8)
                : "B:base64:" + Base64.getEncoder().encodeToString(b);
    }

    /** A masked or unmasked client frame, its length encoded minimally. */
    private static byte[] frame(int b0, boolean masked, byte[] payload, Random rnd) {
        return encode(b0, masked, payload, payload.length, 0, rnd);
    }

    /** A client frame whose length is encoded in at least 16 ({@code form} 1) or 64 bits ({@code form} 2). */
    private static byte[] frameForm(int b0, boolean masked, byte[] payload, int form, Random rnd) {
        return encode(b0, masked, payload, payload.length, form, rnd);
    }

    /** A client frame that declares a length of {@code declared} (64-bit encoded) whatever its payload. */
    private static byte[] frameDeclaring(int b0, boolean masked, byte[] payload, long declared, Random rnd) {
        return encode(b0, masked, payload, declared, 2, rnd);
    }

    private static byte[] encode(int b0, boolean masked, byte[] payload, long n, int form, Random rnd) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(b0);
        int m = masked ? 0x80 : 0;
        if (form == 0 && n >= 0 && n < 126) {
            f.write(m | (int) n);
        } else if (form <= 1 && n >= 0 && n < 65536) {
            f.write(m | 126);
            f.write((int) (n >> 8) & 0xff);
            f.write((int) n & 0xff);
        } else {
            f.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) (n >>> (8 * i)) & 0xff);
            }
        }
        if (masked) {
            byte[] mask = bytes(rnd, 4);
            f.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
        } else {
            f.writeBytes(payload);
        }
        return f.toByteArray();
    }

    private static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** What the server sent a storm socket after its upgrade. */
    private record ServerFrames(List<Integer> closeCodes, boolean complete, String anomaly) {
    }

    private static ServerFrames parseFrames(byte[] data) {
        List<Integer> codes = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            if (at + 2 > data.length) {
                return new ServerFrames(codes, false, null);
            }
            int b0 = data[at] & 0xff;
            int b1 = data[at + 1] & 0xff;
            int opcode = b0 & 0x0f;
            if ((b1 & 0x80) != 0) {
                return new ServerFrames(codes, false, "the server sent a masked frame");
            }
            if ((b0 & 0x70) != 0 || !(opcode <= 2 || (opcode >= 8 && opcode <= 10))) {
                return new ServerFrames(codes, false, "the server sent a frame with first byte 0x" + Integer.toHexString(b0));
            }
            long n = b1 & 0x7f;
            int header = 2;
            if (n == 126) {
                if (at + 4 > data.length) {
                    return new ServerFrames(codes, false, null);
                }
                n = ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
                header = 4;
            } else if (n == 127) {
                if (at + 10 > data.length) {
                    return new ServerFrames(codes, false, null);
                }
                n = 0;
                for (int i = 0; i < 8; i++) {
                    n = (n << 8) | (data[at + 2 + i] & 0xff);
                }
                header = 10;
            }
            if (at + header + n > data.length) {
                return new ServerFrames(codes, false, null);
            }
            if (opcode == 8) {
                codes.add(n >= 2 ? ((data[at + header] & 0xff) << 8) | (data[at + header + 1] & 0xff) : 1005);
            }
            at += header + (int) n;
        }
        return new ServerFrames(codes, true, null);
    }

    // ---- sockets ------------------------------------------------------------------------------

    private Socket open() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", dock.port()), SO_TIMEOUT_MS);
            s.setSoTimeout(SO_TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** @return false when the server had already closed (reset, broken pipe) */
    private static boolean write(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean shutdownOutput(Socket s) {
        try {
            s.shutdownOutput();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops the connection with a TCP reset. */
    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    /**
     * Reads until the server closes, keeping at most {@code keep} bytes. A reset counts as the
     * close.
     *
     * @throws SocketTimeoutException if the server neither closes nor sends for the socket timeout
     */
    private static byte[] readToEof(Socket s, int keep) throws SocketTimeoutException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2L * SO_TIMEOUT_MS);
        try {
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, Math.max(0, Math.min(n, keep - out.size())));
                if (System.nanoTime() > until) {
                    throw new SocketTimeoutException("still sending after " + 2 * SO_TIMEOUT_MS + " ms");
                }
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // reset: the server is gone, which is what this waits for
        }
        return out.toByteArray();
    }

    private static String readHead(Socket s) throws IOException {
        StringBuilder head = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n") && head.length() < 16 * 1024) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** @return null, or the 5xx answer (501 and 505 aside: a transfer coding or version it does not speak) */
    private String noServerError(Kind kind, byte[] answer) {
        Matcher m = STATUS.matcher(new String(answer, StandardCharsets.ISO_8859_1));
        boolean any = false;
        while (m.find()) {
            any = true;
            int status = Integer.parseInt(m.group(1));
            count(kind + " " + status);
            if (status >= 500 && status != 501 && status != 505) {
                return "answered " + status + ": " + firstLine(Arrays.copyOfRange(answer, m.start(), answer.length));
            }
        }
        if (!any) {
            count(kind + " closed without an answer");
        }
        return null;
    }

    private static int status(byte[] answer) {
        String s = new String(answer, 0, Math.min(answer.length, 12), StandardCharsets.ISO_8859_1);
        return s.length() == 12 && s.startsWith("HTTP/1.1 ") ? Integer.parseInt(s.substring(9, 12)) : -1;
    }

    private static String firstLine(byte[] answer) {
        String s = new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.ISO_8859_1);
        int eol = s.indexOf('\r');
        return eol < 0 ? s : s.substring(0, eol);
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, x -> new LongAdder()).increment();
    }

    // ---- random data --------------------------------------------------------------------------

    private static int size(Random rnd) {
        int k = rnd.nextInt(100);
        return k < 70 ? rnd.nextInt(257) : k < 95 ? 256 + rnd.nextInt(8 * 1024) : 8 * 1024 + rnd.nextInt(MAX_MESSAGE - 8 * 1024);
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Random valid text: ASCII, controls, quotes, 2-, 3- and 4-byte characters. */
    private static String text(Random rnd, int maxChars) {
        int n = rnd.nextInt(maxChars + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(20);
            int cp = k < 9 ? 0x20 + rnd.nextInt(0x5F)
                    : k < 10 ? rnd.nextInt(0x20)
                    : k < 11 ? "\"\\<>&'\u2028\u2029".charAt(rnd.nextInt(8))
                    : k < 14 ? 0x80 + rnd.nextInt(0x780)
                    : k < 17 ? 0x800 + rnd.nextInt(0xD800 - 0x800)
                    : k < 18 ? 0xE000 + rnd.nextInt(0x2000)
                    : 0x10000 + rnd.nextInt(0x10FFFF - 0x10000);
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    private static byte[] invalidUtf8(Random rnd, String valid) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        byte[] v = valid.getBytes(StandardCharsets.UTF_8);
        byte[] b = bad[rnd.nextInt(bad.length)];
        if (rnd.nextInt(5) == 0) {
            return concat(v, new byte[] {(byte) 0xE2, (byte) 0x82});
        }
        int at = 0;
        // insert at a character boundary, so the rest stays valid and only the inserted bytes are bad
        String prefix = valid.substring(0, valid.offsetByCodePoints(0, rnd.nextInt(valid.codePointCount(0, valid.length()) + 1)));
        at = prefix.getBytes(StandardCharsets.UTF_8).length;
        return concat(Arrays.copyOf(v, at), b, Arrays.copyOfRange(v, at, v.length));
    }

    private static String token(Random rnd, int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 300); i++) {
            int c = b[i] & 0xff;
            if (c == '\r') {
                s.append("\\r");
            } else if (c == '\n') {
                s.append("\\n");
            } else if (c >= 0x20 && c < 0x7F) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > 300) {
            s.append("…(").append(b.length).append(" bytes)");
        }
        return s.toString();
    }
}
