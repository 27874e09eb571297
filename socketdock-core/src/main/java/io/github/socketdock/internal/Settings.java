package io.github.socketdock.internal;

import io.github.socketdock.Backend;
import io.github.socketdock.ConnectMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of one SocketDock, built once by {@code SocketDock.Builder}.
 *
 * @param host            address to bind
 * @param port            port to bind, 0 for any
 * @param endpoint        base of the callback URLs, or null to derive it from the bound address
 * @param backend         where socket events go
 * @param maxMessageSize  largest message in either direction, bytes
 * @param maxQueuedBytes  bound on one connection's outbound queue, bytes
 * @param shutdownTimeout   how long close() waits for the drain
 * @param pingInterval      between pings, zero for none
 * @param pingTimeout       time to answer a ping
 * @param idleTimeout       close after this long without data frames, zero for never
 * @param slowClientTimeout close a client that read nothing for this long while frames wait
 * @param maxConnections    bound on open connections
 * @param maxBufferedBytes  the process-wide budget of queued outbound and undelivered inbound bytes
 * @param compression       whether permessage-deflate is offered
 * @param allowedOrigins    browser origins allowed to connect; empty for all
 * @param control           the control listener and its tokens
 * @param connectMode       whether the backend decides on each upgrade
 * @param tls               the keystore both listeners serve TLS with, or null for plain HTTP
 * @param maxConnectionsPerAddress bound on open connections from one client address
 * @param meters          the listeners and the metrics page
 * @param proxyProtocol     whether the public listener reads the client's address from a PROXY protocol header
 * @param trustForwarded    whether the public listener takes the client's address from forwarded headers
 * @param connectDecisionTimeout how long an upgrade may wait for the backend's decision and its socket to open
 * @param unfinishedMessageTimeout how long a message may hold budget unfinished before its connection is closed with 1008
 */
public record Settings(String host, int port, URI endpoint, Backend backend, long maxMessageSize,
                       long maxQueuedBytes, Duration shutdownTimeout, Duration pingInterval, Duration pingTimeout,
                       Duration idleTimeout, Duration slowClientTimeout, int maxConnections, long maxBufferedBytes,
                       boolean compression, List<String> allowedOrigins, Control control,
                       ConnectMode connectMode, Tls tls, int maxConnectionsPerAddress,
                       Meters meters, boolean proxyProtocol, boolean trustForwarded,
                       Duration connectDecisionTimeout, Duration unfinishedMessageTimeout) {

    /**
     * A PKCS12 keystore and its password.
     *
     * @param keystore the file
     * @param password its password; never logged
     */
    public record Tls(java.nio.file.Path keystore, String password) {
        @Override
        public String toString() {
            return "Tls[" + keystore + ", password masked]";
        }
    }

    /**
     * Who hears the relay's events, and what {@code GET /metrics} serves.
     *
     * @param listeners   the application's listeners, in the order added
     * @param contentType the page's content type, or null
     * @param page        renders the page, or null for no {@code /metrics} route
     */
    public record Meters(java.util.List<io.github.socketdock.SocketDockListener> listeners, String contentType,
                         java.util.function.Supplier<String> page) {
    }

    /**
     * Where the control routes are served and who may call them.
     *
     * @param host   address of a separate control listener, or null to serve them on the public one
     * @param port   its port (0 for any)
     * @param tokens bearer tokens the control routes require; empty for none
     */
    public record Control(String host, int port, List<String> tokens) {

        /** @return whether the control routes have a listener of their own */
        public boolean separate() {
            return host != null;
        }
    }
}
