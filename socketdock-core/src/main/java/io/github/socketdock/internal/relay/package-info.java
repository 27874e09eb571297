/**
 * The relay core: one owner per connection, behind doors, its only public classes. The server
 * layer reaches it through {@link io.github.socketdock.internal.relay.RelayCore} (the one entry
 * point: the upgrades, the callbacks, the reports, the life of one running SocketDock), the
 * connection as a callback reaches it ({@link io.github.socketdock.internal.relay.CallbackTarget}),
 * the {@link io.github.socketdock.internal.relay.OutFrame} a callback sends and the validated
 * {@link io.github.socketdock.internal.relay.Settings}; the backend layer through what a built-in
 * backend is ({@link io.github.socketdock.internal.relay.BuiltInBackend}), what it is handed at
 * start ({@link io.github.socketdock.internal.relay.Relay}) and what that hands out (the
 * {@link io.github.socketdock.internal.relay.ByteBudget}, the
 * {@link io.github.socketdock.internal.relay.Events}); {@code SocketDock} builds the settings.
 *
 * <p>Behind them, package-private: {@code RelayConnection} holds a connection's inbound pipe,
 * outbound queue, close state machine, time rules and admission; around it the connection
 * registry, the connection limits, the upgrades' admission, the connect gate and the context
 * the parts share.
 *
 * <p>Imports {@code internal.common}, {@code internal.net} and {@code internal.wire}, never the
 * backend or server packages. Not exported; may change in any release.
 */
package io.github.socketdock.internal.relay;
