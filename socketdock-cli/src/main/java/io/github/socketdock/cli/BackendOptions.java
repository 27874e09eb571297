package io.github.socketdock.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * Which backend takes the socket events, and the http backend's settings: the "Backend" help topic.
 * An option marked "default: LibraryDefaults" declares no default of its own: it takes the
 * library's constant (see {@link LibraryDefaults}).
 */
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

    // default: LibraryDefaults
    @Option(names = "--max-inflight", paramLabel = "<count>", converter = CountConverter.class,
            description = "http backend: answers awaited of messages already delivered, over all connections "
                    + "(at most three quarters of --backend-max-connections); past it the oldest is given up and "
                    + "counted, and no socket stops being read. 0 for as many as that allows.")
    int maxInflight;

    // default: LibraryDefaults
    @Option(names = "--backend-max-connections", paramLabel = "<count>", converter = CountConverter.class,
            description = "http backend: pooled HTTP connections to the backend; 0 for unlimited.")
    int maxConnections;

    // default: LibraryDefaults
    @Option(names = "--backend-connect-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: time allowed to open a connection to the backend.")
    Duration connectTimeout;

    // default: LibraryDefaults
    @Option(names = "--backend-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: time allowed for a whole request, answer included. A message whose "
                    + "request was fully sent counts as delivered even if its answer then times out.")
    Duration timeout;

    // default: LibraryDefaults
    @Option(names = "--backend-retries", paramLabel = "<number>", converter = WholeNumberConverter.class,
            description = "http backend: how often a request is retried when it did not reach the backend "
                    + "(connection refused, or failed before the request was fully sent), the backend answered 503, "
                    + "or its connection failed before any answer began (same SocketDock-Message-Id: the backend "
                    + "can drop the duplicate). 0 for no retries (not unlimited). A message still undelivered after "
                    + "its retries closes its socket with 1011; disconnects are retried for a fixed period whatever "
                    + "this says.")
    int retries;

    // default: LibraryDefaults
    @Option(names = "--backend-retry-backoff", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: delay before the first retry; each further retry waits twice as long, "
                    + "with jitter.")
    Duration retryBackoff;

    // default: LibraryDefaults
    @Option(names = "--backend-ordering-window", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: how long a connection's next message waits, after the previous one was "
                    + "fully sent, for the backend to begin answering it, so that the backend receives a "
                    + "connection's messages in order. 0 sends the next message as soon as the previous one was "
                    + "fully sent (faster, but the backend may see them out of order).")
    Duration orderingWindow;

    @Option(names = "--signing-secret", paramLabel = "whsec_<base64>", split = "\\s*,\\s*",
            splitSynopsisLabel = ",", showDefaultValue = Visibility.NEVER,
            description = "http backend: sign every request as Standard Webhooks (webhook-id, webhook-timestamp, "
                    + "webhook-signature) with this secret; repeat it to sign with two while rotating. Never logged. "
                    + "Unset: requests are not signed.")
    List<String> signingSecrets = new ArrayList<>();

    @Option(names = "--connect-mode", paramLabel = "notify|authorize", defaultValue = "notify",
            converter = ConnectModeConverter.class,
            description = "notify: the backend is told of a socket already open, as the original. authorize: the "
                    + "upgrade waits for the answer to the connect POST (needs --connect-uri): 2xx accepts, 4xx "
                    + "refuses the handshake with that status, anything else with 503.")
    io.github.socketdock.ConnectMode connectMode;

    @Option(names = "--backend-truststore", paramLabel = "<file.p12>",
            description = "http backend: trust the CAs in this PKCS12 truststore for an https backend behind a "
                    + "private CA; needs --backend-truststore-password. Unset: the JDK's trusted CAs.")
    java.nio.file.Path trustStore;

    @Option(names = "--backend-truststore-password", paramLabel = "<password>",
            description = "Password of --backend-truststore. Never logged.")
    String trustStorePassword;

    @Option(names = "--backend-keystore", paramLabel = "<file.p12>",
            description = "http backend: present the certificate in this PKCS12 keystore to the backend (mutual TLS); "
                    + "needs --backend-keystore-password.")
    java.nio.file.Path keyStore;

    @Option(names = "--backend-keystore-password", paramLabel = "<password>",
            description = "Password of --backend-keystore. Never logged.")
    String keyStorePassword;
}
