package io.github.socketdock;

/**
 * Whether the backend decides if a client may connect.
 *
 * <ul>
 *   <li>{@link #NOTIFY} (default, as the original): the socket opens, then the backend is told;
 *       its answer decides nothing.</li>
 *   <li>{@link #AUTHORIZE}: the upgrade waits — without holding a thread — for
 *       {@link Backend#onConnect}. A completed stage accepts; a stage failed with
 *       {@link ConnectionRefusedException} refuses the handshake with its status (the client sees
 *       e.g. 401 or 403, never an open socket); any other failure refuses it with 503. A refused
 *       client causes no {@code onDisconnect}. The {@code http} backend accepts on a 2xx answer to
 *       its connect POST, refuses with the status of a 4xx answer, and with 503 on anything else.</li>
 * </ul>
 *
 * <p>In {@code AUTHORIZE} mode the connection's id and send URL exist before the socket does: a send
 * made while the decision is pending waits until the socket opens (it fails if the client is
 * refused). So a backend must not <em>await</em> its own welcome send inside its connect handler in
 * this mode — it would wait for itself. Fire the send and return.
 */
public enum ConnectMode {
    /** The backend is told of a connection that is already open. */
    NOTIFY,
    /** The backend decides, before the handshake completes, whether the client may connect. */
    AUTHORIZE
}
