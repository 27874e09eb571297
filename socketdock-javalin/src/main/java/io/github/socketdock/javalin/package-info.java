/**
 * SocketDock in a Javalin 7 app: {@link io.github.socketdock.javalin.SocketDockJavalin}.
 */
package io.github.socketdock.javalin;
