package io.github.socketdock.internal.relay;

import io.github.socketdock.Backend;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.ControlApi;
import io.github.socketdock.KeepAlive;
import io.github.socketdock.Keystore;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDockListener;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The validated settings of one SocketDock, built once by {@code SocketDock.Builder} from its
 * groups: the public listener, the control API, keep-alive, limits, the backend and how upgrades
 * are decided, the drain, and metrics.
 *
 * @param listen          the public listener
 * @param control         where the control routes are served and the tokens they require
 * @param keepAlive       pings, and the idle timeout
 * @param limits          bounds on connections, messages, buffered bytes, slow and unfinished clients
 * @param backend         where socket events go
 * @param connect         whether the backend decides on each upgrade, and how long it may take
 * @param shutdownTimeout how long close() waits for the drain
 * @param observers       the listeners and the metrics page
 */
public record Settings(Listen listen, ControlApi control, KeepAlive keepAlive, Limits limits,
                       Backend backend, Connect connect, Duration shutdownTimeout, Observers observers) {

    /** What the public listener does besides serving, each on or off. */
    public enum Feature {
        /** Offer permessage-deflate. */
        COMPRESSION,
        /** Read the client's address from a PROXY protocol header, required on every connection. */
        PROXY_PROTOCOL,
        /** Take the client's address from the forwarded headers. */
        TRUST_FORWARDED
    }

    /**
     * The public listener.
     *
     * @param host           address to bind
     * @param port           port to bind, 0 for any
     * @param endpoint       base of the callback URLs, or null to derive it from the bound address
     * @param tls            the keystore both listeners serve TLS with, or null for plain HTTP
     * @param allowedOrigins browser origins allowed to connect; empty for all
     * @param features       what is on
     */
    public record Listen(String host, int port, URI endpoint, Keystore tls, List<String> allowedOrigins,
                         Set<Feature> features) {

        public Listen {
            allowedOrigins = List.copyOf(allowedOrigins);
            features = features.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(features));
        }

        /** @return whether permessage-deflate is offered */
        public boolean compression() {
            return features.contains(Feature.COMPRESSION);
        }

        /** @return whether the client's address comes from a PROXY protocol header */
        public boolean proxyProtocol() {
            return features.contains(Feature.PROXY_PROTOCOL);
        }

        /** @return whether the client's address comes from the forwarded headers */
        public boolean trustForwarded() {
            return features.contains(Feature.TRUST_FORWARDED);
        }
    }

    /**
     * How an upgrade is decided.
     *
     * @param mode            whether the backend decides on each upgrade
     * @param decisionTimeout how long an upgrade may wait for the backend's decision and its socket to open
     */
    public record Connect(ConnectMode mode, Duration decisionTimeout) {
    }

    /**
     * Who hears the relay's events, and what {@code GET /metrics} serves.
     *
     * @param listeners   the application's listeners, in the order added
     * @param contentType the page's content type, or null
     * @param page        renders the page, or null for no {@code /metrics} route
     */
    public record Observers(List<SocketDockListener> listeners, String contentType, Supplier<String> page) {
    }
}
