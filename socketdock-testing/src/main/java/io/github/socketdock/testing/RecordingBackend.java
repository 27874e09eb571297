package io.github.socketdock.testing;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An in-process {@link Backend} that records every socket event as a value, in the order the dock
 * delivered them, for a test to take one by one.
 *
 * <pre>{@code
 * RecordingBackend backend = RecordingBackend.create();
 * try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(backend).build().start();
 *      TestWebSocket ws = TestWebSocket.connect(dock.uri())) {
 *     Connection c = backend.takeEvent(RecordingBackend.Connected.class, Duration.ofSeconds(5)).connection();
 *     ws.send("hello");
 *     assertEquals("hello", backend.takeEvent(RecordingBackend.Received.class, Duration.ofSeconds(5)).message().text());
 *     c.send("hi");                                   // the backend answers on the connection
 *     assertEquals("hi", ws.takeText(Duration.ofSeconds(5)));
 * }
 * }</pre>
 *
 * <p>By default it takes every event at once (a stage completes when its event is recorded);
 * {@link #onMessage} changes what a message does, for instance to answer it or to hold the next
 * one back, and {@link #onConnect} what a connect does, for instance to refuse it. Events are kept until taken: a test that records many and takes none holds them all.
 * Thread-safe.
 */
public final class RecordingBackend implements Backend {

    /** One socket event, as the dock delivered it to the backend. */
    public sealed interface Event permits Connected, Received, Disconnected {
        /** @return the connection the event is about */
        Connection connection();
    }

    /**
     * A socket opened (in {@code AUTHORIZE} mode: an upgrade the backend is asked about).
     *
     * @param connection the new connection
     */
    public record Connected(Connection connection) implements Event {
    }

    /**
     * A whole message from the client.
     *
     * @param connection the connection it came on
     * @param message    the message
     */
    public record Received(Connection connection, Message message) implements Event {
    }

    /**
     * A socket closed, whoever closed it.
     *
     * @param connection the connection that closed
     * @param status     the close code and reason (1006 when the TCP connection was lost)
     */
    public record Disconnected(Connection connection, CloseStatus status) implements Event {
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Inbox<Event> events = new Inbox<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile BiFunction<Connection, Message, ? extends CompletionStage<?>> onMessage = (c, m) -> DONE;
    private volatile Function<Connection, ? extends CompletionStage<?>> onConnect = c -> DONE;

    private RecordingBackend() {
    }

    /** @return a backend that records every event and takes each at once */
    public static RecordingBackend create() {
        return new RecordingBackend();
    }

    /**
     * Sets what happens to each message after it is recorded; the dock hands the connection's next
     * message over only once the returned stage completes (a failed stage closes the socket with
     * 1011, as for any backend).
     *
     * <pre>{@code
     * backend.onMessage((connection, message) -> connection.send(message)); // an echo
     * }</pre>
     *
     * @param then what to do with a message; its stage may complete later
     * @return this backend
     */
    public RecordingBackend onMessage(BiFunction<Connection, Message, ? extends CompletionStage<?>> then) {
        this.onMessage = Objects.requireNonNull(then, "then");
        return this;
    }

    /**
     * Sets what happens to each connect after it is recorded. In {@code ConnectMode.AUTHORIZE} the
     * stage decides the upgrade: failed with a {@code ConnectionRefusedException}, the client gets
     * its status; in {@code NOTIFY} the connection's messages wait for it.
     *
     * <pre>{@code
     * backend.onConnect(c -> c.headers().containsKey("authorization")
     *         ? CompletableFuture.completedFuture(null)
     *         : CompletableFuture.failedFuture(new ConnectionRefusedException(401, "no token")));
     * }</pre>
     *
     * @param then what to do with a connect; its stage may complete later
     * @return this backend
     */
    public RecordingBackend onConnect(Function<Connection, ? extends CompletionStage<?>> then) {
        this.onConnect = Objects.requireNonNull(then, "then");
        return this;
    }

    /**
     * @param timeout how long to wait for an event
     * @return the oldest event not yet taken
     * @throws AssertionError       if none came within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public Event takeEvent(Duration timeout) throws InterruptedException {
        return events.take(e -> true, timeout, "socket event");
    }

    /**
     * Takes the oldest event of one kind; events of other kinds stay for later takes, so a test
     * that cares only about messages need not take the connects.
     *
     * @param type    the kind of event wanted
     * @param timeout how long to wait for one
     * @param <T>     the kind of event
     * @return the oldest event of {@code type} not yet taken
     * @throws AssertionError       if none came within {@code timeout} (its message lists the events not taken)
     * @throws InterruptedException if interrupted while waiting
     */
    public <T extends Event> T takeEvent(Class<T> type, Duration timeout) throws InterruptedException {
        return type.cast(events.take(type::isInstance, timeout, type.getSimpleName() + " event"));
    }

    /** @return the events recorded and not yet taken, oldest first */
    public List<Event> pendingEvents() {
        return events.pending();
    }

    /** @return every connection that opened so far, in the order they opened, whether taken or not */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public CompletionStage<Void> onConnect(Connection connection) {
        connections.add(connection);
        events.add(new Connected(connection));
        return onConnect.apply(connection).<Void>thenApply(v -> null);
    }

    @Override
    public CompletionStage<Void> onMessage(Connection connection, Message message) {
        events.add(new Received(connection, message));
        return onMessage.apply(connection, message).<Void>thenApply(v -> null);
    }

    @Override
    public CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        events.add(new Disconnected(connection, status));
        return DONE;
    }

    @Override
    public String toString() {
        return "RecordingBackend[" + connections.size() + " connections, " + events.size() + " events not taken]";
    }
}
