package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.testing.TestWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InProcessMediatorIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void answersEveryMessageAndDeliversQueuedMessagesWhenTheAgentIsBack() throws Exception {
        InProcessMediator mediator = new InProcessMediator();
        SocketDock dock = closer.add(InProcessMediator.start(mediator, 0));
        URI ws = dock.uri();
        Map<String, String> alice = Map.of("X-Agent", "alice");

        TestWebSocket first = closer.add(TestWebSocket.connect(ws, alice));
        first.send("hello");
        assertThat(first.takeText(WAIT)).isEqualTo("ack: hello");
        first.send(new byte[] {1, 2, 3});
        assertThat(first.takeText(WAIT)).isEqualTo("ack: 3 bytes");
        assertThat(mediator.deliver("alice", "while online")).isTrue();
        assertThat(first.takeText(WAIT)).isEqualTo("while online");

        first.close(1000, "bye");
        first.awaitClose(WAIT);
        await().until(() -> dock.connectionCount() == 0);
        assertThat(mediator.deliver("alice", "while away")).isFalse();

        TestWebSocket back = closer.add(TestWebSocket.connect(ws, alice));
        assertThat(back.takeText(WAIT)).isEqualTo("while away");
        back.send("and now");
        assertThat(back.takeText(WAIT)).as("the queued message came once, then the answer").isEqualTo("ack: and now");
    }
}
