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
    private final URI sendUri;
    private final URI disconnectUri;

    ConnectionIdentity(String id, Map<String, String> headers, InetSocketAddress remote, URI endpoint) {
        this.id = id;
        this.headers = Map.copyOf(headers);
        this.remote = remote;
        this.sendUri = WireFormat.sendUri(endpoint, id);
        this.disconnectUri = WireFormat.disconnectUri(endpoint, id);
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
        return sendUri;
    }

    @Override
    public final URI disconnectUri() {
        return disconnectUri;
    }
}
