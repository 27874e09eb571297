package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.SocketDockListener.BackendCall;
import io.github.socketdock.SocketDockListener.BackendEvent;
import io.github.socketdock.SocketDockListener.BackendOutcome;
import io.github.socketdock.SocketDockListener.GiveUpReason;
import io.github.socketdock.SocketDockListener.PauseReason;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.harness.HttpRelayTest;
import io.github.socketdock.fixtures.LogCapture;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What a {@link SocketDockListener} hears from a real relay with a real http backend and real clients. */
class ListenerIT extends HttpRelayTest {

    /** Every event as a line, in the order heard. */
    private static final class Recording implements SocketDockListener {
        final Queue<String> events = new ConcurrentLinkedQueue<>();
        final Queue<BackendCall> calls = new ConcurrentLinkedQueue<>();

        @Override
        public void connectionOpened(Connection connection) {
            events.add("opened " + connection.id());
        }

        @Override
        public void connectionClosed(Connection connection, CloseStatus status) {
            events.add("closed " + connection.id() + " " + status.code());
        }

        @Override
        public void messageIn(Connection connection, long bytes) {
            events.add("in " + bytes);
        }

        @Override
        public void messageOut(Connection connection, long bytes) {
            events.add("out " + bytes);
        }

        @Override
        public void backendCall(BackendCall call) {
            calls.add(call);
        }

        @Override
        public void backendGaveUp(String connectionId, BackendEvent event, GiveUpReason reason) {
            events.add("gave up " + event.tag() + " " + reason);
        }

        @Override
        public void sendAnswered(String connectionId, int status) {
            events.add("send " + status);
        }

        @Override
        public void paused(Connection connection, PauseReason reason) {
            events.add("paused " + reason);
        }

        @Override
        public void resumed(Connection connection, PauseReason reason) {
            events.add("resumed " + reason);
        }

        List<String> lines() {
            return List.copyOf(events);
        }
    }

    private final Recording heard = new Recording();

    @Test
    void aListenerHearsAConnectionsLifeWithSizesStatusesAndBackendCalls() throws Exception {
        start(SocketDock.builder().listener(heard), UnaryOperator.identity());
        TestClient.Socket s = client.connect(ws());
        String id = backend.await("/connect", 1).get(0).header("SocketDock-Connection-Id");
        s.sendText("héllo");                        // 6 bytes of UTF-8
        s.sendBinary(new byte[] {1, 2, 3, (byte) 0xff});
        URI send = URI.create(backend.await("/message", 2).get(0).json().getAsJsonObject("meta").get("send").getAsString());
        assertThat(Http.postText(send, "reply").statusCode()).isEqualTo(200);
        assertThat(s.nextText()).isEqualTo("reply");
        String unknown = send.toString().replaceAll("/socket/[^/]+/send", "/socket/0123456789abcdef0123456789abcdef/send");
        assertThat(Http.postText(URI.create(unknown), "nobody").statusCode()).isEqualTo(410);
        s.close();
        backend.await("/disconnect", 1);

        await().untilAsserted(() -> assertThat(heard.calls).hasSize(4));
        List<String> lines = heard.lines();
        assertThat(lines).containsSubsequence("opened " + id, "in 6", "in 4", "closed " + id + " 1000")
                .contains("out 5", "send 200", "send 410").doesNotContain("gave up");
        assertThat(heard.calls).allSatisfy(c -> {
            assertThat(c.connectionId()).isEqualTo(id);
            assertThat(c.outcome()).isEqualTo(BackendOutcome.SUCCESS);
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.duration()).isPositive();
        });
        assertThat(heard.calls).extracting(BackendCall::event, BackendCall::sequence).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(BackendEvent.CONNECT, 0L),
                org.assertj.core.groups.Tuple.tuple(BackendEvent.MESSAGE, 1L),
                org.assertj.core.groups.Tuple.tuple(BackendEvent.MESSAGE, 2L),
                org.assertj.core.groups.Tuple.tuple(BackendEvent.DISCONNECT, 0L));
        assertThat(dock.stats().lifetimeConnections()).isEqualTo(1);
        assertThat(dock.stats().messagesIn()).isEqualTo(2);
        assertThat(dock.stats().messagesOut()).isEqualTo(1);
    }

    @Test
    void triesCarryTheirAttemptAndOutcomeAndAMessageGivenUpIsHeardAndCounted() throws Exception {
        start(SocketDock.builder().listener(heard), o -> o.retry(Retry.defaults().withRetries(2).withBackoff(Duration.ofMillis(10))));
        backend.answer("/message", 503).answer("/connect", 404);
        TestClient.Socket s = client.connect(ws());
        s.sendText("refused three times");
        assertThat(s.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(CloseStatus.SERVER_ERROR);

        await().untilAsserted(() -> assertThat(heard.lines()).contains("gave up message UNDELIVERED"));
        assertThat(heard.calls).filteredOn(c -> c.event() == BackendEvent.MESSAGE)
                .extracting(BackendCall::attempt, BackendCall::outcome, BackendCall::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, BackendOutcome.SERVER_ERROR, 503),
                        org.assertj.core.groups.Tuple.tuple(2, BackendOutcome.SERVER_ERROR, 503),
                        org.assertj.core.groups.Tuple.tuple(3, BackendOutcome.SERVER_ERROR, 503));
        assertThat(heard.calls).filteredOn(c -> c.event() == BackendEvent.CONNECT)
                .extracting(BackendCall::outcome).containsExactly(BackendOutcome.CLIENT_ERROR);
        assertThat(dock.stats().backendRetries()).isEqualTo(2);
        assertThat(dock.stats().undeliveredMessages()).isEqualTo(1);
    }

    @Test
    void aFailingListenerIsLoggedAndNeitherTheRelayNorTheListenersAfterItNotice() throws Exception {
        SocketDockListener failing = new SocketDockListener() {
            @Override
            public void connectionOpened(Connection connection) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void messageIn(Connection connection, long bytes) {
                throw new AssertionError("listener bug, an Error"); // what a test's listener throws
            }
        };
        SocketDockStats counted = new SocketDockStats();
        try (LogCapture log = LogCapture.of("io.github.socketdock.server", "WARN")) {
            start(SocketDock.builder().listener(failing).listener(counted), UnaryOperator.identity());
            TestClient.Socket s = client.connect(ws());
            backend.await("/connect", 1);
            s.sendText("still relayed");
            s.sendText("and the socket stays open");
            assertThat(backend.await("/message", 2)).extracting(r -> r.json().get("message").getAsString())
                    .containsExactly("still relayed", "and the socket stays open");
            assertThat(s.closed()).isNotDone();
            await().untilAsserted(() -> assertThat(log.containing("a SocketDockListener failed on connectionOpened"))
                    .hasSize(1));
            assertThat(log.containing("listener bug")).isNotEmpty();
        }
        assertThat(counted.lifetimeConnections()).isEqualTo(1);
        assertThat(counted.messagesIn()).isEqualTo(2);
        assertThat(dock.stats().messagesIn()).as("the SocketDock's own count is not affected").isEqualTo(2);
    }

    @Test
    void aSocketStoppedByAFullBudgetIsHeardPausedThenResumedAndTheBudgetLevelIsReported() throws Exception {
        SocketDockStats level = new SocketDockStats();
        start(SocketDock.builder().limits(Limits.defaults().withMaxBufferedBytes(256 * 1024)).listener(heard).listener(level), o -> o.maxInflight(64));
        backend.holdAnswers("/message");
        TestClient.Socket s = client.connect(ws());
        backend.await("/connect", 1);
        byte[] chunk = new byte[48 * 1024];
        for (int i = 0; i < 8; i++) {
            s.sendBinary(chunk);
        }
        await().untilAsserted(() -> assertThat(heard.lines()).contains("paused BUDGET_FULL"));
        await().untilAsserted(() -> assertThat(level.bufferedBytes()).as("reported by housekeeping")
                .isGreaterThan(128 * 1024));

        backend.releaseHeld();
        await().untilAsserted(() -> assertThat(heard.lines()).contains("resumed BUDGET_FULL"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            backend.releaseHeld();
            assertThat(backend.requests("/message")).hasSize(8);
            assertThat(level.bufferedBytes()).isZero();
        });
        assertThat(heard.lines()).containsSubsequence("paused BUDGET_FULL", "resumed BUDGET_FULL");
    }

    @Test
    void framesHeldForTheOpeningAreHeardAfterTheConnectionOpened() throws Exception {
        Backend welcoming = new Backend() {
            @Override
            public java.util.concurrent.CompletionStage<Void> onConnect(Connection connection) {
                connection.send("welcome");
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> onMessage(Connection connection, Message message) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        };
        try (SocketDock authorizing = SocketDock.builder().port(0).backend(welcoming).connectMode(ConnectMode.AUTHORIZE)
                .listener(heard).build().start(); TestClient own = new TestClient()) {
            TestClient.Socket s = own.connect(URI.create("ws://127.0.0.1:" + authorizing.port() + "/ws"));
            assertThat(s.nextText()).isEqualTo("welcome");
            await().untilAsserted(() -> assertThat(heard.lines()).hasSizeGreaterThanOrEqualTo(2));
            assertThat(heard.lines().get(0)).startsWith("opened ");
            assertThat(heard.lines().get(1)).isEqualTo("out 7");
        }
    }
}
