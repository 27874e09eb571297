package io.github.socketdock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.ControlApi;
import io.github.socketdock.SocketDock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MockMediatorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    SocketDockExtension relay = SocketDockExtension.withMockMediator();

    @Test
    void recordsEachEnvelopeWithItsHeadersAndReadsItAsTheWireFormatSays() throws Exception {
        TestWebSocket ws = relay.connect(Map.of("X-Wallet", "alice"));
        MockMediator mediator = relay.mediator();
        MockMediator.Envelope connect = mediator.takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
        String id = connect.connectionId();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(connect.path()).isEqualTo("/connect");
        assertThat(connect.upgradeHeaders()).containsEntry("x-wallet", "alice");
        assertThat(connect.header("SocketDock-Connection-Id")).isEqualTo(id);
        assertThat(connect.sendUri()).contains(URI.create(relay.dock().endpoint() + "/socket/" + id + "/send"));

        ws.send("text");
        ws.send(new byte[] {(byte) 0xff, 0});
        ws.send("é".getBytes(StandardCharsets.UTF_8)); // binary, but UTF-8: carried as text
        MockMediator.Envelope text = mediator.takeEnvelope(MockMediator.Kind.MESSAGE, WAIT);
        MockMediator.Envelope binary = mediator.takeEnvelope(MockMediator.Kind.MESSAGE, WAIT);
        MockMediator.Envelope utf8Binary = mediator.takeEnvelope(MockMediator.Kind.MESSAGE, WAIT);
        assertThat(utf8Binary.isBinary()).isTrue();
        assertThat(utf8Binary.body()).doesNotContain("base64");
        assertThat(utf8Binary.message()).isEqualTo("é");
        assertThat(text.message()).isEqualTo("text");
        assertThat(text.isBinary()).isFalse();
        assertThat(text.header("SocketDock-Sequence")).isEqualTo("1");
        assertThat(binary.isBinary()).isTrue();
        assertThat(binary.messageBytes()).containsExactly(0xff, 0);
        assertThat(binary.header("SocketDock-Sequence")).isEqualTo("2");
        assertThat(binary.header("SocketDock-Message-Id")).startsWith("msg_").isNotEqualTo(text.header("SocketDock-Message-Id"));

        ws.close(1000, "bye");
        MockMediator.Envelope gone = mediator.takeEnvelope(MockMediator.Kind.DISCONNECT, WAIT);
        assertThat(gone.connectionId()).isEqualTo(id);
        assertThat(gone.code()).isEqualTo(1000);
        assertThat(gone.reason()).isEqualTo("bye");
        assertThat(gone.sendUri()).isEmpty();
        assertThat(mediator.envelopes()).containsExactly(connect, text, binary, utf8Binary, gone);
    }

    @Test
    void answersTheClientThroughTheCallbackUrlsAsAMediatorDoes() throws Exception {
        TestWebSocket ws = relay.connect();
        MockMediator mediator = relay.mediator();
        MockMediator.Envelope connect = mediator.takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
        assertThat(mediator.reply(connect, "welcome")).isEqualTo(200);
        assertThat(mediator.reply(connect, new byte[] {7, 8})).isEqualTo(200);
        assertThat(ws.takeText(WAIT)).isEqualTo("welcome");
        assertThat(ws.takeBinary(WAIT)).containsExactly(7, 8);

        assertThat(mediator.disconnect(connect, 4001, "kicked")).isEqualTo(200);
        assertThat(ws.awaitClose(WAIT).code()).isEqualTo(4001);
        assertThat(mediator.takeEnvelope(MockMediator.Kind.DISCONNECT, WAIT).code()).isEqualTo(4001);
        assertThat(mediator.reply(connect, "too late")).as("the socket is gone").isEqualTo(410);
    }

    @Test
    void aReplyWithAReceiptIsAnsweredOnceTheClientProvablyReadIt() throws Exception {
        TestWebSocket ws = relay.connect();
        MockMediator mediator = relay.mediator();
        MockMediator.Envelope connect = mediator.takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
        assertThat(mediator.replyWithReceipt(connect, "proven", WAIT)).isEqualTo(200);
        assertThat(ws.takeText(WAIT)).isEqualTo("proven");
        ws.close(1000, "bye");
        mediator.takeEnvelope(MockMediator.Kind.DISCONNECT, WAIT);
        assertThat(mediator.replyWithReceipt(connect, "gone", WAIT)).isEqualTo(410);
    }

    @Test
    void aRefusingAnswerIsTriedAgainWithTheSameIds() throws Exception {
        relay.mediator().answerWith(e -> e.kind() == MockMediator.Kind.MESSAGE
                && relay.mediator().envelopes().stream().filter(x -> x.kind() == MockMediator.Kind.MESSAGE).count() == 1
                ? 503 : 200);
        TestWebSocket ws = relay.connect();
        ws.send("again");
        relay.mediator().takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
        MockMediator.Envelope first = relay.mediator().takeEnvelope(MockMediator.Kind.MESSAGE, WAIT);
        MockMediator.Envelope retry = relay.mediator().takeEnvelope(MockMediator.Kind.MESSAGE, WAIT);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("SocketDock-Message-Id")).isEqualTo(first.header("SocketDock-Message-Id"));
    }

    @Test
    void anAnswerWithThatThrowsFailsTheNextTake() throws Exception {
        relay.mediator().answerWith(e -> {
            throw new IllegalStateException("the test's own bug");
        });
        relay.connect();
        assertThatThrownBy(() -> {
            while (true) {
                relay.mediator().takeEnvelope(WAIT);
            }
        }).isInstanceOf(AssertionError.class).hasMessageContaining("answerWith failed")
                .hasMessageContaining("the test's own bug");
    }

    @Test
    void aMissingEnvelopeFailsTheTestWithWhatWasExpectedAndWhatCameInstead() throws Exception {
        assertThatThrownBy(() -> relay.mediator().takeEnvelope(Duration.ofMillis(1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no envelope within PT0.001S; nothing else");
        relay.connect();
        MockMediator.Envelope connect = relay.mediator().takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
        relay.mediator().reply(connect, "hello"); // an envelope comes only from the client: none is due
        assertThatThrownBy(() -> relay.mediator().takeEnvelope(MockMediator.Kind.MESSAGE, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no MESSAGE envelope within PT0.05S");
        assertThatThrownBy(connect::code).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connect::message).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aControlTokenGoesWithEveryCallback() throws Exception {
        try (MockMediator mediator = MockMediator.start();
                SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(mediator.backend())
                        .controlApi(ControlApi.defaults().withTokens(List.of("the-control-token-1234"))).build().start();
                TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
            MockMediator.Envelope connect = mediator.takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
            assertThat(mediator.reply(connect, "no token")).isEqualTo(401);
            assertThat(mediator.controlToken("the-control-token-1234").reply(connect, "with the token")).isEqualTo(200);
            assertThat(ws.takeText(WAIT)).isEqualTo("with the token");
            assertThat(mediator.disconnect(connect, 4000, "done")).isEqualTo(200);
            assertThat(mediator.controlToken(null).reply(connect, "no token again")).isEqualTo(401);
        }
    }

    @Test
    void aHeldAnswerKeepsADrainWaitingPastItsShutdownTimeout() throws Exception {
        try (MockMediator mediator = MockMediator.start().hold(MockMediator.Kind.DISCONNECT);
                SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(mediator.backend())
                        .shutdownTimeout(Duration.ofMillis(300)).build().start()) {
            try (TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
                mediator.takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
                dock.close(); // drains: posts the disconnect, and waits for its answer up to the shutdown timeout
            }
            assertThat(mediator.takeEnvelope(MockMediator.Kind.DISCONNECT, WAIT).code()).isEqualTo(1001);
            assertThat(dock.drained()).as("the disconnect's answer was held past the shutdown timeout").isFalse();
            assertThat(mediator.release()).as("held, then found gone").isEqualTo(1);
            assertThat(mediator.release()).as("nothing held any more").isZero();
        }
    }

    @Test
    void aReleasedAnswerReachesTheSocketDockWaitingForIt() throws Exception {
        try (MockMediator mediator = MockMediator.start().hold(MockMediator.Kind.DISCONNECT);
                SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(mediator.backend())
                        .shutdownTimeout(Duration.ofSeconds(30)).build().start()) {
            try (TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
                mediator.takeEnvelope(MockMediator.Kind.CONNECT, WAIT);
            }
            MockMediator.Envelope gone = mediator.takeEnvelope(MockMediator.Kind.DISCONNECT, WAIT);
            assertThat(gone.code()).isEqualTo(1000);
            assertThat(mediator.release()).as("taken, so already held").isEqualTo(1);
            dock.close(); // the drain waits for the disconnect's answer: the released 200
            assertThat(dock.drained()).as("SocketDock took the released answer").isTrue();
            assertThat(mediator.envelopes()).as("answered once: no try again").hasSize(2);
        }
    }
}
