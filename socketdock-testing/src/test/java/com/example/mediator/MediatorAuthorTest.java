package com.example.mediator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.SocketDockExtension;
import io.github.socketdock.testing.TestWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's example of a mediator author's test, as it is written there, from outside the kit's package. */
class MediatorAuthorTest {

    @RegisterExtension
    SocketDockExtension relay = SocketDockExtension.withMockMediator();

    @Test
    void answersThroughTheCallbackUrl() throws Exception {
        TestWebSocket wallet = relay.connect();
        wallet.send("{\"type\":\"ping\"}");
        MockMediator.Envelope in = relay.mediator().takeEnvelope(MockMediator.Kind.MESSAGE, Duration.ofSeconds(5));
        assertEquals(200, relay.mediator().reply(in, "{\"type\":\"pong\"}"));
        assertEquals("{\"type\":\"pong\"}", wallet.takeText(Duration.ofSeconds(5)));
    }
}
