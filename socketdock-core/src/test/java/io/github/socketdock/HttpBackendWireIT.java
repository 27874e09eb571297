package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer.Recorded;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.ManualTicker;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wire protocol of the http backend, field for field, against a real backend and client, with
 * SocketDock on a server of its own. {@code MountedHttpBackendWireIT} (socketdock-jetty) runs the
 * same tests against a SocketDock mounted on a host's Jetty server, through the hooks below.
 */
class HttpBackendWireIT {

    @RegisterExtension
    final Closer closer = new Closer();

    protected RecordingBackendServer backend;
    protected SocketDock dock;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        dock = closer.add(dockWith(options()));
        client = closer.add(new TestClient());
    }

    private HttpBackendOptions.Builder options() {
        return HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect"))
                .disconnectUri(backend.uri("/disconnect"));
    }

    private SocketDock dockWith(HttpBackendOptions.Builder options) {
        return start(SocketDock.builder().backend(Backends.http(options.build())));
    }

    /** With the relay's time on {@code ticker}: the ordering window passes only when the test moves it. */
    private SocketDock dockWith(HttpBackendOptions.Builder options, ManualTicker ticker) {
        return start(SocketDock.builder().backend(Backends.http(options.build())).ticker(ticker));
    }

    /** Hook: starts the relay under test, here on a server of its own at a free port. */
    protected SocketDock start(SocketDock.Builder builder) {
        return builder.port(0).build().start();
    }

    /** Hook: the path of a relay route, {@code /ws} or {@code /socket/…}: here as it is. */
    protected String route(String path) {
        return path;
    }

    /** Hook: the port the callback routes are served on: here the one port. */
    protected int controlPort() {
        return dock.port();
    }

    /** Hook: the endpoint the relay must report: here derived from its port. */
    protected URI expectedEndpoint() {
        return URI.create("http://127.0.0.1:" + dock.port());
    }

    /** Lets held answers go before the closer closes the dock, which would wait for them. */
    @AfterEach
    void releaseHeldAnswers() {
        backend.releaseHeld();
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + dock.port() + route("/ws"));
    }

    /** Connects and returns the socket and its id, read from the connect POST. */
    private String connect(TestClient.Socket[] out) throws Exception {
        int before = backend.requests("/connect").size();
        out[0] = client.connect(ws());
        return backend.await("/connect", before + 1).get(before).json().getAsJsonObject("meta")
                .get("connection_id").getAsString();
    }

    @Test
    void everyRequestCarriesItsConnectionAndEventIdsAndEveryMessageItsNumber() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        for (int i = 1; i <= 3; i++) {
            s[0].sendText("m" + i);
        }
        List<RecordingBackendServer.Recorded> messages = backend.await("/message", 3);
        s[0].close();
        RecordingBackendServer.Recorded connect = backend.await("/connect", 1).get(0);
        RecordingBackendServer.Recorded disconnect = backend.await("/disconnect", 1).get(0);
        Set<String> eventIds = new java.util.HashSet<>();
        for (RecordingBackendServer.Recorded r : List.of(connect, messages.get(0), messages.get(1), messages.get(2), disconnect)) {
            assertThat(r.header("SocketDock-Connection-Id")).as(r.path()).isEqualTo(id);
            assertThat(r.header("SocketDock-Message-Id")).as(r.path()).matches("msg_[0-9a-f]{32}");
            eventIds.add(r.header("SocketDock-Message-Id"));
        }
        assertThat(eventIds).as("one id per event").hasSize(5);
        for (int i = 0; i < 3; i++) {
            assertThat(messages.get(i).json().get("message").getAsString()).isEqualTo("m" + (i + 1));
            assertThat(messages.get(i).header("SocketDock-Sequence")).isEqualTo(Integer.toString(i + 1));
        }
        assertThat(connect.header("SocketDock-Sequence")).isNull();
        assertThat(disconnect.header("SocketDock-Sequence")).isNull();
    }

    @Test
    void aRetriedMessageKeepsItsIdAndNumber() throws Exception {
        backend.answerInTurn("/message", 503);
        dock.close();
        dock = closer.add(dockWith(options().retry(Retry.defaults().withBackoff(Duration.ofMillis(10)))));
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        s[0].sendText("once");
        s[0].sendText("twice");
        List<RecordingBackendServer.Recorded> tries = backend.await("/message", 3);
        assertThat(tries.get(0).json().get("message").getAsString()).isEqualTo("once");
        assertThat(tries.get(1).json().get("message").getAsString()).as("the 503 holds the next one back").isEqualTo("once");
        assertThat(tries.get(1).header("SocketDock-Message-Id")).isEqualTo(tries.get(0).header("SocketDock-Message-Id"));
        assertThat(tries.get(1).header("SocketDock-Sequence")).isEqualTo("1");
        assertThat(tries.get(2).header("SocketDock-Sequence")).isEqualTo("2");
        assertThat(tries.get(2).header("SocketDock-Message-Id")).isNotEqualTo(tries.get(0).header("SocketDock-Message-Id"));
    }

    @Test
    void connectPostCarriesCallbackUrlsLowerCasedHeadersAndId() throws Exception {
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        upgrade.setHeader("X-Agent-Label", "Alice");
        upgrade.setHeader("X-Repeated", List.of("first", "last"));
        client.connect(ws(), upgrade);

        Recorded connect = backend.await("/connect", 1).get(0);
        assertThat(connect.method()).isEqualTo("POST");
        assertThat(connect.header("content-type")).startsWith("application/json");
        JsonObject body = connect.json();
        assertThat(body.keySet()).containsExactly("meta");
        JsonObject meta = body.getAsJsonObject("meta");
        assertThat(meta.keySet()).containsExactlyInAnyOrder("send", "disconnect", "headers", "connection_id", "remote");
        assertThat(meta.get("remote").getAsString()).isEqualTo("127.0.0.1");
        String id = meta.get("connection_id").getAsString();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(meta.get("send").getAsString()).isEqualTo(dock.endpoint() + "/socket/" + id + "/send");
        assertThat(meta.get("disconnect").getAsString()).isEqualTo(dock.endpoint() + "/socket/" + id + "/disconnect");
        assertThat(dock.endpoint()).isEqualTo(expectedEndpoint());
        JsonObject headers = meta.getAsJsonObject("headers");
        assertThat(headers.keySet()).allMatch(name -> name.equals(name.toLowerCase()));
        assertThat(headers.get("x-agent-label").getAsString()).isEqualTo("Alice");
        assertThat(headers.get("upgrade").getAsString()).isEqualToIgnoringCase("websocket");
        assertThat(headers.get("host").getAsString()).isEqualTo("127.0.0.1:" + dock.port());
        assertThat(headers.get("x-repeated").getAsString()).endsWith("last");
    }

    @Test
    void aHeaderSentOnSeveralLinesReportsItsLastValue() throws Exception {
        try (RawSocket raw = new RawSocket(dock.port())) {
            assertThat(raw.upgradeAt(route("/ws"), "X-Repeated: first", "X-REPEATED: second", "x-repeated: last")).startsWith("HTTP/1.1 101");
            JsonObject headers = backend.await("/connect", 1).get(0).json().getAsJsonObject("meta").getAsJsonObject("headers");
            assertThat(headers.get("x-repeated").getAsString()).isEqualTo("last");
        }
    }

    @Test
    void everyConnectionGetsANewId() throws Exception {
        for (int i = 0; i < 25; i++) {
            client.connect(ws());
        }
        List<Recorded> connects = backend.await("/connect", 25);
        Set<String> ids = new HashSet<>();
        for (Recorded r : connects) {
            ids.add(r.json().getAsJsonObject("meta").get("connection_id").getAsString());
        }
        assertThat(ids).hasSize(25).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void textMessageIsPostedWithMetaAndMessage() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        s[0].sendText("hello mediator");

        Recorded posted = backend.await("/message", 1).get(0);
        assertThat(posted.header("content-type")).startsWith("application/json");
        JsonObject body = posted.json();
        assertThat(body.keySet()).containsExactlyInAnyOrder("meta", "message");
        JsonObject meta = body.getAsJsonObject("meta");
        assertThat(meta.keySet()).containsExactlyInAnyOrder("send", "disconnect", "connection_id");
        assertThat(meta.get("connection_id").getAsString()).isEqualTo(id);
        assertThat(meta.get("send").getAsString()).isEqualTo(dock.endpoint() + "/socket/" + id + "/send");
        assertThat(meta.get("disconnect").getAsString()).isEqualTo(dock.endpoint() + "/socket/" + id + "/disconnect");
        assertThat(body.get("message").getAsString()).isEqualTo("hello mediator");
    }

    @Test
    void nonAsciiTextArrivesIntactWithoutHtmlEscaping() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        String text = "héllo ✓ 日本 🚀 <b>&'\"\\ \n\t";
        s[0].sendText(text);

        Recorded r = backend.await("/message", 1).get(0);
        assertThat(r.json().get("message").getAsString()).isEqualTo(text);
        assertThat(r.text()).contains("<b>&'").doesNotContain("\\u003c").doesNotContain("\\u0026");
    }

    @Test
    void binaryFrameOfValidUtf8IsPostedAsStringMarkedBinary() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        s[0].sendBinary("{\"@type\":\"ping ✓\"}".getBytes(StandardCharsets.UTF_8));

        JsonObject body = backend.await("/message", 1).get(0).json();
        assertThat(body.getAsJsonObject("meta").get("frame").getAsString()).isEqualTo("binary");
        assertThat(body.get("message").getAsString()).isEqualTo("{\"@type\":\"ping ✓\"}");
        assertThat(body.has("encoding")).isFalse();
    }

    @Test
    void binaryFrameThatIsNotUtf8IsPostedAsPaddedBase64() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41, (byte) 0xc3};
        s[0].sendBinary(bytes);

        JsonObject body = backend.await("/message", 1).get(0).json();
        assertThat(body.getAsJsonObject("meta").get("frame").getAsString()).isEqualTo("binary");
        assertThat(body.get("encoding").getAsString()).isEqualTo("base64");
        assertThat(body.get("message").getAsString()).isEqualTo("//4AQcM=");
        assertThat(Base64.getDecoder().decode(body.get("message").getAsString())).isEqualTo(bytes);
    }

    @Test
    void emptyFramesAreRelayedAsEmptyMessagesInOrder() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        s[0].sendText("");
        s[0].sendBinary(new byte[0]);
        s[0].sendText("after");

        List<Recorded> messages = backend.await("/message", 3);
        assertThat(messages).extracting(m -> m.json().get("message").getAsString()).containsExactly("", "", "after");
    }

    @Test
    void threeMebibyteMessageArrivesIntact() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        char[] chars = new char[3 * 1024 * 1024];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('a' + i % 26);
        }
        String big = new String(chars);
        s[0].sendText(big);

        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo(big);
    }

    @Test
    void orderOfAThousandMessagesIsKept() throws Exception {
        // this backend answers at once: each message waits for the previous answer to begin. The
        // ordering window never passes on a manual ticker, so that is the only rule here, however
        // loaded the machine (a held answer is the window's case, tested below)
        dock.close();
        dock = closer.add(dockWith(options(), new ManualTicker()));
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        for (int i = 0; i < 1000; i++) {
            s[0].sendText("m" + i);
        }
        List<Recorded> messages = backend.await("/message", 1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(messages.get(i).json().get("message").getAsString()).isEqualTo("m" + i);
        }
    }

    @Test
    void orderIsKeptWhileTheBackendHoldsEveryAnswer() throws Exception {
        // with every answer held, only the ordering window lets the next message go: each one
        // goes only once the test moves the relay's time past the window
        dock.close();
        ManualTicker ticker = new ManualTicker();
        dock = closer.add(dockWith(options().orderingWindow(Duration.ofMillis(50)), ticker));
        backend.holdAnswers("/message");
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        Duration window = Duration.ofMillis(50);
        long[] before = {ticker.dueIn(window)}; // what falls due when the first window would pass
        for (int i = 0; i < 24; i++) {
            s[0].sendText("held " + i);
        }
        for (int i = 1; i < 24; i++) {
            backend.await("/message", i);
            await().until(() -> ticker.dueIn(window) > before[0]); // the window of message i started
            ticker.advance(Duration.ofMillis(49));
            assertThat(backend.requests("/message")).as("49 ms: the window has not passed").hasSize(i);
            before[0] = ticker.dueIn(window.plusMillis(1));
            ticker.advance(Duration.ofMillis(1));
        }
        List<Recorded> messages = backend.await("/message", 24);
        for (int i = 0; i < 24; i++) {
            assertThat(messages.get(i).json().get("message").getAsString()).isEqualTo("held " + i);
        }
    }

    @Test
    void anAnswerHeldLongerThanThePoolIdleTimeIsStillAwaited() throws Exception {
        backend.holdAnswers("/message");
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        s[0].sendText("answer held for a while");
        backend.await("/message", 1);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10))
                .until(() -> backend.heldCount() == 1 && dock.stats().abandonedAnswers() == 0);
        backend.releaseHeld();
        s[0].sendText("next");
        backend.await("/message", 2);
        assertThat(dock.stats().abandonedAnswers()).isZero();
        assertThat(s[0].closed()).isNotDone();
    }

    @Test
    void earlyErrorAnswersKeepTheBackendsConnectionOpenForItsNextRequest() throws Exception {
        try (RawSocket raw = new RawSocket(controlPort())) {
            String body = "x".repeat(60_000);
            for (String path : List.of(route("/socket/" + "0".repeat(32) + "/send"), route("/socket/bad/send"),
                    route("/socket/" + "0".repeat(32) + "/disconnect"))) {
                raw.write("POST " + path + " HTTP/1.1\r\nHost: relay\r\nContent-Type: text/plain\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body);
                String answer = raw.readResponse();
                assertThat(answer).as(path).startsWith(path.contains("bad") ? "HTTP/1.1 404" : "HTTP/1.1 410");
                assertThat(answer.toLowerCase()).doesNotContain("connection: close");
            }
        }
    }

    @Test
    void aRefusalDoesNotReadALargeBodyAndSaysTheConnectionCloses() throws Exception {
        try (RawSocket raw = new RawSocket(controlPort())) {
            raw.write("POST " + route("/socket/" + "0".repeat(32) + "/send") + " HTTP/1.1\r\nHost: relay\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 1000000\r\n\r\n" + "x".repeat(1000));
            String answer = raw.readResponse();
            assertThat(answer).startsWith("HTTP/1.1 410");
            assertThat(answer.toLowerCase()).contains("connection: close");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aChunkedSendBodyOverTheMaximumAnswers413() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        try (RawSocket raw = new RawSocket(controlPort())) {
            StringBuilder req = new StringBuilder("POST " + route("/socket/" + id + "/send") + " HTTP/1.1\r\nHost: relay\r\n"
                    + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "y".repeat(65536);
            for (int i = 0; i < 65; i++) {
                req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            req.append("0\r\n\r\n");
            raw.write(req.toString());
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 413").contains("4194304");
        }
        assertThat(Http.postText(sendUri(id), "still open").statusCode()).isEqualTo(200);
        assertThat(s[0].nextText()).isEqualTo("still open");
    }

    @Test
    void disconnectIsPostedWhenTheClientCloses() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        s[0].close();

        Recorded posted = backend.await("/disconnect", 1).get(0);
        assertThat(posted.header("content-type")).startsWith("application/json");
        JsonObject body = posted.json();
        assertThat(body.keySet()).containsExactlyInAnyOrder("connection_id", "code", "reason");
        assertThat(body.get("connection_id").getAsString()).isEqualTo(id);
        assertThat(body.get("code").getAsInt()).isEqualTo(1000);
        assertThat(body.get("reason").getAsString()).isEqualTo("bye");
        await().until(() -> dock.connection(id).isEmpty());
    }

    @Test
    void disconnectIsPostedWhenTheClientVanishes() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        s[0].abort();

        JsonObject body = backend.await("/disconnect", 1).get(0).json();
        assertThat(body.get("connection_id").getAsString()).isEqualTo(id);
        assertThat(body.get("code").getAsInt()).isEqualTo(CloseStatus.ABNORMAL);
    }

    @Test
    void sendWithTextPlainUtf8ArrivesAsTextFrame() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        HttpResponse<String> answer = Http.post(sendUri(id), "text/plain; charset=utf-8",
                "grüße ✓".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("OK");
        assertThat(s[0].nextText()).isEqualTo("grüße ✓");
    }

    @Test
    void sendHonoursTheCharsetOfATextType() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        assertThat(Http.post(sendUri(id), "text/plain;charset=ISO-8859-1", "café".getBytes(StandardCharsets.ISO_8859_1))
                .statusCode()).isEqualTo(200);
        assertThat(Http.post(sendUri(id), "text/markdown", "no charset means UTF-8 ✓".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
        assertThat(s[0].nextText()).isEqualTo("café");
        assertThat(s[0].nextText()).isEqualTo("no charset means UTF-8 ✓");
    }

    @Test
    void sendWithDidcommEnvelopeTypeArrivesAsBinaryFrameWithIdenticalBytes() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        byte[] envelope = new byte[70_000];
        for (int i = 0; i < envelope.length; i++) {
            envelope[i] = (byte) (i * 31);
        }
        assertThat(Http.post(sendUri(id), "application/didcomm-envelope-enc", envelope).statusCode()).isEqualTo(200);
        assertThat(Http.post(sendUri(id), null, new byte[] {1, 2, 3}).statusCode()).isEqualTo(200);

        TestClient.Frame frame = s[0].next();
        assertThat(frame.isText()).isFalse();
        assertThat(frame.binary()).isEqualTo(envelope);
        assertThat(s[0].next().binary()).isEqualTo(new byte[] {1, 2, 3});
    }

    @Test
    void sendOfUndecodableTextAnswers400AndLeavesTheSocketOpen() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        HttpResponse<String> answer = Http.post(sendUri(id), "text/plain; charset=utf-8", new byte[] {(byte) 0xff, 0x41});
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(Http.post(sendUri(id), "text/plain; charset=x-no-such-charset", new byte[] {0x41}).statusCode())
                .isEqualTo(415);
        assertThat(Http.postText(sendUri(id), "still open").statusCode()).isEqualTo(200);
        assertThat(s[0].nextText()).isEqualTo("still open");
    }

    @Test
    void sendToUnknownConnectionAnswers410AndMalformedIdAnswers404() {
        URI base = dock.endpoint();
        assertThat(Http.postText(URI.create(base + "/socket/" + "0".repeat(32) + "/send"), "x").statusCode()).isEqualTo(410);
        assertThat(Http.post(URI.create(base + "/socket/" + "0".repeat(32) + "/disconnect"), null, new byte[0]).statusCode())
                .isEqualTo(410);
        assertThat(Http.postText(URI.create(base + "/socket/not-an-id/send"), "x").statusCode()).isEqualTo(404);
        assertThat(Http.postText(URI.create(base + "/socket/" + "A".repeat(32) + "/send"), "x").statusCode()).isEqualTo(404);
        assertThat(Http.call("GET", URI.create(base + "/socket/" + "0".repeat(32) + "/send")).statusCode()).isEqualTo(405);
        assertThat(Http.call("GET", URI.create(base + "/nothing-here")).statusCode()).isEqualTo(404);
    }

    @Test
    void sendToAClosedConnectionAnswers410() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        s[0].close();
        backend.await("/disconnect", 1);
        assertThat(Http.postText(sendUri(id), "too late").statusCode()).isEqualTo(410);
    }

    @Test
    void disconnectRouteClosesWith1000AndThePostFollows() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        assertThat(Http.post(disconnectUri(id), null, new byte[0]).statusCode()).isEqualTo(200);

        assertThat(s[0].closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1000);
        JsonObject body = backend.await("/disconnect", 1).get(0).json();
        assertThat(body.get("connection_id").getAsString()).isEqualTo(id);
        assertThat(body.get("code").getAsInt()).isEqualTo(1000);
    }

    @Test
    void aDisconnectWhileTheSocketIsNotBeingReadStillCompletesAndIsPosted() throws Exception {
        dock.close();
        // its answer held and the ordering window never passing (a manual ticker), the first
        // message is never delivered: the socket is not read on
        dock = closer.add(dockWith(options(), new ManualTicker()));
        backend.holdAnswers("/message");
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        s[0].sendText("held");
        s[0].sendText("waits for the first to be delivered, so the socket is not read");
        backend.await("/message", 1);
        assertThat(Http.post(disconnectUri(id), "application/json", "{\"code\":4002}".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);

        assertThat(s[0].closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(4002);
        backend.releaseHeld();
        JsonObject disconnect = backend.await("/disconnect", 1).get(0).json();
        assertThat(disconnect.get("code").getAsInt()).isEqualTo(4002);
        await().until(() -> dock.connectionCount() == 0);
    }

    @Test
    void disconnectRouteTakesCodeAndReasonFromAJsonBody() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        assertThat(Http.post(disconnectUri(id), "application/json", "{\"code\":4001,\"reason\":\"session ended\"}"
                .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);

        TestClient.Closed closed = s[0].closed().get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(4001);
        assertThat(closed.reason()).isEqualTo("session ended");
        JsonObject body = backend.await("/disconnect", 1).get(0).json();
        assertThat(body.get("code").getAsInt()).isEqualTo(4001);
        assertThat(body.get("reason").getAsString()).isEqualTo("session ended");
    }

    @Test
    void disconnectRouteRefusesABadBodyWith400AndKeepsTheSocket() throws Exception {
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        for (String bad : List.of("{\"code\":1006}", "{\"code\":\"x\"}", "not json", "[1]", "{\"reason\":5}")) {
            HttpResponse<String> answer = Http.post(disconnectUri(id), "application/json", bad.getBytes(StandardCharsets.UTF_8));
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.body()).isNotBlank();
        }
        assertThat(Http.postText(sendUri(id), "alive").statusCode()).isEqualTo(200);
        assertThat(s[0].nextText()).isEqualTo("alive");
    }

    @Test
    void sendDuringTheConnectPostReachesTheClient() throws Exception {
        backend.onRequest(r -> {
            if (r.path().equals("/connect")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                assertThat(Http.postText(URI.create(send), "welcome").statusCode()).isEqualTo(200);
            }
        });
        TestClient.Socket socket = client.connect(ws());
        assertThat(socket.nextText()).isEqualTo("welcome");
    }

    @Test
    void heldOpenAnswerStallsNeitherTheNextMessageNorSend() throws Exception {
        backend.holdAnswers("/message");
        TestClient.Socket[] s = new TestClient.Socket[1];
        String id = connect(s);
        s[0].sendText("first, answer held");
        s[0].sendText("second");
        s[0].sendText("third");

        List<Recorded> messages = backend.await("/message", 3);
        assertThat(messages).extracting(r -> r.json().get("message").getAsString())
                .containsExactly("first, answer held", "second", "third");
        assertThat(backend.heldCount()).isEqualTo(3);
        assertThat(Http.postText(sendUri(id), "reply while answers are held").statusCode()).isEqualTo(200);
        assertThat(s[0].nextText()).isEqualTo("reply while answers are held");
    }

    /**
     * Credo's SocketDock transport never ends the answer of a return-route message and sends its
     * reply through {@code meta.send}; wallets ask for return routes on every message. Past 64
     * such messages one socket used to stop being read until the backend timeout.
     */
    @Test
    void aBackendThatNeverEndsItsAnswersGetsEveryMessageInOrderAndRepliesFlow() throws Exception {
        ManualTicker ticker = new ManualTicker();
        dock.close();
        dock = closer.add(dockWith(options(), ticker));
        backend.holdAnswers("/message");
        backend.onRequest(r -> {
            if (r.path().equals("/message")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                Http.postText(URI.create(send), "reply to " + r.json().get("message").getAsString());
            }
        });
        TestClient.Socket[] s = new TestClient.Socket[1];
        connect(s);
        int n = 100;
        Duration window = Duration.ofMillis(50);
        long[] before = {ticker.dueIn(window)}; // what falls due when the first window would pass
        for (int i = 0; i < n; i++) {
            s[0].sendText("m" + i);
        }
        for (int i = 0; i < n; i++) {
            backend.await("/message", i + 1);
            // the backend answered it through the callback (its own answer is held) ...
            assertThat(s[0].nextText()).isEqualTo("reply to m" + i);
            if (i + 1 < n) {
                // ... and its ordering window, started once the request was written whole (a
                // moment after the backend read it), lets the next message go when it passes
                await().until(() -> ticker.dueIn(window) > before[0]);
                before[0] = ticker.dueIn(window.multipliedBy(2));
                ticker.advance(window);
            }
        }
        assertThat(backend.requests("/message")).extracting(r -> r.json().get("message").getAsString())
                .isEqualTo(java.util.stream.IntStream.range(0, n).mapToObj(i -> "m" + i).toList());
        // the backend holds an answer a moment after it recorded the request
        await().until(() -> backend.heldCount() == n);
        assertThat(dock.stats().abandonedAnswers()).isZero();
    }

    @Test
    void aHundredSocketsWithHeldAnswersDoNotStallOtherSockets() throws Exception {
        dock.close();
        // 150 pooled connections: held answers may take three quarters, 112, so the 100 held here
        // and the pings under way are all kept
        dock = closer.add(dockWith(options().maxConnections(150)));
        backend.holdAnswers(r -> r.path().equals("/message") && r.json().get("message").getAsString().startsWith("hold"));
        backend.onRequest(r -> {
            if (r.path().equals("/message") && r.json().get("message").getAsString().startsWith("ping")) {
                String send = r.json().getAsJsonObject("meta").get("send").getAsString();
                Http.postText(URI.create(send), "pong:" + r.json().get("message").getAsString());
            }
        });
        TestClient.Socket[] held = new TestClient.Socket[100];
        for (int i = 0; i < held.length; i++) {
            held[i] = client.connect(ws());
            held[i].sendText("hold " + i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.heldCount() == 100);

        TestClient.Socket[] others = new TestClient.Socket[5];
        for (int i = 0; i < others.length; i++) {
            others[i] = client.connect(ws());
        }
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < others.length; i++) {
                others[i].sendText("ping " + i + "/" + round);
            }
            for (int i = 0; i < others.length; i++) {
                assertThat(others[i].nextText()).isEqualTo("pong:ping " + i + "/" + round);
            }
        }
        assertThat(backend.heldCount()).isEqualTo(100);
        held[0].sendText("ping 0/held");
        assertThat(held[0].nextText()).isEqualTo("pong:ping 0/held");
        backend.releaseHeld();
        await().until(() -> backend.requests("/message").size() == 151);
        assertThat(dock.stats().abandonedAnswers()).isZero();
        assertThat(dock.stats().undeliveredMessages()).isZero();
    }

    private URI sendUri(String id) {
        return URI.create(dock.endpoint() + "/socket/" + id + "/send");
    }

    private URI disconnectUri(String id) {
        return URI.create(dock.endpoint() + "/socket/" + id + "/disconnect");
    }

}
