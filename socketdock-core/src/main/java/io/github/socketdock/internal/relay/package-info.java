/**
 * The relay core: one owner per connection. {@link io.github.socketdock.internal.relay.RelayConnection}
 * holds a connection's inbound pipe, outbound queue, close state machine, time rules and
 * admission; around it the connection registry, the connection limits, the process-wide byte
 * budget, the connect gate, the validated {@link io.github.socketdock.internal.relay.Settings},
 * the events told to the listeners, and {@link io.github.socketdock.internal.relay.Relay}: what a
 * built-in backend is handed at start.
 *
 * <p>Imports {@code internal.common}, {@code internal.net} and {@code internal.wire}, never the
 * backend or server packages. Not exported; may change in any release.
 */
package io.github.socketdock.internal.relay;
