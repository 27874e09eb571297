/**
 * A {@link io.github.socketdock.SocketDockListener} that records SocketDock's meters in a
 * Micrometer registry: {@link io.github.socketdock.micrometer.SocketDockMeters}.
 */
package io.github.socketdock.micrometer;
