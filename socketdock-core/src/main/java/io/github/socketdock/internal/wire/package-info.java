/**
 * The wire format, in one place: what exactly goes over the wire between SocketDock and an HTTP
 * backend. {@link io.github.socketdock.internal.wire.WireFormat} is the facade: the JSON envelopes
 * of connect, message and disconnect, the {@code SocketDock-*} headers, the callback routes and
 * their bodies; the rest writes an envelope once into a pooled buffer ({@link
 * io.github.socketdock.internal.wire.Envelope}) or streams a large one, and checks UTF-8.
 *
 * <p>Imports only {@code internal.common} and {@code internal.net}. Not exported; may change in
 * any release.
 */
package io.github.socketdock.internal.wire;
