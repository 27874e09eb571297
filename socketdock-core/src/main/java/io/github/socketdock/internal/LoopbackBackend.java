package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.util.concurrent.CompletionStage;

/**
 * Echoes every message back on its connection in a frame of the same type. The next message is
 * read once the echo has been written, so a client that does not read its echoes stops being read.
 */
public final class LoopbackBackend implements Backend {

    @Override
    public CompletionStage<Void> onMessage(Connection connection, Message message) {
        return connection.send(message);
    }

    @Override
    public String toString() {
        return "loopback";
    }
}
