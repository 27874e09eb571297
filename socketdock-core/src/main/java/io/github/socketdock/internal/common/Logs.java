package io.github.socketdock.internal.common;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * SocketDock's loggers, named for what they tell rather than for the class that writes (the
 * "Logging" section of {@code SocketDock}'s javadoc is their contract), and the MDC keys a line
 * about one connection carries.
 */
public final class Logs {

    /** Connections opened, closed and refused (rate-limited through {@link LimitedLog}). */
    public static final Logger CONNECTIONS = LoggerFactory.getLogger("io.github.socketdock.connections");
    /** Backend calls: DEBUG one line per call, WARN a call that failed for good. */
    public static final Logger BACKEND = LoggerFactory.getLogger("io.github.socketdock.backend");
    /** Callback routes: WARN a token refused, DEBUG every other refusal. */
    public static final Logger CONTROL = LoggerFactory.getLogger("io.github.socketdock.control");
    /** The server itself: listening, the drain, failures of its own. */
    public static final Logger SERVER = LoggerFactory.getLogger("io.github.socketdock.server");

    /** MDC key: the connection's id. */
    static final String CONNECTION_ID = "connection_id";
    /** MDC key: the client's address. */
    static final String REMOTE = "remote";

    private Logs() {
    }

    /**
     * Puts a connection's MDC keys for the lines logged on this thread until the scope closes,
     * then puts back what the thread had before (a backend line logged inside a connection's scope
     * keeps it).
     *
     * @param id     the connection's id
     * @param remote the client's address, or null when not known
     * @return the scope to close
     */
    public static Scope connection(String id, SocketAddress remote) {
        Scope scope = new Scope(MDC.get(CONNECTION_ID), MDC.get(REMOTE));
        MDC.put(CONNECTION_ID, id);
        if (remote != null) {
            MDC.put(REMOTE, address(remote));
        } else {
            MDC.remove(REMOTE);
        }
        return scope;
    }

    /**
     * Takes the connection MDC keys away for the lines logged until the scope closes (a line about
     * no one connection, logged where one connection's keys are set), then puts them back.
     *
     * @return the scope to close
     */
    public static Scope none() {
        Scope scope = new Scope(MDC.get(CONNECTION_ID), MDC.get(REMOTE));
        MDC.remove(CONNECTION_ID);
        MDC.remove(REMOTE);
        return scope;
    }

    /** @return {@code 203.0.113.7:50123}, {@code [2001:db8::1]:50123}, or the address's own text */
    public static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            String ip = LogText.ip(inet);
            return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
        }
        return String.valueOf(remote);
    }

    /** The MDC keys of a connection, put back as they were on {@link #close()}. */
    public static final class Scope implements AutoCloseable {
        private final String previousId;
        private final String previousRemote;

        private Scope(String previousId, String previousRemote) {
            this.previousId = previousId;
            this.previousRemote = previousRemote;
        }

        @Override
        public void close() {
            restore(CONNECTION_ID, previousId);
            restore(REMOTE, previousRemote);
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
