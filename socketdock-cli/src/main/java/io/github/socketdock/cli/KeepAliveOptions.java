package io.github.socketdock.cli;

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
            description = "How often each client is pinged; a client that has not answered within --ping-timeout "
                    + "is dropped (its disconnect carries 1006). 0 for off.")
    Duration pingInterval;

    // default: LibraryDefaults
    @Option(names = "--ping-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long a client has to answer a ping.")
    Duration pingTimeout;

    @Option(names = "--idle-timeout", paramLabel = "<duration>", defaultValue = "0",
            converter = DurationConverter.class,
            description = "Closes a connection with 1001 when no data frame went either way for this long. 0 for off.")
    Duration idleTimeout;
}
