/**
 * The SocketDock test kit, for mediator authors and for SocketDock's own tests: a
 * {@link io.github.socketdock.testing.RecordingBackend} (events as values), a
 * {@link io.github.socketdock.testing.MockMediator} (a real HTTP mediator that records envelopes
 * and answers through {@code meta.send}), a {@link io.github.socketdock.testing.TestWebSocket}
 * (a real WebSocket client), and a {@link io.github.socketdock.testing.SocketDockExtension} that
 * starts a dock on {@code 127.0.0.1:0} before each test and closes everything after it.
 */
package io.github.socketdock.testing;
