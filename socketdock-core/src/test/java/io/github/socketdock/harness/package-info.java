/**
 * Core's own test harness, for the tests that need core's classes: a manual clock for the relay's
 * time rules ({@link io.github.socketdock.harness.ManualTicker}), a backend that remembers what it
 * saw while another answers ({@link io.github.socketdock.harness.CapturingBackend}), a relay
 * wired to a recording HTTP backend ({@link io.github.socketdock.harness.HttpRelay}), and the
 * storms of the fuzz tests. The fixtures that need nothing of core are in the
 * {@code socketdock-fixtures} module, shared with the other modules' tests.
 */
package io.github.socketdock.harness;
