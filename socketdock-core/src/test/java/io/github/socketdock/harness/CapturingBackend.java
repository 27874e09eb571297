package io.github.socketdock.harness;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Wraps a backend and remembers every connection it saw and every disconnect, so a test can reach them. */
public final class CapturingBackend implements Backend {

    private final Backend delegate;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

    public CapturingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** @return every connection seen so far, in connect order */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** @return the status of every disconnect so far, in the order they came */
    public List<CloseStatus> disconnects() {
        return List.copyOf(disconnects);
    }

    @Override
    public void start() throws Exception {
        delegate.start();
    }

    @Override
    public CompletionStage<Void> onConnect(Connection connection) {
        connections.add(connection);
        return delegate.onConnect(connection);
    }

    @Override
    public CompletionStage<Void> onMessage(Connection connection, Message message) {
        return delegate.onMessage(connection, message);
    }

    @Override
    public CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        disconnects.add(status);
        return delegate.onDisconnect(connection, status);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
