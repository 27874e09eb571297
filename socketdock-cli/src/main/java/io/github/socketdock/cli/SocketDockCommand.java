package io.github.socketdock.cli;

import io.github.socketdock.Backends;
import io.github.socketdock.Keystore;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code socketdock} command: parsed options in, one {@link SocketDock} out, started and kept
 * running until the process is told to stop (Ctrl-C, SIGTERM), when a shutdown hook closes it.
 *
 * <p>It holds no logic of its own: {@link #builder()} maps each option to one builder call, or
 * to one change of a setting value (keep-alive, limits, control API, retry) that an option class
 * builds and hands to the builder in one call; the library validates. An option's default is the
 * library's ({@link LibraryDefaults}), so an option left unset makes its call with the value the
 * builder already holds; the one exception, {@code --max-buffered-bytes}, whose default depends on
 * the heap, is passed on only when given. {@link #builder()} works on parsed options without
 * starting anything, so tests check the mapping without a process; {@link #prepare()} makes the
 * {@link Relay} that {@link #call()} starts, so tests run the whole command in-process too.
 */
@Command(name = "socketdock",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        showDefaultValues = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        showAtFileInUsageHelp = false,
        customSynopsis = "socketdock [OPTION...] [@<file>...]",
        description = "A WebSocket relay: holds client WebSockets at /ws and turns every socket event into a call "
                + "on a backend, which answers through per-connection callback URLs. Every option is explained in "
                + "the README.",
        footerHeading = "%nEnvironment, files, values and exit codes:%n",
        footer = {"Every option is also a variable SOCKETDOCK_<NAME> (SOCKETDOCK_MESSAGE_URI for --message-uri); "
                + "a flag beats its variable, and an unknown SOCKETDOCK_ variable is an error. A repeatable option "
                + "takes a comma-separated list.",
                "socketdock @<file> reads options from <file>; options after it beat it, and it beats the variables.",
                "Durations: 500ms, 5s, 2m, 1h. Sizes: bytes, or with KiB, MiB, GiB.",
                "Exit code 0 after a clean stop (SIGTERM drains), 1 if the drain's --shutdown-timeout passed with "
                        + "disconnects not taken or the start failed, 2 for bad configuration."})
public final class SocketDockCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SocketDockCommand.class);

    @Spec
    CommandSpec spec;

    /** The http backend's options as {@link #builder()} last built them, for the effective-settings line. */
    private Optional<HttpBackendOptions> http = Optional.empty();

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

    @Mixin(name = "Logging")
    LogOptions logging = new LogOptions();

    /**
     * Runs SocketDock until the process is told to stop: {@link #prepare()}, then {@link
     * Relay#start()}, and blocks until a signal (Ctrl-C, SIGTERM). The shutdown hook then drains,
     * and ends the process with 0 after a clean drain or 1 when the shutdown timeout passed with
     * disconnects not yet taken by the backend.
     *
     * @return 1 if SocketDock could not start (the reason printed as one line)
     * @throws ParameterException for an unknown {@code SOCKETDOCK_*} variable or a bad combination
     *                            of options (exit code 2)
     */
    @Override
    public Integer call() {
        Relay relay = prepare();
        // before start: a SIGTERM while it starts still drains (close waits for the start under way)
        Runtime.getRuntime().addShutdownHook(new Thread(relay::stopAndHalt, "socketdock-shutdown"));
        if (!relay.start()) {
            return 1;
        }
        try {
            new CountDownLatch(1).await(); // until the shutdown hook halts the process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return relay.stop();
    }

    /**
     * Everything but the start: checks the environment, sets logging up (and logs its warnings),
     * and builds SocketDock with its metrics, the effective settings (tokens, secrets and
     * passwords masked by the builders' {@code toString}) and its listening line. Tests run the
     * command in-process from here.
     *
     * @return the run, not started
     * @throws ParameterException for an unknown {@code SOCKETDOCK_*} variable, a {@code --log-file}
     *                            that cannot be written, or a bad combination of options (exit code 2)
     */
    Relay prepare() {
        checkEnvironment();
        List<String> warnings;
        try {
            warnings = logging.apply(given("--log-level"));
        } catch (IOException e) {
            throw error("cannot write --log-file " + logging.file + ": " + e.getMessage());
        }
        warnings.forEach(LOG::warn);
        SocketDock.Builder settings = builder();
        PrometheusMetrics metrics = new PrometheusMetrics();
        try {
            metrics.applyTo(settings);
            SocketDock dock = build(settings);
            return new Relay(dock, metrics, settingsLines(settings, http), d -> startupLine(d.uri(), d.endpoint()),
                    spec.commandLine().getErr());
        } catch (RuntimeException | Error e) {
            metrics.close(); // its JVM meters listen to the JVM until closed
            throw e;
        }
    }

    /**
     * The effective settings, a group a line: {@code settings listen: host=…}, {@code settings
     * control: …}, {@code settings keep-alive: …}, {@code settings limits: …}, {@code settings
     * backend: …}, and for the http backend {@code settings http uris: …}, {@code settings http
     * requests: …} and {@code settings http security: …}.
     *
     * @param settings the builder SocketDock was built from
     * @param http     the http backend's options, if that is the backend
     * @return the lines
     */
    static List<String> settingsLines(SocketDock.Builder settings, Optional<HttpBackendOptions> http) {
        List<String> lines = new ArrayList<>(groups("settings ", settings.toString()));
        http.ifPresent(options -> lines.addAll(groups("settings http ", options.toString())));
        return lines;
    }

    /** @return {@code prefix + group} for each group of a {@code Name[group; group; …]} text */
    private static List<String> groups(String prefix, String text) {
        List<String> lines = new ArrayList<>();
        for (String group : text.substring(text.indexOf('[') + 1, text.lastIndexOf(']')).split("; ")) {
            lines.add(prefix + group);
        }
        return lines;
    }

    /**
     * Refuses an unknown {@code SOCKETDOCK_*} variable, as a misspelled flag is refused, naming the
     * closest known one. The variables Kubernetes injects for a Service named {@code socketdock}
     * ({@code SOCKETDOCK_SERVICE_*}, {@code SOCKETDOCK_PORT}, {@code SOCKETDOCK_PORT_*}) are not
     * SocketDock's and are ignored.
     *
     * @throws ParameterException naming the variable and the closest known one (exit code 2)
     */
    void checkEnvironment() {
        if (!(spec.defaultValueProvider() instanceof EnvDefaultProvider env)) {
            return;
        }
        List<String> unknown = env.unknownVariables(spec);
        if (!unknown.isEmpty()) {
            throw error(env.unknownVariableMessage(spec, unknown.get(0)));
        }
    }

    /**
     * @param option an option's name
     * @return whether it was given: on the command line, in an {@code @file} or by its variable
     */
    boolean given(String option) {
        if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
            return true;
        }
        return spec.defaultValueProvider() instanceof EnvDefaultProvider env
                && env.fromEnvironment(spec.findOption(option)) != null;
    }

    /**
     * Maps the parsed options onto a builder, one call per option. Starts nothing.
     *
     * @return a builder ready to {@code build()}
     * @throws ParameterException naming the option, for a bad combination or a value a builder refuses
     */
    SocketDock.Builder builder() {
        OptionCalls calls = new OptionCalls(spec);
        SocketDock.Builder b = SocketDock.builder();
        calls.set("--bindip", () -> b.host(listen.bindIp));
        calls.set("--bindport", () -> b.port(listen.bindPort));
        URI endpoint = endpoint();
        calls.set("--endpoint", () -> b.endpoint(endpoint));
        b.keepAlive(keepAlive.keepAlive(calls));
        b.limits(limits.limits(calls));
        calls.set("--allowed-origin", () -> b.allowedOrigins(listen.allowedOrigins));
        b.controlApi(listen.controlApi(calls));
        b.connectMode(backend.connectMode);
        Keystore tls = listen.tls(calls);
        if (tls != null) {
            calls.set("--tls-keystore", () -> b.tls(tls));
        }
        b.proxyProtocol(listen.proxyProtocol);
        b.trustForwarded(listen.trustForwarded);
        calls.set("--compression", () -> b.compression(limits.compression));
        calls.set("--shutdown-timeout", () -> b.shutdownTimeout(limits.shutdownTimeout));
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
     * @return the http backend's options, or empty with {@code --backend loopback}
     * @throws ParameterException if {@code --backend http} lacks {@code --message-uri}, or a value is refused
     */
    Optional<HttpBackendOptions> httpBackendOptions() {
        if (backend.kind != BackendKind.HTTP) {
            for (OptionSpec option : spec.mixins().get("Backend").options()) {
                String name = option.longestName();
                if (!"--backend".equals(name) && !"--connect-mode".equals(name) && given(name)) {
                    throw error(name + " is an http backend option, but the backend is " + backend.kind
                            + " (which would ignore it); add --backend http");
                }
            }
            return Optional.empty();
        }
        if (backend.messageUri == null) {
            throw error("--backend http needs --message-uri, the URL where the backend receives every message");
        }
        OptionCalls calls = new OptionCalls(spec);
        HttpBackendOptions.Builder b = calls.set("--message-uri", () -> HttpBackendOptions.builder(backend.messageUri));
        calls.set("--connect-uri", () -> b.connectUri(backend.connectUri));
        calls.set("--disconnect-uri", () -> b.disconnectUri(backend.disconnectUri));
        calls.set("--max-inflight", () -> b.maxInflight(backend.maxInflight));
        calls.set("--backend-max-connections", () -> b.maxConnections(backend.maxConnections));
        calls.set("--backend-connect-timeout", () -> b.connectTimeout(backend.connectTimeout));
        calls.set("--backend-timeout", () -> b.timeout(backend.timeout));
        b.retry(backend.retry(calls));
        calls.set("--backend-ordering-window", () -> b.orderingWindow(backend.orderingWindow));
        calls.set("--signing-secret", () -> b.signingSecrets(backend.signingSecrets));
        Keystore trustStore = backend.trustStore(calls);
        if (trustStore != null) {
            calls.set("--backend-truststore", () -> b.trustStore(trustStore));
        }
        Keystore keyStore = backend.keyStore(calls);
        if (keyStore != null) {
            calls.set("--backend-keystore", () -> b.keyStore(keyStore));
        }
        return Optional.of(b.build());
    }

    /**
     * The line logged once SocketDock listens, e.g. {@code SocketDock 0.1.0 listening on
     * ws://127.0.0.1:8765/ws (backend: http -> http://x/message; callbacks at http://127.0.0.1:8765)};
     * for a wildcard {@code --bindip}, {@code (bound to 0.0.0.0; …)} too.
     *
     * @param ws       the WebSocket address ({@link SocketDock#uri()})
     * @param endpoint the base of its callback URLs
     * @return the line
     */
    String startupLine(URI ws, URI endpoint) {
        String target = backend.kind == BackendKind.HTTP ? "http -> " + backend.messageUri : backend.kind.toString();
        String host = ws.getHost();
        String bound = listen.bindIp.equals(host) || ("[" + listen.bindIp + "]").equals(host) ? "" : "bound to " + listen.bindIp + "; ";
        return "SocketDock " + VersionProvider.version() + " listening on " + ws + " (" + bound + "backend: " + target
                + "; callbacks at " + endpoint + ")";
    }

    private URI endpoint() {
        if (listen.endpoint != null && listen.externalHostAndPort != null) {
            throw error("--endpoint and --externalhostandport both given; give one "
                    + "(--externalhostandport host:port means --endpoint http://host:port)");
        }
        return listen.endpoint != null ? listen.endpoint : listen.externalHostAndPort;
    }

    private ParameterException error(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
