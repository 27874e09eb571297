package io.github.socketdock.cli;

import io.github.socketdock.Keystore;
import io.github.socketdock.http.Retry;
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
            description = "loopback echoes every message; http POSTs every socket event to the URIs below.")
    BackendKind kind;

    @Option(names = {"--message-uri", "--message_uri"}, paramLabel = "<url>", converter = HttpUrlConverter.class,
            description = "http backend: where messages are POSTed (required).")
    URI messageUri;

    @Option(names = {"--connect-uri", "--connect_uri"}, paramLabel = "<url>", converter = HttpUrlConverter.class,
            description = "http backend: where connects are POSTed. Unset: not posted.")
    URI connectUri;

    @Option(names = {"--disconnect-uri", "--disconnect_uri"}, paramLabel = "<url>",
            converter = HttpUrlConverter.class,
            description = "http backend: where disconnects are POSTed. Unset: not posted.")
    URI disconnectUri;

    // default: LibraryDefaults
    @Option(names = "--max-inflight", paramLabel = "<count>", converter = CountConverter.class,
            description = "http backend: answers awaited at once over all sockets; past it the oldest is given up.")
    int maxInflight;

    // default: LibraryDefaults
    @Option(names = "--backend-max-connections", paramLabel = "<count>", converter = CountConverter.class,
            description = "http backend: pooled HTTP connections; 0 for unlimited.")
    int maxConnections;

    // default: LibraryDefaults
    @Option(names = "--backend-connect-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: time allowed to open a connection.")
    Duration connectTimeout;

    // default: LibraryDefaults
    @Option(names = "--backend-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: time allowed for a whole request, answer included.")
    Duration timeout;

    // default: LibraryDefaults
    @Option(names = "--backend-retries", paramLabel = "<number>", converter = WholeNumberConverter.class,
            description = "http backend: retries of a request not delivered or answered 503; 0 for none.")
    int retries;

    // default: LibraryDefaults
    @Option(names = "--backend-retry-backoff", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: delay before the first retry, doubling after.")
    Duration retryBackoff;

    // default: LibraryDefaults
    @Option(names = "--backend-ordering-window", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "http backend: how long a socket's next message waits for the previous one's answer to begin.")
    Duration orderingWindow;

    @Option(names = "--signing-secret", paramLabel = "whsec_<base64>", split = "\\s*,\\s*",
            splitSynopsisLabel = ",", showDefaultValue = Visibility.NEVER,
            description = "http backend: sign requests as Standard Webhooks; repeatable. Never logged.")
    List<String> signingSecrets = new ArrayList<>();

    @Option(names = "--connect-mode", paramLabel = "notify|authorize", defaultValue = "notify",
            converter = ConnectModeConverter.class,
            description = "authorize: the upgrade waits for the connect POST's answer (2xx accepts).")
    io.github.socketdock.ConnectMode connectMode;

    @Option(names = "--backend-truststore", paramLabel = "<file.p12>",
            description = "http backend: trust the CAs in this PKCS12 truststore.")
    java.nio.file.Path trustStore;

    @Option(names = "--backend-truststore-password", paramLabel = "<password>",
            description = "Password of --backend-truststore. Never logged.")
    String trustStorePassword;

    @Option(names = "--backend-keystore", paramLabel = "<file.p12>",
            description = "http backend: client certificate (mutual TLS) from this PKCS12 keystore.")
    java.nio.file.Path keyStore;

    @Option(names = "--backend-keystore-password", paramLabel = "<password>",
            description = "Password of --backend-keystore. Never logged.")
    String keyStorePassword;

    /** @return the http backend's retry settings these options give, each checked under its option's name */
    Retry retry(OptionCalls calls) {
        Retry r = calls.with("--backend-retries", Retry.defaults(), v -> v.withRetries(retries));
        return calls.with("--backend-retry-backoff", r, v -> v.withBackoff(retryBackoff));
    }

    /**
     * @return the keystore of {@code --backend-truststore}, or null without it
     * @throws picocli.CommandLine.ParameterException if its password is not given
     */
    Keystore trustStore(OptionCalls calls) {
        return trustStore == null ? null : Keystore.pkcs12(trustStore,
                calls.required(trustStorePassword, "--backend-truststore", "--backend-truststore-password"));
    }

    /**
     * @return the keystore of {@code --backend-keystore}, or null without it
     * @throws picocli.CommandLine.ParameterException if its password is not given
     */
    Keystore keyStore(OptionCalls calls) {
        return keyStore == null ? null : Keystore.pkcs12(keyStore,
                calls.required(keyStorePassword, "--backend-keystore", "--backend-keystore-password"));
    }
}
