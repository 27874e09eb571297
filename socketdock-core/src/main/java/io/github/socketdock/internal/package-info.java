/**
 * The implementation behind the public API: the relay's request handling ({@code DockHandler}) on a
 * server of its own ({@code DockServer}) or mounted on a host's ({@code MountedDock}), the WebSocket
 * endpoint, the connection registry, the callback routes, the JSON wire format and the built-in
 * backends.
 *
 * <p>Not exported by the module {@code io.github.socketdock} and not part of the API: anything
 * here may change in any release without notice.
 */
package io.github.socketdock.internal;
