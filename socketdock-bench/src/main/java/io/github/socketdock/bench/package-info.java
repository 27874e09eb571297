/**
 * The benchmarks: a load generator, benchmark backends, the relay under test as a child process,
 * and the comparison with Pushpin; {@link io.github.socketdock.bench.Bench} is the entry point.
 * Uses only SocketDock's public API. Not published.
 */
package io.github.socketdock.bench;
