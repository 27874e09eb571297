/**
 * SocketDock: a WebSocket relay for DIDComm mediators and any backend that speaks only HTTP.
 *
 * <p>Start with {@link io.github.socketdock.SocketDock#builder()}. Socket events go to a
 * {@link io.github.socketdock.Backend}: one of the built-in {@link io.github.socketdock.Backends}
 * ({@code loopback}, {@code http}) or your own, which talks back to clients through
 * {@link io.github.socketdock.Connection}.
 */
package io.github.socketdock;
