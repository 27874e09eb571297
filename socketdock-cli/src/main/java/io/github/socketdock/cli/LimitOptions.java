package io.github.socketdock.cli;

import io.github.socketdock.Limits;
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
            description = "Largest message, from clients (1009) and on the send route (413).")
    long maxMessageSize;

    @Option(names = "--max-connections", paramLabel = "<number>", defaultValue = "0",
            converter = WholeNumberConverter.class,
            description = "Open connections at most (503 beyond); 0 for unlimited.")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "<number>", defaultValue = "0",
            converter = WholeNumberConverter.class,
            description = "Open connections from one address at most (429 beyond); 0 for unlimited.")
    int maxConnectionsPerIp;

    // default: LibraryDefaults
    @Option(names = "--max-queued-bytes", paramLabel = "<size>", converter = SizeConverter.class,
            description = "Bytes waiting in one socket's outbound queue at most (send answers 503 beyond).")
    long maxQueuedBytes;

    // default: LibraryDefaults
    @Option(names = "--slow-client-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Close with 1008 a client that read none of its waiting frames for this long.")
    Duration slowClientTimeout;

    // default: LibraryDefaults
    @Option(names = "--unfinished-message-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Close with 1008 a client whose message stays unfinished this long.")
    Duration unfinishedMessageTimeout;

    /** Null unless given: then the library's default, a quarter of the maximum heap, applies. */
    @Option(names = "--max-buffered-bytes", paramLabel = "<size>", converter = SizeConverter.class,
            showDefaultValue = Visibility.NEVER,
            description = {"Bytes buffered by the whole instance at most, both ways.",
                    "  Default: a quarter of the max heap"})
    Long maxBufferedBytes;

    @Option(names = "--compression", defaultValue = "false",
            description = "Offer permessage-deflate (costs memory on every socket).")
    boolean compression;

    // default: LibraryDefaults
    @Option(names = "--shutdown-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long SIGTERM's drain may take; 0 stops at once.")
    Duration shutdownTimeout;

    /**
     * @return the library's limits these options give, each checked under its option's name;
     * {@code --max-buffered-bytes} only when given (else the library's default, which depends on the heap)
     */
    Limits limits(OptionCalls calls) {
        Limits l = Limits.defaults();
        l = calls.with("--max-message-size", l, v -> v.withMaxMessageSize(maxMessageSize));
        l = calls.with("--max-connections", l, v -> v.withMaxConnections(maxConnections));
        l = calls.with("--max-connections-per-ip", l, v -> v.withMaxConnectionsPerAddress(maxConnectionsPerIp));
        l = calls.with("--max-queued-bytes", l, v -> v.withMaxQueuedBytes(maxQueuedBytes));
        l = calls.with("--slow-client-timeout", l, v -> v.withSlowClientTimeout(slowClientTimeout));
        l = calls.with("--unfinished-message-timeout", l, v -> v.withUnfinishedMessageTimeout(unfinishedMessageTimeout));
        if (maxBufferedBytes != null) {
            l = calls.with("--max-buffered-bytes", l, v -> v.withMaxBufferedBytes(maxBufferedBytes));
        }
        return l;
    }
}
