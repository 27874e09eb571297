/**
 * What every part of the relay uses and none owns: the relay's clock ({@link
 * io.github.socketdock.internal.common.Ticker}), the four loggers and a connection's MDC ({@link
 * io.github.socketdock.internal.common.Logs}), rate-limited log lines ({@link
 * io.github.socketdock.internal.common.LimitedLog}), the text of counts, durations and sizes
 * ({@link io.github.socketdock.internal.common.LogText}), the builder's checks ({@link
 * io.github.socketdock.internal.common.Require}), the secrets the setting values keep to
 * themselves, thread pools, the version.
 *
 * <p>The bottom layer: imports no other package of {@code io.github.socketdock}, public or internal
 * (so the public packages that use its checks form no cycle with it). Not exported; may change in
 * any release.
 */
package io.github.socketdock.internal.common;
