package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.Test;

class InProcessMediatorIT {

    @Test
    void answersEveryMessageAndDeliversQueuedMessagesWhenTheAgentIsBack() throws Exception {
        InProcessMediator mediator = new InProcessMediator();
        try (SocketDock dock = InProcessMediator.start(mediator, 0); TestClient client = new TestClient()) {
            URI ws = dock.uri();
            ClientUpgradeRequest alice = new ClientUpgradeRequest();
            alice.setHeader("X-Agent", "alice");

            TestClient.Socket first = client.connect(ws, alice);
            first.sendText("hello");
            assertThat(first.nextText()).isEqualTo("ack: hello");
            first.sendBinary(new byte[] {1, 2, 3});
            assertThat(first.nextText()).isEqualTo("ack: 3 bytes");
            assertThat(mediator.deliver("alice", "while online")).isTrue();
            assertThat(first.nextText()).isEqualTo("while online");

            first.close();
            await().until(() -> dock.connectionCount() == 0);
            assertThat(mediator.deliver("alice", "while away")).isFalse();

            TestClient.Socket back = client.connect(ws, alice);
            assertThat(back.nextText()).isEqualTo("while away");
            back.sendText("and now");
            assertThat(back.nextText()).as("the queued message came once, then the answer").isEqualTo("ack: and now");
        }
    }
}
