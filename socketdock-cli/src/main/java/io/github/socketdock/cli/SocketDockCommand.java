package io.github.socketdock.cli;

import ch.qos.logback.classic.Level;
import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.SocketDockException;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code socketdock} command: parsed options in, one {@link SocketDock} out, started and kept
 * running until the process is told to stop (Ctrl-C, SIGTERM), when a shutdown hook closes it.
 *
 * <p>It holds no logic of its own: {@link #builder()} maps each option to one builder call, and
 * the builders validate. An option's default is the library's ({@link LibraryDefaults}), so an
 * option left unset makes its call with the value the builder already holds; the one exception,
 * {@code --max-buffered-bytes}, whose default depends on the heap, is passed on only when given.
 * {@link #builder()} works on parsed options without starting anything, so tests check the
 * mapping without a process.
 */
@Command(name = "socketdock",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        showDefaultValues = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        showAtFileInUsageHelp = true,
        description = "A WebSocket relay: holds client WebSockets at /ws and turns every socket event into a call "
                + "on a backend, which answers through per-connection callback URLs.",
        footerHeading = "%nEnvironment:%n",
        footer = {"Every option can also be set by a variable SOCKETDOCK_<NAME>, NAME being the option's long "
                + "name upper-cased with - as _ (SOCKETDOCK_MESSAGE_URI for --message-uri); a flag beats its "
                + "variable. A repeatable option takes a comma-separated list; a flag without a value "
                + "(--compression) takes true or false.",
                "Options can also come from a file: socketdock @<file> reads options from <file>, whitespace-"
                        + "separated, values with spaces in double quotes, # starting a comment line; options after "
                        + "it on the command line beat it, and it beats the variables.",
                "Durations are written 500ms, 5s, 2m, 1h, and 0 is off where an option says so; sizes as bytes or "
                        + "with KiB, MiB, GiB; counts are whole numbers, and 0 is unlimited where an option says so "
                        + "(for --backend-retries it is no retries)."})
public final class SocketDockCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SocketDockCommand.class);

    @Spec
    CommandSpec spec;

    /** The http backend's options as {@link #builder()} last built them, for the effective-settings line. */
    private Optional<HttpBackendOptions> http = Optional.empty();

    @Option(names = "--log-level", paramLabel = "<level>", defaultValue = "INFO", converter = LogLevelConverter.class,
            description = "TRACE, DEBUG, INFO, WARN (or WARNING) or ERROR (or CRITICAL). Jetty's own logs stay at WARN.")
    Level logLevel;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", converter = LogFormat.Converter.class,
            description = "text: plain lines; json: one JSON object per line (Logback's JSON encoder), for log "
                    + "collectors. Both on stderr.")
    LogFormat logFormat;

    // Each topic is a mixin named by its help heading, not an @ArgGroup: picocli starts a new instance of a
    // group when one of its options comes again, dropping the group's earlier options (--bindport 1
    // --endpoint a --endpoint b lost --bindport), which breaks overriding an @file's option. TopicHelp
    // renders the headings.
    @Mixin(name = "Listening")
    ListenOptions listen = new ListenOptions();

    @Mixin(name = "Backend")
    BackendOptions backend = new BackendOptions();

    @Mixin(name = "Keep-alive")
    KeepAliveOptions keepAlive = new KeepAliveOptions();

    @Mixin(name = "Limits")
    LimitOptions limits = new LimitOptions();

    /**
     * Sets the log format and level, builds and starts SocketDock, logs where it listens and the effective
     * settings (tokens, secrets and passwords masked by the builders' {@code toString}), and blocks
     * until the shutdown hook has closed it.
     *
     * @return 0 once closed; 1 if SocketDock could not start (the reason printed as one line)
     * @throws ParameterException for a bad combination of options (exit code 2)
     */
    @Override
    public Integer call() {
        logFormat.apply();
        LogLevels.setRoot(logLevel);
        SocketDock.Builder settings = builder();
        PrometheusMetrics metrics = new PrometheusMetrics();
        metrics.applyTo(settings);
        SocketDock built = build(settings);
        SocketDock dock;
        try {
            dock = built.start();
        } catch (SocketDockException e) {
            metrics.close();
            spec.commandLine().getErr().println(OneLineErrorHandler.PREFIX + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            dock.close();
            metrics.close();
            LOG.info("SocketDock stopped");
            closed.countDown();
        }, "socketdock-shutdown"));
        warnAboutLikelyMistakes();
        LOG.info(startupLine(dock.port(), dock.endpoint())); // no template: the JSON "message" is the line itself
        LOG.info("effective settings: {}{}", settings, http.map(options -> ", " + options).orElse(""));
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dock.close();
        }
        return 0;
    }

    /**
     * Maps the parsed options onto a builder, one call per option. Starts nothing.
     *
     * @return a builder ready to {@code build()}
     * @throws ParameterException naming the option, for a bad combination or a value a builder refuses
     */
    SocketDock.Builder builder() {
        SocketDock.Builder b = SocketDock.builder();
        set("--bindip", () -> b.host(listen.bindIp));
        set("--bindport", () -> b.port(listen.bindPort));
        URI endpoint = endpoint();
        set("--endpoint", () -> b.endpoint(endpoint));
        set("--ping-interval", () -> b.pingInterval(keepAlive.pingInterval));
        set("--ping-timeout", () -> b.pingTimeout(keepAlive.pingTimeout));
        set("--idle-timeout", () -> b.idleTimeout(keepAlive.idleTimeout));
        set("--max-message-size", () -> b.maxMessageSize(limits.maxMessageSize));
        set("--allowed-origin", () -> b.allowedOrigins(listen.allowedOrigins));
        if (listen.controlBindIp != null || listen.controlBindPort != null) {
            String host = listen.controlBindIp != null ? listen.controlBindIp : SocketDock.DEFAULT_HOST;
            int port = listen.controlBindPort != null ? listen.controlBindPort : 0;
            set(listen.controlBindIp != null ? "--control-bindip" : "--control-bindport", () -> b.controlListener(host, port));
        }
        set("--control-token", () -> b.controlTokens(listen.controlTokens));
        b.connectMode(backend.connectMode);
        if (listen.tlsKeystore != null) {
            String password = required(listen.tlsKeystorePassword, "--tls-keystore", "--tls-keystore-password");
            set("--tls-keystore", () -> b.tls(listen.tlsKeystore, password));
        }
        b.proxyProtocol(listen.proxyProtocol);
        b.trustForwarded(listen.trustForwarded);
        set("--max-connections", () -> b.maxConnections(limits.maxConnections));
        set("--max-connections-per-ip", () -> b.maxConnectionsPerAddress(limits.maxConnectionsPerIp));
        set("--max-queued-bytes", () -> b.maxQueuedBytes(limits.maxQueuedBytes));
        set("--slow-client-timeout", () -> b.slowClientTimeout(limits.slowClientTimeout));
        set("--unfinished-message-timeout", () -> b.unfinishedMessageTimeout(limits.unfinishedMessageTimeout));
        if (limits.maxBufferedBytes != null) { // unset: the library's default, a quarter of the max heap
            set("--max-buffered-bytes", () -> b.maxBufferedBytes(limits.maxBufferedBytes));
        }
        set("--compression", () -> b.compression(limits.compression));
        set("--shutdown-timeout", () -> b.shutdownTimeout(limits.shutdownTimeout));
        http = httpBackendOptions();
        b.backend(http.map(Backends::http).orElseGet(Backends::loopback));
        return b;
    }

    /**
     * Builds; the library checks settings against each other, and a misfit is a usage error.
     *
     * @throws ParameterException with the library's one-line message (exit code 2)
     */
    SocketDock build(SocketDock.Builder settings) {
        try {
            return settings.build();
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /**
     * Logs a warning for a setting that is likely a mistake: http backend URLs given with
     * {@code --backend loopback}. (A wildcard {@code --bindip} without {@code --endpoint} is warned
     * about by the library itself, which derives the endpoint.)
     */
    void warnAboutLikelyMistakes() {
        if (backend.kind != BackendKind.HTTP
                && (backend.messageUri != null || backend.connectUri != null || backend.disconnectUri != null)) {
            LOG.warn("--message-uri, --connect-uri and --disconnect-uri are ignored with --backend {}", backend.kind);
        }
    }

    /**
     * @return the http backend's options, or empty with {@code --backend loopback}
     * @throws ParameterException if {@code --backend http} lacks {@code --message-uri}, or a value is refused
     */
    Optional<HttpBackendOptions> httpBackendOptions() {
        if (backend.kind != BackendKind.HTTP) {
            return Optional.empty();
        }
        if (backend.messageUri == null) {
            throw error("--backend http needs --message-uri, the URL where the backend receives every message");
        }
        HttpBackendOptions.Builder b = set("--message-uri", () -> HttpBackendOptions.builder(backend.messageUri));
        set("--connect-uri", () -> b.connectUri(backend.connectUri));
        set("--disconnect-uri", () -> b.disconnectUri(backend.disconnectUri));
        set("--max-inflight", () -> b.maxInflight(backend.maxInflight));
        set("--backend-max-connections", () -> b.maxConnections(backend.maxConnections));
        set("--backend-connect-timeout", () -> b.connectTimeout(backend.connectTimeout));
        set("--backend-timeout", () -> b.timeout(backend.timeout));
        set("--backend-retries", () -> b.retries(backend.retries));
        set("--backend-retry-backoff", () -> b.retryBackoff(backend.retryBackoff));
        set("--backend-ordering-window", () -> b.orderingWindow(backend.orderingWindow));
        set("--signing-secret", () -> b.signingSecrets(backend.signingSecrets));
        if (backend.trustStore != null) {
            String password = required(backend.trustStorePassword, "--backend-truststore", "--backend-truststore-password");
            set("--backend-truststore", () -> b.trustStore(backend.trustStore, password));
        }
        if (backend.keyStore != null) {
            String password = required(backend.keyStorePassword, "--backend-keystore", "--backend-keystore-password");
            set("--backend-keystore", () -> b.keyStore(backend.keyStore, password));
        }
        return Optional.of(b.build());
    }

    /**
     * The line logged once SocketDock listens, e.g. {@code SocketDock 0.1.0 listening on
     * ws://127.0.0.1:8765/ws (backend: http -> http://x/message; callbacks at http://127.0.0.1:8765)}.
     *
     * @param port     the port it listens on
     * @param endpoint the base of its callback URLs
     * @return the line
     */
    String startupLine(int port, URI endpoint) {
        String host = listen.bindIp.indexOf(':') >= 0 && !listen.bindIp.startsWith("[")
                ? "[" + listen.bindIp + "]" : listen.bindIp;
        String target = backend.kind == BackendKind.HTTP ? "http -> " + backend.messageUri : backend.kind.toString();
        return "SocketDock " + VersionProvider.version() + " listening on " + (listen.tlsKeystore != null ? "wss://" : "ws://")
                + host + ":" + port
                + "/ws (backend: " + target + "; callbacks at " + endpoint + ")";
    }

    private URI endpoint() {
        if (listen.endpoint != null && listen.externalHostAndPort != null) {
            throw error("--endpoint and --externalhostandport both given; give one "
                    + "(--externalhostandport host:port means --endpoint http://host:port)");
        }
        return listen.endpoint != null ? listen.endpoint : listen.externalHostAndPort;
    }

    /** Runs one builder call, turning the builder's IllegalArgumentException into a usage error naming the option. */
    private <T> T set(String option, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw error("invalid value for " + option + ": " + e.getMessage());
        }
    }

    private String required(String value, String option, String needed) {
        if (value == null) {
            throw error(option + " needs " + needed + " (or "
                    + EnvDefaultProvider.variableName(spec.findOption(needed)) + ")");
        }
        return value;
    }

    private ParameterException error(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
