package io.github.socketdock;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link SocketDock} does, as it happens: for metrics, tracing, audits or tests. Every method
 * does nothing by default, so a listener overrides only what it needs.
 *
 * <pre>{@code
 * LongAdder bytesIn = new LongAdder();
 * SocketDock dock = SocketDock.builder()
 *         .backend(backend)
 *         .listener(new SocketDockListener() {
 *             @Override
 *             public void messageIn(Connection connection, long bytes) {
 *                 bytesIn.add(bytes);
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>{@link SocketDockStats} is the built-in listener that counts; every SocketDock has one
 * ({@link SocketDock#stats()}). For Micrometer meters, the {@code socketdock-micrometer} module has
 * a listener that records them, so this library itself depends on no metrics library.
 *
 * <h2>Threading</h2>
 * A method is called on the thread where its event happens: a server thread for socket events and
 * {@code /send} answers, the backend client's threads for backend calls, the relay's timer thread
 * for {@link #budgetLevel budget levels}. Calls come from many threads at once, so a listener must
 * be thread-safe; and they sit on the relay's hot paths, so a listener must return quickly and
 * never block (hand slow work to an executor of its own). For one connection,
 * {@link #connectionOpened} comes before its messages and frames, and {@link #connectionClosed} comes
 * once; the backend call of its disconnect is reported after that. Events of one connection on
 * different threads (a message arriving while the relay closes the socket on a timer, say) may
 * be reported in either order.
 *
 * <p>A listener that throws is logged (rate-limited, on the {@code io.github.socketdock.server}
 * logger) and the relay goes on as if it had returned; the other listeners are still called.
 *
 * <h2>Several listeners</h2>
 * {@link SocketDock.Builder#listener(SocketDockListener)} may be called more than once: each
 * listener gets every event, in the order they were added. {@link #of(SocketDockListener...)}
 * combines listeners into one, for code that takes a single listener.
 */
public interface SocketDockListener {

    /** A listener that ignores every event. */
    SocketDockListener NONE = new SocketDockListener() {
    };

    /**
     * A client's WebSocket opened: its upgrade was accepted (and, with
     * {@link ConnectMode#AUTHORIZE}, the backend admitted it).
     *
     * @param connection the connection
     */
    default void connectionOpened(Connection connection) {
    }

    /**
     * A connection closed, by either side or by the relay; called once per opened connection.
     *
     * @param connection the connection, no longer open
     * @param status     its close code and reason
     */
    default void connectionClosed(Connection connection, CloseStatus status) {
    }

    /**
     * A whole message from the client reached the relay, before it is handed to the backend.
     *
     * @param connection the connection it came on
     * @param bytes      its payload size (UTF-8 bytes for text)
     */
    default void messageIn(Connection connection, long bytes) {
    }

    /**
     * A frame was written to the client: its bytes left the relay (which proves nothing of what
     * the client received).
     *
     * @param connection the connection it went to
     * @param bytes      its payload size
     */
    default void messageOut(Connection connection, long bytes) {
    }

    /**
     * One HTTP request of the built-in {@code http} backend ended, with an answer or without one.
     * Each try of a retried event is one call.
     *
     * @param call what was sent and how it ended
     */
    default void backendCall(BackendCall call) {
    }

    /**
     * The built-in {@code http} backend gave an event up: not delivered after its retries
     * ({@link GiveUpReason#UNDELIVERED}: a message then closes its socket with 1011), or delivered
     * but its answer never came ({@link GiveUpReason#NO_ANSWER}: the socket stays open). Called on
     * the backend client's, the relay's timer or a closing thread.
     *
     * @param connectionId the connection the event was about
     * @param event        the event
     * @param reason       why
     */
    default void backendGaveUp(String connectionId, BackendEvent event, GiveUpReason reason) {
    }

    /**
     * A {@code POST /socket/{id}/send} callback was answered.
     *
     * @param connectionId the id in the path if it is well-formed (perhaps of no connection), else null
     * @param status       the HTTP status answered, or 0 when no answer could be written
     */
    default void sendAnswered(String connectionId, int status) {
    }

    /**
     * The relay stopped reading a connection's socket.
     *
     * @param connection the connection
     * @param reason     why
     */
    default void paused(Connection connection, PauseReason reason) {
    }

    /**
     * The relay reads a connection's socket again after {@link #paused}. At most one per pause: a
     * socket that closes while paused (or a relay that stops) gets none, so a count of paused
     * sockets subtracts on {@link #connectionClosed} too.
     *
     * @param connection the connection
     * @param reason     why it had paused
     */
    default void resumed(Connection connection, PauseReason reason) {
    }

    /**
     * The process-wide byte budget's level: queued outbound and not yet delivered inbound bytes.
     * Sampled by the relay's housekeeping on its timer thread (at least once a second while it
     * changes; not again while it stays the same), and once more by the thread that stops the
     * relay. It names no SocketDock: a listener shared by several reports their levels in turn.
     *
     * @param usedBytes  bytes held now
     * @param limitBytes the budget (the maxBufferedBytes limit)
     */
    default void budgetLevel(long usedBytes, long limitBytes) {
    }

    /**
     * Combines listeners into one that calls each of them, in order, for every event.
     *
     * @param listeners the listeners
     * @return one listener
     */
    static SocketDockListener of(SocketDockListener... listeners) {
        List<SocketDockListener> all = List.of(listeners);
        return all.size() == 1 ? all.get(0) : new CombinedListener(all);
    }

    /**
     * One try of a backend request, ended.
     *
     * @param connectionId the connection the event is about
     * @param event        the event posted
     * @param sequence     the message's sequence number on its connection (1, 2, …), 0 for connect and disconnect
     * @param attempt      which try: 1 for the first
     * @param outcome      how it ended
     * @param status       the HTTP status answered, 0 without an answer
     * @param duration     from sending the request to the end of its answer (or its failure)
     */
    record BackendCall(String connectionId, BackendEvent event, long sequence, int attempt, BackendOutcome outcome,
                       int status, Duration duration) {
        /**
         * Checks that no value is missing.
         *
         * @param connectionId the connection the event is about
         * @param event        the event posted
         * @param sequence     the message's sequence number, 0 for connect and disconnect
         * @param attempt      which try: 1 for the first
         * @param outcome      how it ended
         * @param status       the HTTP status answered, 0 without an answer
         * @param duration     from sending the request to the end of its answer (or its failure)
         */
        public BackendCall {
            Objects.requireNonNull(connectionId, "connection id");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** A socket event the backend is told of. */
    enum BackendEvent {
        /** A client connected. */
        CONNECT,
        /** A client sent a message. */
        MESSAGE,
        /** A client's connection closed. */
        DISCONNECT;

        /** @return the name in lower case, as in logs and metric tags: {@code connect}, {@code message}, {@code disconnect} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How one backend request ended. */
    enum BackendOutcome {
        /** A 2xx answer. */
        SUCCESS,
        /** An answer that is neither 2xx nor 5xx. */
        CLIENT_ERROR,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** No answer within the backend's timeout. */
        TIMEOUT,
        /** No answer: the connection was refused, reset or failed. */
        UNREACHABLE;

        /** @return the name in lower case, as in metric tags: {@code success}, {@code client_error}, … */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why the backend gave an event up. */
    enum GiveUpReason {
        /** Not delivered: every try failed or was refused. */
        UNDELIVERED,
        /** Delivered, but its answer did not arrive in time or at all. */
        NO_ANSWER
    }

    /** Why a socket is not read. */
    enum PauseReason {
        /**
         * The process-wide byte budget is full: the socket is read again once it has room. Each
         * socket's first pause is also logged (rate-limited).
         */
        BUDGET_FULL
    }
}
