/**
 * The relay core: one owner per connection, behind two doors. The server layer reaches it only
 * through {@link io.github.socketdock.internal.relay.RelayCore} (the upgrades, the callbacks, the
 * reports, the life of one running SocketDock) and the connection as a callback reaches it
 * ({@link io.github.socketdock.internal.relay.CallbackTarget}); a built-in backend only through
 * {@link io.github.socketdock.internal.relay.Relay} (what it is handed at start) and what that
 * hands out (the byte budget, the events).
 *
 * <p>Behind them, package-private: {@code RelayConnection} holds a connection's inbound pipe,
 * outbound queue, close state machine, time rules and admission; around it the connection
 * registry, the connection limits, the connect gate and the context the parts share. Public
 * besides the doors: the validated {@link io.github.socketdock.internal.relay.Settings} (built by
 * {@code SocketDock}), the {@link io.github.socketdock.internal.relay.OutFrame} a callback sends,
 * and {@link io.github.socketdock.internal.relay.BuiltInBackend}, what a built-in backend is.
 *
 * <p>Imports {@code internal.common}, {@code internal.net} and {@code internal.wire}, never the
 * backend or server packages. Not exported; may change in any release.
 */
package io.github.socketdock.internal.relay;
