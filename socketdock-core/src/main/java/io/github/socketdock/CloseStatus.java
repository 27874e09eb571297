package io.github.socketdock;

import java.util.Objects;

/**
 * How a WebSocket connection ended: the close code and reason of RFC 6455, section 7.4.
 *
 * <p>Codes SocketDock itself uses: {@value #NORMAL} when closed on request,
 * {@value #GOING_AWAY} when SocketDock shuts down, {@value #MESSAGE_TOO_BIG} for a message over
 * the size limit, {@value #SERVER_ERROR} when the backend cannot take a connection or message, and
 * {@value #ABNORMAL} (never sent on the wire) when the peer vanished without a close frame.
 *
 * @param code   the close code
 * @param reason the close reason, empty when none was given; never null
 */
public record CloseStatus(int code, String reason) {

    /** 1000: normal closure. */
    public static final int NORMAL = 1000;
    /** 1001: an endpoint is going away (server shutdown, browser tab closed). */
    public static final int GOING_AWAY = 1001;
    /** 1006: the connection dropped without a close frame; reported, never sent. */
    public static final int ABNORMAL = 1006;
    /** 1008: a policy was violated. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was larger than allowed. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1011: the server met a condition that kept it from serving the connection. */
    public static final int SERVER_ERROR = 1011;

    /**
     * @param code   the close code
     * @param reason the close reason; null is taken as empty
     */
    public CloseStatus {
        reason = Objects.requireNonNullElse(reason, "");
    }

    /**
     * Whether {@code code} may be sent in a close frame by an application: 1000–1003, 1007–1014
     * or 3000–4999 (RFC 6455 section 7.4 and the IANA registry).
     *
     * @param code a close code
     * @return true if an application may send it
     */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
