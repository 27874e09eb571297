/**
 * The relay on a Jetty server: {@code DockHandler} (the handler tree: the upgrade, the control
 * routes and the probes, each handing its work to the relay core's one entry point, {@link
 * io.github.socketdock.internal.relay.RelayCore}) run on a server of its own ({@link
 * io.github.socketdock.internal.server.DockServer}) or mounted on a host's ({@link
 * io.github.socketdock.internal.server.MountedDock}), which starts, drains and stops the
 * core. {@code SocketDock} sees either as a {@link
 * io.github.socketdock.internal.server.RunningDock}.
 *
 * <p>The top layer: imports every other internal package but {@code backend}; of {@code relay},
 * only the core's entry point, the connection as a callback reaches it, the frame and the
 * settings. Not exported; may change in any release.
 */
package io.github.socketdock.internal.server;
