package io.github.socketdock.cli;

import io.github.socketdock.KeepAlive;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Pings, and dropping connections that went quiet: the "Keep-alive" help topic. An option marked
 * "default: LibraryDefaults" declares no default of its own: it takes the library's constant (see
 * {@link LibraryDefaults}).
 */
final class KeepAliveOptions {

    // default: LibraryDefaults
    @Option(names = "--ping-interval", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How often each client is pinged; 0 for off.")
    Duration pingInterval;

    // default: LibraryDefaults
    @Option(names = "--ping-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long a client has to answer a ping before it is dropped.")
    Duration pingTimeout;

    @Option(names = "--idle-timeout", paramLabel = "<duration>", defaultValue = "0",
            converter = DurationConverter.class,
            description = "Close with 1001 after this long without a data frame; 0 for off.")
    Duration idleTimeout;

    /** @return the library's keep-alive settings these options give, each checked under its option's name */
    KeepAlive keepAlive(OptionCalls calls) {
        KeepAlive k = KeepAlive.defaults();
        k = calls.with("--ping-interval", k, v -> v.withPingInterval(pingInterval));
        k = calls.with("--ping-timeout", k, v -> v.withPingTimeout(pingTimeout));
        return calls.with("--idle-timeout", k, v -> v.withIdleTimeout(idleTimeout));
    }
}
