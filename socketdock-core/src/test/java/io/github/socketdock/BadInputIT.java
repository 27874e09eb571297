package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad input gets its clear answer and harms nothing: after each one, the two sockets opened
 * before it (and before every other case: one relay serves the whole class) are still open and
 * relay, a socket opened after it relays, and — for HTTP answers other than a refused request
 * line — the same keep-alive connection serves its next request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private final CapturingBackend loopback = new CapturingBackend(Backends.loopback());
    private SocketDock dock;
    private TestClient client;
    private TestClient.Socket healthyA;
    private TestClient.Socket healthyB;
    private Connection a;

    @BeforeAll
    void start() throws Exception {
        dock = SocketDock.builder().port(0).limits(Limits.defaults().withMaxMessageSize(64 * 1024)).backend(loopback)
                .build().start();
        client = new TestClient();
    }

    /**
     * The two healthy sockets live across the whole class, so every case also proves that no
     * case before it harmed them; they are replaced only after a failed case closed them.
     */
    @BeforeEach
    void healthySockets() throws Exception {
        if (healthyA == null || healthyA.closed().isDone() || healthyB.closed().isDone()) {
            for (TestClient.Socket s : new TestClient.Socket[] {healthyA, healthyB}) {
                if (s != null && !s.closed().isDone()) {
                    s.close();
                }
            }
            soon().until(() -> dock.connectionCount() == 0);
            int seen = loopback.connections().size();
            healthyA = client.connect(ws());
            soon().until(() -> loopback.connections().size() == seen + 1);
            a = loopback.connections().get(seen);
            healthyB = client.connect(ws());
            soon().until(() -> dock.connectionCount() == 2);
        }
        healthyA.frames().clear();
        healthyB.frames().clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (dock != null) {
            dock.close();
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------

    @Test
    void aPlainGetOfTheWebSocketPathAnswers426WithUpgradeWebsocket() throws Exception {
        HttpResponse<String> answer = Http.call("GET", ws("http"));
        assertThat(answer.statusCode()).isEqualTo(426);
        assertThat(answer.headers().firstValue("Upgrade")).hasValue("websocket");

        try (RawSocket raw = new RawSocket(dock.port())) {
            String response = request(raw, "GET", "/ws", null, new byte[0]);
            assertThat(status(response)).isEqualTo(426);
            assertThat(header(response, "upgrade")).isEqualTo("websocket");
            assertStillServes(raw);
        }
        assertNothingHarmed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/ws/extra", "/wss", "/socket", "/socket/",
        "/socket/%s/", "/socket/%s/other", "/socket/%s/send/extra", "/socket/%s/disconnect/x", "/favicon.ico"})
    void anUnknownPathAnswers404(String template) throws Exception {
        String path = String.format(template, a.id());
        for (String method : List.of("GET", "POST")) {
            assertThat(Http.call(method, http(path)).statusCode()).as(method + " " + path).isEqualTo(404);
        }
        try (RawSocket raw = new RawSocket(dock.port())) {
            String response = request(raw, "POST", path, "text/plain", "not for anyone".getBytes(StandardCharsets.UTF_8));
            assertThat(status(response)).isEqualTo(404);
            assertStillServes(raw);
        }
        assertNothingHarmed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "disconnect"})
    void aWrongMethodOnACallbackRouteAnswers405WithAllowPost(String route) throws Exception {
        String path = "/socket/" + a.id() + "/" + route;
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
            HttpResponse<String> answer = Http.call(method, http(path));
            assertThat(answer.statusCode()).as(method + " " + path).isEqualTo(405);
            assertThat(answer.headers().firstValue("Allow")).as(method + " " + path).hasValue("POST");
        }
        try (RawSocket raw = new RawSocket(dock.port())) {
            String response = request(raw, "PUT", path, "text/plain", "must not be sent".getBytes(StandardCharsets.UTF_8));
            assertThat(status(response)).isEqualTo(405);
            assertThat(header(response, "allow")).isEqualTo("POST");
            assertStillServes(raw);
        }
        assertThat(a.isOpen()).isTrue();
        assertNothingHarmed();
    }

    /**
     * "Every answer but 413 reads the request body first, so the backend's keep-alive connection
     * stays usable": also when the body is still on its way as the answer is decided. The server
     * may answer at once or wait for the body; either way the connection must serve the next
     * request afterwards.
     */
    @ParameterizedTest
    @ValueSource(strings = {"PUT /socket/%s/send", "GET /socket/%s/disconnect", "POST /nope", "POST /socket/%s/other"})
    void aBodyStillInFlightWhenA404Or405IsDecidedIsReadSoTheConnectionStaysUsable(String requestLine) throws Exception {
        try (RawSocket raw = new RawSocket(dock.port())) {
            raw.write(String.format(requestLine, a.id()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
            try {
                // a server that reads the body first says nothing yet; one that answers early does so now
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofMillis(300))
                        .until(() -> raw.available() > 0);
            } catch (org.awaitility.core.ConditionTimeoutException waitingForTheBody) {
                // fine: the answer comes once the body is there
            }
            String response;
            try {
                raw.write("hello");
                response = raw.readResponse();
            } catch (IOException closed) {
                throw new AssertionError("the server closed the connection before the body was sent: " + closed, closed);
            }
            assertThat(status(response)).isIn(404, 405);
            try {
                assertStillServes(raw);
            } catch (IOException closed) {
                throw new AssertionError("after this answer, given before the body arrived, the server closed the"
                        + " connection: " + closed + "\n" + response, closed);
            }
        }
        assertNothingHarmed();
    }

    static Stream<Arguments> malformedIds() {
        return Stream.<Function<String, String>>of(
                id -> "abc",
                id -> id.substring(1),
                id -> id + "0",
                id -> id.toUpperCase(Locale.ROOT),
                id -> "g" + id.substring(1),
                id -> id.substring(0, 16) + "-" + id.substring(17),
                id -> id.substring(0, 31) + "%20",
                id -> "%C3%A9" + id.substring(1),
                id -> "0x" + id.substring(2),
                id -> "..")
                .flatMap(f -> Stream.of(Arguments.of(f, "send"), Arguments.of(f, "disconnect")));
    }

    @ParameterizedTest
    @MethodSource("malformedIds")
    void aMalformedIdAnswers404AndReachesNoConnection(Function<String, String> malform, String route) throws Exception {
        String path = "/socket/" + malform.apply(a.id()) + "/" + route;
        try (RawSocket raw = new RawSocket(dock.port())) {
            String response = request(raw, "POST", path, "text/plain", "must not be sent".getBytes(StandardCharsets.UTF_8));
            assertThat(status(response)).as(path).isEqualTo(404);
            response = request(raw, "POST", path, null, new byte[0]);
            assertThat(status(response)).as(path).isEqualTo(404);
            assertStillServes(raw);
        }
        assertNothingHarmed();
    }

    static Stream<Arguments> textNotValidInItsCharset() {
        return Stream.of(
                Arguments.of("text/plain; charset=utf-8", new byte[] {'o', 'k', (byte) 0xC3, 0x28}),
                Arguments.of("text/plain", new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'}),
                Arguments.of("text/plain; charset=UTF-8", new byte[] {'a', (byte) 0xE2, (byte) 0x82}),
                Arguments.of("text/plain; charset=\"utf-8\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("text/html; charset=us-ascii", new byte[] {'a', (byte) 0x80}),
                Arguments.of("text/plain; charset=utf-16be", new byte[] {0, 'a', 0}),
                Arguments.of("TEXT/PLAIN;charset=utf-8", new byte[] {(byte) 0xC0, (byte) 0x80}));
    }

    @ParameterizedTest
    @MethodSource("textNotValidInItsCharset")
    void aTextBodyNotValidInItsCharsetAnswers400AndSendsNothing(String contentType, byte[] body) throws Exception {
        assertThat(Http.post(a.sendUri(), contentType, body).statusCode()).isEqualTo(400);
        try (RawSocket raw = new RawSocket(dock.port())) {
            String response = request(raw, "POST", a.sendUri().getPath(), contentType, body);
            assertThat(status(response)).isEqualTo(400);
            assertThat(response).contains("not valid");
            assertStillServes(raw);
        }
        assertThat(a.isOpen()).isTrue();
        assertNothingHarmed();
    }

    @ParameterizedTest
    @ValueSource(strings = {";", ";;", ";;;"})
    void aContentTypeOfOnlySeparatorsIsAnotherTypeSoTheBodyGoesAsBinary(String contentType) throws Exception {
        try (RawSocket raw = new RawSocket(dock.port())) {
            String response = request(raw, "POST", a.sendUri().getPath(), contentType, new byte[] {1, 2, 3});
            assertThat(status(response)).as(response).isEqualTo(200);
            assertThat(healthyA.next().binary()).containsExactly(1, 2, 3);
            assertStillServes(raw);
        }
        assertNothingHarmed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"code\":", "{\"code\":1000", "not json", "{\"code\":1000}}", "[1000]", "\"bye\"",
        "42", "{\"code\":\"4000\"}", "{\"code\":1005}", "{\"code\":999}", "{\"code\":5000}", "{\"code\":1000.5}",
        "{\"code\":[1000]}", "{\"reason\":5}", "{\"reason\":{}}", "{\"code\":1000,\"reason\":\"%s\"}", "\u0000{}"})
    void aMalformedDisconnectBodyAnswers400AndTheSocketStays(String template) throws Exception {
        String body = String.format(template, "r".repeat(124));
        HttpResponse<String> answer = Http.post(a.disconnectUri(), "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(body).isEqualTo(400);
        try (RawSocket raw = new RawSocket(dock.port())) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String response = request(raw, "POST", a.disconnectUri().getPath(), "application/json", bytes);
            assertThat(status(response)).as(body).isEqualTo(400);
            assertStillServes(raw);
        }
        assertThat(a.isOpen()).isTrue();
        assertNothingHarmed();
    }

    @Test
    void aDisconnectBodyOfInvalidUtf8Answers400() throws Exception {
        byte[] body = {'{', '"', 'c', 'o', 'd', 'e', '"', ':', (byte) 0xC3, 0x28, '}'};
        assertThat(Http.post(a.disconnectUri(), "application/json", body).statusCode()).isEqualTo(400);
        assertThat(a.isOpen()).isTrue();
        assertNothingHarmed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0001\u0002 GARBAGE\r\n\r\n", "\u0000\u0000\u0000\u0000\r\n\r\n", "GET\u0007/ws HTTP/1.1\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n",
        "POST /socket/x/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
        "POST /socket/x/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"})
    void aGarbageRequestAnswers400AndClosesOnlyItsOwnConnection(String garbage) throws Exception {
        try (RawSocket raw = new RawSocket(dock.port())) {
            raw.write(garbage);
            String head = raw.readHead();
            assertThat(head).as(garbage).startsWith("HTTP/1.1 400");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertNothingHarmed();
    }

    // ---- WebSocket frames -------------------------------------------------------------------

    static Stream<Arguments> invalidUtf8Texts() {
        return Stream.of(
                Arguments.of("one frame with C3 28", List.of(RawSocket.frame(true, 1, new byte[] {(byte) 0xC3, 0x28}))),
                Arguments.of("a sequence cut at the end of the message",
                        List.of(RawSocket.frame(true, 1, new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82}))),
                Arguments.of("a sequence split over fragments, then broken",
                        List.of(RawSocket.frame(false, 1, new byte[] {'o', 'k', (byte) 0xC3}),
                                RawSocket.frame(true, 0, new byte[] {0x28}))),
                Arguments.of("an encoded surrogate",
                        List.of(RawSocket.frame(true, 1, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))),
                Arguments.of("a close reason of invalid UTF-8",
                        List.of(RawSocket.frame(true, 8, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8Texts")
    void invalidUtf8InAClientTextFrameClosesThatConnectionWith1007(String what, List<byte[]> frames) throws Exception {
        try (RawSocket raw = upgradedAndRelaying()) {
            for (byte[] f : frames) {
                raw.write(f);
            }
            assertThat(closeCode(raw)).as(what).isEqualTo(1007);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertNothingHarmed();
    }

    @Test
    void validUtf8SplitAnywhereOverFragmentsWithAPingBetweenIsRelayedWhole() throws Exception {
        byte[] text = "a€😀é".getBytes(StandardCharsets.UTF_8);
        try (RawSocket raw = upgradedAndRelaying()) {
            for (int i = 0; i < text.length; i++) {
                raw.write(RawSocket.frame(i == text.length - 1, i == 0 ? 1 : 0, new byte[] {text[i]}));
                if (i == 2) {
                    raw.write(RawSocket.frame(true, 9, new byte[] {7, 8}));
                }
            }
            byte[] pong = raw.readFrame();
            assertThat(pong).as("the pong, with the ping's payload").containsExactly(10, 7, 8);
            byte[] echo = nextDataFrame(raw);
            assertThat(echo[0]).isEqualTo((byte) 1);
            assertThat(new String(echo, 1, echo.length - 1, StandardCharsets.UTF_8)).isEqualTo("a€😀é");
        }
        assertNothingHarmed();
    }

    static Stream<Arguments> protocolViolations() {
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("RSV1 on a text frame", withFirstByte(RawSocket.frame(true, 1, hello), 0x80 | 0x40 | 1)),
                Arguments.of("RSV2 on a text frame", withFirstByte(RawSocket.frame(true, 1, hello), 0x80 | 0x20 | 1)),
                Arguments.of("RSV3 on a binary frame", withFirstByte(RawSocket.frame(true, 2, hello), 0x80 | 0x10 | 2)),
                Arguments.of("RSV bits on a ping", withFirstByte(RawSocket.frame(true, 9, hello), 0x80 | 0x70 | 9)),
                Arguments.of("reserved data opcode 3", RawSocket.frame(true, 3, hello)),
                Arguments.of("reserved data opcode 7", RawSocket.frame(true, 7, hello)),
                Arguments.of("reserved control opcode 0xB", RawSocket.frame(true, 0xB, hello)),
                Arguments.of("reserved control opcode 0xF", RawSocket.frame(true, 0xF, new byte[0])),
                Arguments.of("a continuation without a start", RawSocket.frame(true, 0, hello)),
                Arguments.of("a fragmented ping", RawSocket.frame(false, 9, hello)),
                Arguments.of("a ping over 125 bytes", RawSocket.frame(true, 9, new byte[126])),
                Arguments.of("a close with a one-byte payload", RawSocket.frame(true, 8, new byte[] {3})),
                Arguments.of("a close with code 1005", RawSocket.frame(true, 8, new byte[] {0x03, (byte) 0xED})),
                Arguments.of("a new text frame inside a fragmented one",
                        concat(RawSocket.frame(false, 1, hello), RawSocket.frame(true, 1, hello))),
                Arguments.of("an unmasked text frame", unmasked(0x80 | 1, hello)),
                Arguments.of("an unmasked binary frame", unmasked(0x80 | 2, hello)),
                Arguments.of("an unmasked ping", unmasked(0x80 | 9, hello)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolViolations")
    void aProtocolViolationClosesThatConnectionWith1002(String what, byte[] bytes) throws Exception {
        try (RawSocket raw = upgradedAndRelaying()) {
            raw.write(bytes);
            assertThat(closeCode(raw)).as(what).isEqualTo(1002);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertNothingHarmed();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A raw socket, upgraded, that has shown it relays: one text frame echoed back. */
    private RawSocket upgradedAndRelaying() throws Exception {
        RawSocket raw = new RawSocket(dock.port());
        assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
        soon().until(() -> dock.connectionCount() == 3);
        raw.write(RawSocket.frame(true, 1, "before".getBytes(StandardCharsets.UTF_8)));
        byte[] echo = nextDataFrame(raw);
        assertThat(echo[0]).isEqualTo((byte) 1);
        assertThat(new String(echo, 1, echo.length - 1, StandardCharsets.UTF_8)).isEqualTo("before");
        return raw;
    }

    private static byte[] nextDataFrame(RawSocket raw) throws IOException {
        while (true) {
            byte[] f = raw.readFrame();
            if (f[0] != 9 && f[0] != 10) {
                return f;
            }
        }
    }

    /** @return the code of the next close frame, failing if a data frame comes first */
    private static int closeCode(RawSocket raw) throws IOException {
        byte[] f = nextDataFrame(raw);
        assertThat(f[0]).as("opcode of the frame after the bad input").isEqualTo((byte) 8);
        return f.length >= 3 ? ((f[1] & 0xff) << 8) | (f[2] & 0xff) : 1005;
    }

    private static byte[] withFirstByte(byte[] frame, int b0) {
        frame[0] = (byte) b0;
        return frame;
    }

    private static byte[] unmasked(int b0, byte[] payload) {
        byte[] f = new byte[payload.length + 2];
        f[0] = (byte) b0;
        f[1] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 2, payload.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * The sockets opened before are still open, nothing stray reached them, and each relays; a
     * socket opened now relays too; and the open count is back to the two healthy ones.
     */
    private void assertNothingHarmed() throws Exception {
        soon().until(() -> dock.connectionCount() == 2);
        for (TestClient.Socket s : List.of(healthyA, healthyB)) {
            assertThat(s.closed()).as("a healthy socket was closed").isNotDone();
            String token = "still relaying " + UUID.randomUUID();
            s.sendText(token);
            assertThat(s.nextText()).isEqualTo(token);
            assertThat(s.frames()).as("stray frames on a healthy socket").isEmpty();
        }
        assertThat(a.isOpen()).isTrue();
        TestClient.Socket fresh = client.connect(ws());
        fresh.sendBinary(new byte[] {1, 2, (byte) 0xFF});
        assertThat(fresh.next().binary()).containsExactly(1, 2, 0xFF);
        assertThat(fresh.close().code()).isEqualTo(1000);
        soon().until(() -> dock.connectionCount() == 2);
        assertThat(healthyA.closed()).isNotDone();
        assertThat(healthyB.closed()).isNotDone();
    }

    /** On a keep-alive connection that just got a 4xx: a send to socket A is still served on it. */
    private void assertStillServes(RawSocket raw) throws Exception {
        String token = "same connection " + UUID.randomUUID();
        String response = request(raw, "POST", a.sendUri().getPath(), "text/plain; charset=utf-8",
                token.getBytes(StandardCharsets.UTF_8));
        assertThat(status(response)).as("the next request on the same connection").isEqualTo(200);
        assertThat(healthyA.nextText()).isEqualTo(token);
    }

    private static String request(RawSocket raw, String method, String path, String contentType, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        // one write, as a client library sends a small request: the body arrives with the head
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        whole.writeBytes(body);
        raw.write(whole.toByteArray());
        return raw.readResponse();
    }

    private static int status(String response) {
        assertThat(response).startsWith("HTTP/1.1 ");
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** Awaits with a short poll, so that the many cases here do not each wait out a poll interval. */
    private static ConditionFactory soon() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10));
    }

    private URI ws() {
        return ws("ws");
    }

    private URI ws(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + dock.port() + "/ws");
    }

    private URI http(String path) {
        return URI.create("http://127.0.0.1:" + dock.port() + path);
    }
}
