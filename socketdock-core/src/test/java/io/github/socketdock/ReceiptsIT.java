package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.TcpForwarder;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.CapturingBackend;
import io.github.socketdock.harness.ManualTicker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Receipts, liveness and the dead-socket policy, end to end: a real client, reached through a TCP
 * forwarder that can stop forwarding (a half-open, "phantom" socket), and the callback routes
 * over real HTTP. The relay's time is a {@link ManualTicker}: a receipt's or a probe's timeout
 * passes when the test moves it.
 */
class ReceiptsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final Closer closer = new Closer();

    private final ManualTicker ticker = new ManualTicker();
    private final CapturingBackend backend = new CapturingBackend(Backends.loopback());
    private SocketDock dock;
    private TcpForwarder net;

    private void start(KeepAlive keepAlive) throws Exception {
        dock = closer.add(SocketDock.builder().host("127.0.0.1").port(0).backend(backend).ticker(ticker)
                .keepAlive(keepAlive).build().start());
        net = closer.add(TcpForwarder.to(dock.uri().getPort()));
    }

    /** @return a client connected through the forwarder, and its connection as the relay sees it */
    private TestClient.Socket connect() throws Exception {
        TestClient client = closer.add(new TestClient());
        int before = backend.connections().size();
        TestClient.Socket s = client.connect(URI.create("ws://127.0.0.1:" + net.port() + "/ws"));
        await().atMost(WAIT).until(() -> backend.connections().size() > before);
        return s;
    }

    private Connection connection() {
        return backend.connections().get(backend.connections().size() - 1);
    }

    private URI route(String path) {
        return URI.create("http://127.0.0.1:" + dock.uri().getPort() + "/socket/" + connection().id() + path);
    }

    private CompletableFuture<HttpResponse<String>> post(String query, String text) {
        return HTTP.sendAsync(HttpRequest.newBuilder(route("/send" + query)).timeout(WAIT)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(text)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Waits until the relay scheduled a timer due exactly {@code in} from now (a receipt's, a probe's). */
    private void awaitTimer(Duration in, long before) {
        await().atMost(WAIT).until(() -> ticker.dueIn(in) > before);
    }

    /**
     * Makes a request whose answer waits for a timer of the relay's due {@code timer} from now,
     * checks it is not answered before, and moves the clock to it.
     *
     * @return the answer
     */
    private <T> T afterItsTimer(Duration timer, Callable<CompletableFuture<T>> request) throws Exception {
        long before = ticker.dueIn(timer);
        CompletableFuture<T> pending = request.call();
        awaitTimer(timer, before);
        assertThat(pending).as("not answered before its time").isNotDone();
        ticker.advance(timer);
        return pending.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aReceiptedSendIsDeliveredWhileForwardingAndTimesOutOnceThePathBlackholes() throws Exception {
        start(KeepAlive.defaults());
        TestClient.Socket s = connect();

        HttpResponse<String> delivered = post("?receipt=5s", "hello").get(30, TimeUnit.SECONDS);
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        assertThat(delivered.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(delivered).get("delivered").getAsBoolean()).isTrue();
        assertThat(json(delivered).get("rtt_ms").getAsDouble()).as("on the relay's clock, which the test holds").isZero();
        assertThat(s.nextText()).isEqualTo("hello");

        net.blackhole();
        HttpResponse<String> timedOut = afterItsTimer(Duration.ofMillis(2345), () -> post("?receipt=2345ms", "into the void"));
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(timedOut.body()).isEqualTo("{\"delivered\":false,\"reason\":\"timeout\"}");
        assertThat(connection().isOpen()).as("without the dead-socket policy, the socket stays").isTrue();

        // a plain send is unchanged: 200 once queued, even into the void
        assertThat(post("", "queued only").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatNeverReadsGetsATimeoutNeverADelivery() throws Exception {
        start(KeepAlive.defaults());
        try (RawSocket raw = closer.add(new RawSocket(dock.uri().getPort()).smallReceiveBuffer())) {
            raw.upgrade();
            await().atMost(WAIT).until(() -> !backend.connections().isEmpty());
            HttpResponse<String> r = afterItsTimer(Duration.ofMillis(1234), () -> post("?receipt=1234ms", "x".repeat(1000)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
        }
    }

    @Test
    void aSocketThatClosesBeforeTheProofAnswers410() throws Exception {
        start(KeepAlive.defaults().withPingTimeout(Duration.ofSeconds(5)));
        connect();
        net.blackhole();
        Duration wait = Duration.ofSeconds(30);
        long before = ticker.dueIn(wait);
        CompletableFuture<HttpResponse<String>> pending = post("?receipt=30s", "never proven");
        awaitTimer(wait, before);
        connection().close(1000, "bye"); // the close reply never comes back: dropped after the ping timeout
        ticker.advance(Duration.ofSeconds(6));
        HttpResponse<String> r = pending.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.body()).isEqualTo("{\"delivered\":false,\"reason\":\"closed\"}");
    }

    @Test
    void aLongerWaitIsClampedToTheMaximumAndAZeroOrBadOneIs400() throws Exception {
        start(KeepAlive.defaults().withMaxReceiptWait(Duration.ofSeconds(3)));
        connect();
        assertThat(post("?receipt=0", "x").get().statusCode()).isEqualTo(400);
        HttpResponse<String> bad = post("?receipt=5", "x").get();
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("receipt: '5' is not a duration");
        assertThat(post("?receipt=soon", "x").get().statusCode()).isEqualTo(400);

        net.blackhole();
        assertThat(afterItsTimer(Duration.ofSeconds(3), () -> post("?receipt=10m", "clamped")).statusCode()).isEqualTo(504);
    }

    @Test
    void aFullQueueRefusesAReceiptedSendWith503AndRetryAfterNotAsClosed() throws Exception {
        dock = closer.add(SocketDock.builder().host("127.0.0.1").port(0).backend(backend).ticker(ticker)
                .limits(Limits.defaults().withMaxQueuedBytes(64 * 1024)).build().start());
        RawSocket raw = closer.add(new RawSocket(dock.uri().getPort()).smallReceiveBuffer());
        raw.upgrade(); // and never reads: TCP's buffers fill, then the outbound queue
        await().atMost(WAIT).until(() -> !backend.connections().isEmpty());
        Message big = Message.text("x".repeat(60 * 1024));
        CompletableFuture<Receipt> refused = null;
        for (int i = 0; i < 1000 && refused == null; i++) {
            CompletableFuture<Receipt> r = connection().sendWithReceipt(big, WAIT).toCompletableFuture();
            if (r.isCompletedExceptionally()) {
                refused = r;
            }
        }
        assertThat(refused).as("refused once the queue is full").isNotNull();
        assertThat(refused.handle((v, x) -> x).join()).as("the refusal itself, as a plain send's")
                .isInstanceOf(QueueFullException.class);

        HttpResponse<String> answer = post("?receipt=30s", big.text()).get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void inProcessAReceiptSaysDeliveredOrNotProven() throws Exception {
        start(KeepAlive.defaults());
        TestClient.Socket s = connect();
        Receipt receipt = connection().sendWithReceipt(Message.text("in-process"), Duration.ofSeconds(5))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(receipt.status()).isEqualTo(Receipt.Status.DELIVERED);
        assertThat(receipt.roundTrip()).isNotNull();
        assertThat(s.nextText()).isEqualTo("in-process");

        net.blackhole();
        Duration wait = Duration.ofMillis(1500);
        assertThat(afterItsTimer(wait, () -> connection().sendWithReceipt(Message.text("lost"), wait).toCompletableFuture()))
                .isEqualTo(Receipt.timedOut());
    }

    @Test
    void livenessTellsWhenItOpenedWhoItIsAndWhenTheClientWasLastSeenAndAProbeMeasuresARoundTrip() throws Exception {
        start(KeepAlive.defaults());
        Instant before = Instant.now().minusSeconds(1);
        connect();
        HttpResponse<String> r = Http.call("GET", route(""));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject live = json(r);
        assertThat(live.keySet()).containsExactlyInAnyOrder("connection_id", "opened_at", "remote", "last_seen_ms");
        assertThat(live.get("connection_id").getAsString()).isEqualTo(connection().id());
        assertThat(Instant.parse(live.get("opened_at").getAsString())).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(live.get("remote").getAsString()).isEqualTo("127.0.0.1");
        ticker.advance(Duration.ofMillis(1500));
        assertThat(json(Http.call("GET", route(""))).get("last_seen_ms").getAsLong()).isGreaterThanOrEqualTo(1500);

        HttpResponse<String> probed = Http.call("GET", URI.create(route("") + "?probe=5s"));
        assertThat(probed.statusCode()).isEqualTo(200);
        assertThat(json(probed).get("rtt_ms").getAsDouble()).as("on the relay's clock, which the test holds").isZero();
        assertThat(json(probed).get("last_seen_ms").getAsLong()).as("the pong was just seen").isZero();

        try (RawSocket raw = new RawSocket(dock.uri().getPort())) {
            // HEAD, then GET on the same connection: a body after HEAD's head would be read as the second answer
            raw.write("HEAD /socket/" + connection().id() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(raw.readHead()).startsWith("HTTP/1.1 200 ").contains("Content-Type: application/json");
            raw.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(raw.readHead()).as("HEAD's answer had no body").startsWith("HTTP/1.1 200 ");
        }
        assertThat(Http.call("GET", URI.create(route("") + "?probe=0")).statusCode()).isEqualTo(400);
        URI unknown = URI.create("http://127.0.0.1:" + dock.uri().getPort() + "/socket/" + "0".repeat(32));
        assertThat(Http.call("GET", unknown).statusCode()).isEqualTo(410);
        assertThat(Http.call("HEAD", unknown).statusCode()).isEqualTo(410);

        net.blackhole();
        HttpResponse<String> noAnswer = afterItsTimer(Duration.ofMillis(2500), () -> HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(route("") + "?probe=2500ms")).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(noAnswer.statusCode()).isEqualTo(504);
        assertThat(json(noAnswer).get("reason").getAsString()).isEqualTo("timeout");
    }

    @Test
    void aProbeOfASocketStillUpgradingPingsOnceItOpensWithinItsTime() throws Exception {
        CompletableFuture<Void> decision = new CompletableFuture<>();
        closer.add(() -> decision.complete(null));
        CapturingBackend gated = new CapturingBackend(new Backend() {
            @Override
            public java.util.concurrent.CompletionStage<Void> onConnect(Connection connection) {
                return decision; // the upgrade waits for the backend's decision
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> onMessage(Connection connection, Message message) {
                return CompletableFuture.completedFuture(null);
            }
        });
        dock = closer.add(SocketDock.builder().host("127.0.0.1").port(0).connectMode(ConnectMode.AUTHORIZE)
                .backend(gated).ticker(ticker).build().start());
        TestClient client = closer.add(new TestClient());
        CompletableFuture<TestClient.Socket> upgrading = CompletableFuture.supplyAsync(() -> {
            try {
                return client.connect(dock.uri());
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        await().atMost(WAIT).until(() -> !gated.connections().isEmpty());
        URI probe = URI.create("http://127.0.0.1:" + dock.uri().getPort() + "/socket/" + gated.connections().get(0).id()
                + "?probe=4321ms");
        Duration wait = Duration.ofMillis(4321);
        long before = ticker.dueIn(wait);
        CompletableFuture<HttpResponse<String>> answer = HTTP.sendAsync(HttpRequest.newBuilder(probe).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        awaitTimer(wait, before); // its time runs from the request, not from the open
        assertThat(answer).as("no pong before the socket is open").isNotDone();

        decision.complete(null);
        upgrading.get(30, TimeUnit.SECONDS);
        HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).has("rtt_ms")).isTrue();
    }

    @Test
    void theDeadSocketPolicyClosesASocketWhoseReceiptTimedOutAndTellsTheBackend1006() throws Exception {
        start(KeepAlive.defaults().withCloseOnReceiptTimeout(true).withPingTimeout(Duration.ofSeconds(5)));
        connect();
        net.blackhole();
        assertThat(afterItsTimer(Duration.ofSeconds(2), () -> post("?receipt=2s", "phantom")).statusCode()).isEqualTo(504);
        assertThat(connection().isOpen()).as("closing with 1001").isFalse();
        ticker.advance(Duration.ofSeconds(6)); // its close reply never comes: dropped
        await().atMost(WAIT).until(() -> !backend.disconnects().isEmpty());
        assertThat(backend.disconnects()).containsExactly(new CloseStatus(CloseStatus.ABNORMAL, "receipt timeout"));
    }
}
