/** Compiled, tested examples of embedding SocketDock in a Java application. */
package io.github.socketdock.examples;
