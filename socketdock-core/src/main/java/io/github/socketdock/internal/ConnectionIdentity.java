package io.github.socketdock.internal;

import io.github.socketdock.Connection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * Who a connection is: its id, upgrade headers, client address and callback URLs, shared by the
 * open connection and the one still waiting for the backend's decision.
 */
abstract class ConnectionIdentity implements Connection {

    /** The connection id. */
    protected final String id;
    private final Map<String, String> headers;
    private final InetSocketAddress remote;
    /**
     * The callback URLs as text: what every envelope carries. Kept as strings, a few hundred bytes
     * less per connection than two parsed {@code URI}s; {@link #sendUri()} parses on demand.
     */
    private final String sendUrl;
    private final String disconnectUrl;

    ConnectionIdentity(String id, Map<String, String> headers, InetSocketAddress remote, URI endpoint) {
        this.id = id;
        this.headers = Map.copyOf(headers);
        this.remote = remote;
        this.sendUrl = WireFormat.sendUrl(endpoint, id);
        this.disconnectUrl = WireFormat.disconnectUrl(endpoint, id);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Map<String, String> headers() {
        return headers;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public final URI sendUri() {
        return URI.create(sendUrl);
    }

    @Override
    public final URI disconnectUri() {
        return URI.create(disconnectUrl);
    }

    /** @return {@link #sendUri()} as text, without parsing it */
    final String sendUrl() {
        return sendUrl;
    }

    /** @return {@link #disconnectUri()} as text, without parsing it */
    final String disconnectUrl() {
        return disconnectUrl;
    }
}
