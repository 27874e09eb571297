package io.github.socketdock.cli;

import java.time.Duration;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * Bounds on what SocketDock accepts and holds, and on how long it takes to stop: the "Limits" help topic.
 * An option marked "default: LibraryDefaults" declares no default of its own: it takes the
 * library's constant (see {@link LibraryDefaults}).
 */
final class LimitOptions {

    // default: LibraryDefaults
    @Option(names = "--max-message-size", paramLabel = "<size>", converter = SizeConverter.class,
            description = "Largest message, from clients (larger closes the socket with 1009) and on the send "
                    + "route (larger is refused with 413); bytes, or with KiB, MiB, GiB.")
    long maxMessageSize;

    @Option(names = "--max-connections", paramLabel = "<number>", defaultValue = "0",
            converter = WholeNumberConverter.class,
            description = "Open connections at most; beyond it new upgrades are refused with 503. 0 for unlimited.")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "<number>", defaultValue = "0",
            converter = WholeNumberConverter.class,
            description = "Open connections from one client address at most; beyond it an upgrade from that address "
                    + "is refused with 429. 0 for unlimited.")
    int maxConnectionsPerIp;

    // default: LibraryDefaults
    @Option(names = "--max-queued-bytes", paramLabel = "<size>", converter = SizeConverter.class,
            description = "Bytes waiting in one connection's outbound queue at most; a send beyond it is refused "
                    + "(the send route answers 503).")
    long maxQueuedBytes;

    // default: LibraryDefaults
    @Option(names = "--slow-client-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Closes a connection with 1008 when frames wait in its outbound queue and the client has "
                    + "read none of them for this long.")
    Duration slowClientTimeout;

    // default: LibraryDefaults
    @Option(names = "--unfinished-message-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Closes a connection with 1008 when a message it began holds budget unfinished for this "
                    + "long, and gives what it held back.")
    Duration unfinishedMessageTimeout;

    /** Null unless given: then the library's default, a quarter of the maximum heap, applies. */
    @Option(names = "--max-buffered-bytes", paramLabel = "<size>", converter = SizeConverter.class,
            showDefaultValue = Visibility.NEVER,
            description = {"One budget for the whole instance: bytes of frames waiting in outbound queues plus "
                    + "inbound messages not yet delivered to the backend. At the bound the send route answers 503 "
                    + "and sockets stop being read until it drains.",
                    "  Default: a quarter of the max heap"})
    Long maxBufferedBytes;

    @Option(names = "--compression", defaultValue = "false",
            description = "Offers permessage-deflate to clients; it costs memory on every socket. Off unless "
                    + "given (or SOCKETDOCK_COMPRESSION=true).")
    boolean compression;

    // default: LibraryDefaults
    @Option(names = "--shutdown-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "On SIGTERM or Ctrl-C: how long to wait for connections to close with 1001, the backend "
                    + "to take their disconnects and its calls under way to finish, before stopping anyway. "
                    + "0 stops without waiting.")
    Duration shutdownTimeout;
}
