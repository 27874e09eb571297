/**
 * The network edges: what a connection is before it is a WebSocket. TLS ({@link
 * io.github.socketdock.internal.net.Tls}), the PROXY protocol, the client's address behind a
 * balancer ({@link io.github.socketdock.internal.net.ClientAddress}), and which browser origins
 * may connect ({@link io.github.socketdock.internal.net.OriginPolicy}).
 *
 * <p>Imports only {@code internal.common}. Not exported; may change in any release.
 */
package io.github.socketdock.internal.net;
