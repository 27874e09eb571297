package io.github.socketdock.internal.net;

import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Logs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's PROXY protocol detector, made strict. Jetty's hands a connection without a header on
 * as it is; this one refuses it: the address would be the balancer's, or that of a client that
 * went around the balancer. And a v1 line is checked before Jetty's parser sees it: a whole
 * line within the 107 bytes the specification allows, with IP literals only (Jetty's parser
 * would grow without bound on a line that never ends, and look up a host name).
 */
final class RequiredProxyProtocol extends DetectorConnectionFactory {

    private static final byte[] V1_SIGNATURE = "PROXY".getBytes(StandardCharsets.US_ASCII);
    /** The longest v1 line, CRLF included (the specification's 107, and a byte to spare). */
    private static final int V1_MAX_LINE = 108;
    private static final Pattern PORT = Pattern.compile("[1-9]\\d{0,4}|0");
    private static final byte[] NO_PROXY_HEADER = answer400(
            "this listener expects the PROXY protocol: connect through the load balancer\n");

    private final LimitedLog log;

    /** @param log where a refused connection is told */
    RequiredProxyProtocol(LimitedLog log) {
        this(jettyDetectors(), log);
    }

    private RequiredProxyProtocol(ConnectionFactory.Detecting[] jetty, LimitedLog log) {
        super(new CheckedV1(jetty[0]), jetty[1]);
        this.log = log;
    }

    /** @return Jetty's v1 and v2 detectors, in that order */
    private static ConnectionFactory.Detecting[] jettyDetectors() {
        ConnectionFactory.Detecting v1 = null;
        ConnectionFactory.Detecting v2 = null;
        for (ConnectionFactory.Detecting d : new ProxyConnectionFactory().getBeans(ConnectionFactory.Detecting.class)) {
            if (d.detect(ByteBuffer.wrap(V1_SIGNATURE)) == ConnectionFactory.Detecting.Detection.RECOGNIZED) {
                v1 = d;
            } else {
                v2 = d;
            }
        }
        if (v1 == null || v2 == null) {
            throw new IllegalStateException("Jetty's PROXY protocol factory no longer holds a v1 and a v2 detector");
        }
        return new ConnectionFactory.Detecting[] {v1, v2};
    }

    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        boolean garbled = startsWith(buffer, V1_SIGNATURE);
        log.log(LimitedLog.Kind.REFUSED, "connection from {} refused: {}", Logs.address(endPoint.getRemoteSocketAddress()),
                garbled ? "garbled PROXY protocol header" : "it did not start with a PROXY protocol header");
        if (!garbled && buffer.hasRemaining() && Character.isLetter(buffer.get(buffer.position()))) {
            // looks like HTTP: say why (a TLS client gets no answer it could not read anyway)
            endPoint.write(Callback.from(() -> endPoint.close()), ByteBuffer.wrap(NO_PROXY_HEADER));
        } else {
            endPoint.close();
        }
    }

    private static boolean startsWith(ByteBuffer buffer, byte[] prefix) {
        if (buffer.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(buffer.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Recognizes a v1 header only once its whole line is there and well formed; Jetty's parses it. */
    private static final class CheckedV1 extends AbstractConnectionFactory implements ConnectionFactory.Detecting {

        private final ConnectionFactory.Detecting jetty;

        CheckedV1(ConnectionFactory.Detecting jetty) {
            super(jetty.getProtocol());
            this.jetty = jetty;
        }

        @Override
        public Detection detect(ByteBuffer buffer) {
            int n = Math.min(buffer.remaining(), V1_SIGNATURE.length);
            for (int i = 0; i < n; i++) {
                if (buffer.get(buffer.position() + i) != V1_SIGNATURE[i]) {
                    return Detection.NOT_RECOGNIZED;
                }
            }
            int window = Math.min(buffer.remaining(), V1_MAX_LINE);
            for (int i = 0; i < window; i++) {
                if (buffer.get(buffer.position() + i) == '\n') {
                    byte[] line = new byte[i];
                    buffer.slice().get(line);
                    return wellFormed(new String(line, StandardCharsets.US_ASCII)) ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
                }
            }
            return buffer.remaining() < V1_MAX_LINE ? Detection.NEED_MORE_BYTES : Detection.NOT_RECOGNIZED;
        }

        /** {@code PROXY TCP4|TCP6 <source> <destination> <port> <port>\r}, or {@code PROXY UNKNOWN…\r}. */
        private static boolean wellFormed(String line) {
            if (!line.endsWith("\r")) {
                return false;
            }
            String[] f = line.substring(0, line.length() - 1).split(" ", -1);
            if (f.length >= 2 && f[1].equals("UNKNOWN")) {
                return true;
            }
            if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
                return false;
            }
            for (int i = 2; i <= 3; i++) {
                boolean ip = f[1].equals("TCP4") ? ClientAddress.IPV4.matcher(f[i]).matches()
                        : f[i].indexOf(':') != f[i].lastIndexOf(':') && ClientAddress.node(f[i]) != null;
                if (!ip) {
                    return false;
                }
            }
            for (int i = 4; i <= 5; i++) {
                if (!PORT.matcher(f[i]).matches() || Integer.parseInt(f[i]) > 65535) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public org.eclipse.jetty.io.Connection newConnection(Connector connector, EndPoint endPoint) {
            return jetty.newConnection(connector, endPoint);
        }
    }

    private static byte[] answer400(String body) {
        return ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }
}
