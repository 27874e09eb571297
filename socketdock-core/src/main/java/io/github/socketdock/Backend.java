package io.github.socketdock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where SocketDock delivers socket events: a connection opened, a message arrived, a connection
 * closed. Implement it to handle sockets in-process, or use a built-in one from {@link Backends}
 * ({@code http} relays every event to a mediator over HTTP).
 *
 * <p>Modelled on {@code java.net.http.WebSocket.Listener}: every callback returns a
 * {@link CompletionStage}, and SocketDock does not deliver the next event of the same connection
 * until that stage completes. Complete it when the event has been <em>taken</em> (queued, written,
 * handed on), not necessarily when it has been fully processed; until then SocketDock stops reading
 * from that socket and TCP pushes back on the client.
 *
 * <p>Only {@link #onMessage} must be written, so a lambda is a backend. This one answers every
 * text message in capitals and ignores binary ones:
 *
 * <pre>{@code
 * Backend shout = (connection, message) -> message.isText()
 *         ? connection.send(message.text().toUpperCase(Locale.ROOT))
 *         : CompletableFuture.completedFuture(null);
 *
 * SocketDock dock = SocketDock.builder().backend(shout).build().start();
 * }</pre>
 *
 * <p>Returning the stage of {@link Connection#send(String)} makes the connection's next message
 * wait until this answer has been written to the network, so a client that does not read its
 * answers is not read either; a send that fails (a full queue) fails the stage, which closes the
 * socket as described below.
 *
 * <h2>Contract</h2>
 * For each connection:
 * <ol>
 *   <li>{@link #onConnect} is called once, when the socket is open and registered (so
 *       {@link SocketDock#connection(String)} already finds it), and its stage completes before any
 *       message of that connection is delivered;</li>
 *   <li>{@link #onMessage} is called for every message, empty ones too, one at a time, in the order the
 *       client sent them; the next call waits for the previous stage;</li>
 *   <li>{@link #onDisconnect} is called exactly once, after the last message's stage completed,
 *       whoever closed the connection and however it ended.</li>
 * </ol>
 * Different connections are independent: a stage that stays pending holds only its own
 * connection.
 *
 * <p>A stage that completes exceptionally from {@code onConnect} or {@code onMessage} means the
 * backend cannot take the connection or the message: SocketDock closes the socket with
 * {@link CloseStatus#SERVER_ERROR 1011} so the client reconnects and resends, then calls
 * {@code onDisconnect}. A method that throws is treated the same way.
 *
 * <p>Callbacks run on SocketDock's network threads: never block in them. Start slow work
 * asynchronously and return its stage.
 *
 * <h2>Lifecycle</h2>
 * {@link SocketDock#start()} calls {@link #start()} before it accepts connections, and
 * {@link SocketDock#close()} calls {@link #close()} after the last connection's disconnect has been
 * delivered.
 */
public interface Backend {

    /**
     * Prepares the backend (opens clients, pools). Called once by {@link SocketDock#start()}.
     *
     * @throws Exception if the backend cannot start; {@code start()} then fails
     */
    default void start() throws Exception {
    }

    /**
     * A client connected.
     *
     * @param connection the new connection
     * @return completes when the backend has taken the connection
     */
    default CompletionStage<Void> onConnect(Connection connection) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A client sent a message. Empty messages (a text or binary frame with no payload) are
     * delivered too: the backend decides what they mean.
     *
     * @param connection the connection it came on
     * @param message    the whole message
     * @return completes when the backend has taken the message
     */
    CompletionStage<Void> onMessage(Connection connection, Message message);

    /**
     * A connection closed, whoever closed it. Called exactly once per connection.
     *
     * @param connection the closed connection (sending to it fails)
     * @param status     the close code and reason; {@link CloseStatus#ABNORMAL 1006} when the peer
     *                   vanished without a close frame
     * @return completes when the backend has taken the notification
     */
    default CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Releases what {@link #start()} opened. Called once by {@link SocketDock#close()}.
     */
    default void close() {
    }
}
