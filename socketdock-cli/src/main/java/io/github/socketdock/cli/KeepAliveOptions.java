package io.github.socketdock.cli;

import io.github.socketdock.KeepAlive;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Pings, dropping connections that went quiet, and the receipts' rules: the "Keep-alive" help topic. An option marked
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

    // default: LibraryDefaults
    @Option(names = "--max-receipt-wait", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "The longest a /send?receipt= or a liveness probe waits; a longer one asked for is shortened.")
    Duration maxReceiptWait;

    @Option(names = "--close-on-receipt-timeout", defaultValue = "false",
            description = "Close a socket whose receipt or probe timed out (1001; the backend hears 1006 \"receipt timeout\").")
    boolean closeOnReceiptTimeout;

    /** @return the library's keep-alive settings these options give, each checked under its option's name */
    KeepAlive keepAlive(OptionCalls calls) {
        KeepAlive k = KeepAlive.defaults();
        k = calls.with("--ping-interval", k, v -> v.withPingInterval(pingInterval));
        k = calls.with("--ping-timeout", k, v -> v.withPingTimeout(pingTimeout));
        k = calls.with("--idle-timeout", k, v -> v.withIdleTimeout(idleTimeout));
        k = calls.with("--max-receipt-wait", k, v -> v.withMaxReceiptWait(maxReceiptWait));
        return k.withCloseOnReceiptTimeout(closeOnReceiptTimeout);
    }
}
