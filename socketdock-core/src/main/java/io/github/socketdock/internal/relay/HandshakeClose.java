package io.github.socketdock.internal.relay;

import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Frame;

/**
 * A close SocketDock starts, with any code, completed as a handshake (RFC 6455 section 7.1.1): the
 * close frame is sent, the socket is read on, and the TCP connection is closed once the client's
 * close reply arrived (or, if it never does, when the keep-alive rules drop it).
 *
 * <p>Jetty's WebSocket core does that only for "ordinary" codes (1000, 1005 and 3000 and up). For
 * any other — 1001 going away, 1011, 1008, 1009 — it closes the TCP connection as soon as the close
 * frame is written. A client that is still sending has unread bytes at the relay then, so the
 * kernel answers the close with a reset and throws away what it has not yet transmitted: under load
 * the close frame itself, queued behind the socket's last messages. Jetty's session asks the frame
 * for its status ({@link CloseStatus.Supplier}), so the status here says "not abnormal" while the
 * frame on the wire carries the real code and reason.
 */
final class HandshakeClose extends CloseStatus {

    private HandshakeClose(int code, String reason) {
        super(code, reason);
    }

    /** @return the close frame to send: {@code code} and {@code reason} on the wire, answered before TCP closes */
    static Frame frame(int code, String reason) {
        return new HandshakeClose(code, reason).toFrame();
    }

    @Override
    public boolean isAbnormal() {
        return false;
    }
}
