package io.github.socketdock.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Which backend takes the socket events, and the http backend's settings: the "Backend" help group. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "loopback|http", defaultValue = "loopback",
            converter = BackendKind.Converter.class,
            description = "loopback echoes every message back; http POSTs every socket event to --message-uri.")
    BackendKind kind;

    @Option(names = {"--message-uri", "--message_uri"}, paramLabel = "<url>", converter = HttpUrlConverter.class,
            description = "http backend: where every message is POSTed. Required with --backend http.")
    URI messageUri;

    @Option(names = {"--connect-uri", "--connect_uri"}, paramLabel = "<url>", converter = HttpUrlConverter.class,
            description = "http backend: where connects are POSTed. Unset: connects are not posted.")
    URI connectUri;

    @Option(names = {"--disconnect-uri", "--disconnect_uri"}, paramLabel = "<url>",
            converter = HttpUrlConverter.class,
            description = "http backend: where disconnects are POSTed. Unset: disconnects are not posted.")
    URI disconnectUri;

    @Option(names = "--max-inflight", paramLabel = "<count>", defaultValue = "64", converter = CountConverter.class,
            description = "http backend: message answers awaited per connection before SocketDock stops "
                    + "reading that socket; 0 for unlimited.")
    int maxInflight;

    @Option(names = "--backend-max-connections", paramLabel = "<count>", defaultValue = "2048",
            converter = CountConverter.class,
            description = "http backend: pooled HTTP connections to the backend; 0 for unlimited.")
    int maxConnections;
}
