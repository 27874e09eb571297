/**
 * How the adapter modules mount a SocketDock on a host's Jetty server: exported to
 * {@code io.github.socketdock.jetty} and {@code io.github.socketdock.javalin} only, and free to
 * change in any release.
 */
package io.github.socketdock.mount;
