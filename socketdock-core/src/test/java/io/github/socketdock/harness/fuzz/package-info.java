/**
 * The parts of {@code FuzzIT}'s storm of malformed input: the seed, the generators of malformed
 * HTTP requests, callback bodies and WebSocket frames, the storm's operations on raw sockets, and
 * the bookkeeping that says what the relay must have done (expected answers, socket ids, what each
 * storm socket sent, the order of the backend's events).
 *
 * <p>Every generator draws only from the {@link java.util.Random} it is handed, in a fixed order,
 * so that one seed always yields the same operations.
 */
package io.github.socketdock.harness.fuzz;
