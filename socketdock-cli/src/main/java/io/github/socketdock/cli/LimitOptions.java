package io.github.socketdock.cli;

import picocli.CommandLine.Option;

/** Bounds on what SocketDock accepts: the "Limits" help group. */
final class LimitOptions {

    @Option(names = "--max-message-size", paramLabel = "<size>", defaultValue = "4MiB",
            converter = SizeConverter.class,
            description = "Largest message, from clients (larger closes the socket with 1009) and on the send "
                    + "route (larger is refused with 413); bytes, or with KiB, MiB, GiB.")
    long maxMessageSize;
}
