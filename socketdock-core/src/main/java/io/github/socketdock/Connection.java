package io.github.socketdock;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One client WebSocket held by SocketDock, as a backend sees it: who it is, and how to push frames
 * to it or close it.
 *
 * <p>A backend gets a {@code Connection} in every {@link Backend} callback, and can find a live one
 * later with {@link SocketDock#connection(String)} — for example to deliver a message it queued
 * while the agent was away:
 *
 * <pre>{@code
 * dock.connection(id).ifPresent(c -> c.send(queuedMessage));
 * }</pre>
 *
 * <h2>Sending</h2>
 * Frames are queued in a bounded outbound queue and written in the order the {@code send} calls
 * were made. Each {@code send} returns at once; its stage
 * <ul>
 *   <li>completes when the frame has been written to the network,</li>
 *   <li>fails with {@link QueueFullException} at once if the queue is full (the client reads too
 *       slowly, or the process-wide buffer budget is spent; the frame was not queued and the
 *       connection stays open),</li>
 *   <li>fails with {@link IllegalArgumentException} at once if the frame is larger than the
 *       maximum message size,</li>
 *   <li>fails with {@link ConnectionClosedException} if the connection is closed or closing.</li>
 * </ul>
 * All methods are thread-safe and never block.
 */
public interface Connection {

    /**
     * The connection id: 32 lower-case hexadecimal characters (128 random bits), new for every
     * connection, never reused.
     *
     * @return the id
     */
    String id();

    /**
     * The headers of the client's upgrade request, names lower-cased; when a header was sent more
     * than once, its last value wins (as the original SocketDock reports them).
     *
     * @return an unmodifiable map
     */
    Map<String, String> headers();

    /**
     * The client's address: the TCP peer's, or, behind a load balancer with
     * {@link SocketDock.Builder#proxyProtocol(boolean)} or
     * {@link SocketDock.Builder#trustForwarded(boolean)}, the client's as the balancer reports it
     * (port 0 when it reports none). The same address is in the logs, counts against the
     * per-address limit and is the connect envelope's {@code remote}.
     *
     * @return the client's address, or null if unknown
     */
    InetSocketAddress remoteAddress();

    /**
     * The URL a backend outside this process POSTs to in order to send a frame to this
     * connection: {@code <endpoint>/socket/<id>/send}.
     *
     * @return the send callback URL
     */
    URI sendUri();

    /**
     * The URL a backend outside this process POSTs to in order to close this connection:
     * {@code <endpoint>/socket/<id>/disconnect}.
     *
     * @return the disconnect callback URL
     */
    URI disconnectUri();

    /**
     * @return true until the connection starts closing
     */
    boolean isOpen();

    /**
     * Sends a text frame.
     *
     * @param text the text, not null
     * @return completes when written; see the class description for failures
     */
    CompletionStage<Void> send(String text);

    /**
     * Sends a binary frame holding the remaining bytes of {@code data}. The bytes are copied before
     * this method returns, so the buffer may be reused at once.
     *
     * @param data the bytes, not null
     * @return completes when written; see the class description for failures
     */
    CompletionStage<Void> send(ByteBuffer data);

    /**
     * Sends a binary frame. The bytes are copied before this method returns.
     *
     * @param data the bytes, not null
     * @return completes when written; see the class description for failures
     */
    CompletionStage<Void> send(byte[] data);

    /**
     * Sends a message in a frame of its own type.
     *
     * @param message the message, not null
     * @return completes when written; see the class description for failures
     */
    default CompletionStage<Void> send(Message message) {
        return message.isText() ? send(message.text()) : send(message.data());
    }

    /**
     * Sends a message and waits for proof that the client received it: a write is not delivery
     * (see {@link Receipt} for how it is proven and what each outcome means). The stage
     * <ul>
     *   <li>completes with {@link Receipt.Status#DELIVERED} once the client's WebSocket stack
     *       provably read the frame,</li>
     *   <li>with {@link Receipt.Status#TIMEOUT} after {@code within} without that proof (at most
     *       {@link KeepAlive#maxReceiptWait()}; with {@link KeepAlive#closeOnReceiptTimeout()} the
     *       socket is then closed),</li>
     *   <li>with {@link Receipt.Status#CLOSED} if the connection closes before the proof,</li>
     *   <li>fails at once as {@link #send(String)} does: queue full, too large, or
     *       {@link ConnectionClosedException} for a connection closed when called; and with
     *       {@link QueueFullException} when as many receipts wait as frames may be queued.</li>
     * </ul>
     * One ping at a time proves every frame written before it, so a burst written within one round
     * trip costs two pings. A plain {@code send} is unchanged by this.
     *
     * @param message the message
     * @param within  how long to wait for the proof; positive
     * @return the receipt
     * @throws IllegalArgumentException if {@code within} is not positive
     */
    CompletionStage<Receipt> sendWithReceipt(Message message, Duration within);

    /**
     * Closes the connection with a close frame. The backend's
     * {@link Backend#onDisconnect(Connection, CloseStatus)} follows, once.
     *
     * @param code   a close code an application may send (see {@link CloseStatus#isSendable(int)})
     * @param reason a short reason (at most 123 bytes of UTF-8), or null
     * @return completes when the connection is closed; closing a closed connection completes at once
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    CompletionStage<Void> close(int code, String reason);
}
