/**
 * The implementation behind the public API: the Jetty server tree, the WebSocket endpoint, the
 * connection registry, the callback routes, the JSON wire format and the built-in backends.
 *
 * <p>Not exported by the module {@code io.github.socketdock} and not part of the API: anything
 * here may change in any release without notice.
 */
package io.github.socketdock.internal;
