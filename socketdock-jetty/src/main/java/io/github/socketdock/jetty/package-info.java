/**
 * SocketDock on an existing Jetty 12.1 server: {@link io.github.socketdock.jetty.SocketDockMount}.
 */
package io.github.socketdock.jetty;
