/**
 * The relay on a Jetty server: {@code DockHandler} (the upgrade, the routes, the registry, the
 * limits, the housekeeping, the drain) run on a server of its own ({@link
 * io.github.socketdock.internal.server.DockServer}) or mounted on a host's ({@link
 * io.github.socketdock.internal.server.MountedDock}); the control routes ({@code /send},
 * {@code /disconnect}) and the probes. {@code SocketDock} sees either as a {@link
 * io.github.socketdock.internal.server.RunningDock}.
 *
 * <p>The top layer: imports every other internal package but {@code backend}. Not exported; may
 * change in any release.
 */
package io.github.socketdock.internal.server;
