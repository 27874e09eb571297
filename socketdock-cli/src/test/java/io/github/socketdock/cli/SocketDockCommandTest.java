package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.socketdock.Backends;
import io.github.socketdock.KeepAlive;
import io.github.socketdock.Keystore;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import io.github.socketdock.internal.common.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParameterException;

/** Parsing every option and mapping it onto the builders, without starting anything. */
class SocketDockCommandTest {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger commandLogger = (Logger) LoggerFactory.getLogger(SocketDockCommand.class);

    @BeforeEach
    void captureLogs() {
        logged.start();
        commandLogger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        commandLogger.detachAppender(logged);
    }

    @Test
    void defaultsAreTheLibrarysAndTheOriginals() {
        SocketDockCommand c = Cli.parse();

        assertThat(c.listen.bindIp).isEqualTo(SocketDock.DEFAULT_HOST);
        assertThat(c.listen.bindPort).isEqualTo(SocketDock.DEFAULT_PORT);
        assertThat(c.listen.endpoint).isNull();
        assertThat(c.listen.externalHostAndPort).isNull();
        assertThat(c.backend.kind).isEqualTo(BackendKind.LOOPBACK);
        assertThat(c.backend.maxInflight).isEqualTo(HttpBackendOptions.DEFAULT_MAX_INFLIGHT);
        assertThat(c.backend.maxConnections).isEqualTo(HttpBackendOptions.DEFAULT_MAX_CONNECTIONS);
        assertThat(c.backend.connectTimeout).isEqualTo(HttpBackendOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(c.backend.timeout).isEqualTo(HttpBackendOptions.DEFAULT_TIMEOUT);
        assertThat(c.backend.retries).isEqualTo(Retry.DEFAULT_RETRIES);
        assertThat(c.backend.retryBackoff).isEqualTo(Retry.DEFAULT_BACKOFF);
        assertThat(c.backend.orderingWindow).isEqualTo(HttpBackendOptions.DEFAULT_ORDERING_WINDOW);
        assertThat(c.keepAlive.pingInterval).isEqualTo(KeepAlive.DEFAULT_PING_INTERVAL);
        assertThat(c.keepAlive.pingTimeout).isEqualTo(KeepAlive.DEFAULT_PING_TIMEOUT);
        assertThat(c.keepAlive.idleTimeout).isZero();
        assertThat(c.limits.maxMessageSize).isEqualTo(Limits.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(c.limits.maxConnections).isZero();
        assertThat(c.limits.maxQueuedBytes).isEqualTo(Limits.DEFAULT_MAX_QUEUED_BYTES);
        assertThat(c.limits.slowClientTimeout).isEqualTo(Limits.DEFAULT_SLOW_CLIENT_TIMEOUT);
        assertThat(c.limits.maxBufferedBytes).isNull();
        assertThat(c.limits.compression).isFalse();
        assertThat(c.limits.shutdownTimeout).isEqualTo(SocketDock.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(c.logging.level).isEqualTo(Level.INFO);
        assertThat(c.httpBackendOptions()).isEmpty();
        c.builder().build();
    }

    @Test
    void optionsLeftUnsetLeaveEverySettingAtTheLibrarysDefault() {
        assertThat(Cli.parse().builder()).asString()
                .isEqualTo(SocketDock.builder().backend(Backends.loopback()).toString());
        URI message = URI.create("http://m/message");
        assertThat(Cli.parse("--backend", "http", "--message-uri", message.toString()).httpBackendOptions())
                .map(HttpBackendOptions::toString)
                .contains(HttpBackendOptions.builder(message).build().toString());
    }

    @Test
    void everyOptionIsMappedOntoTheBuilders() {
        SocketDockCommand c = Cli.parse("--bindip", "0.0.0.0", "--bindport", "9000",
                "--endpoint", "https://dock.example.org:443/base", "--backend", "http",
                "--message-uri", "http://mediator:3000/message", "--connect-uri", "http://mediator:3000/connect",
                "--disconnect-uri", "http://mediator:3000/disconnect", "--max-message-size", "64KiB",
                "--max-inflight", "8", "--backend-max-connections", "16", "--log-level", "debug",
                "--backend-connect-timeout", "2s", "--backend-timeout", "45s", "--backend-retries", "3",
                "--backend-retry-backoff", "250ms", "--backend-ordering-window", "0",
                "--ping-interval", "0", "--ping-timeout", "7s", "--idle-timeout", "5m",
                "--max-receipt-wait", "20s", "--close-on-receipt-timeout",
                "--max-connections", "100", "--max-queued-bytes", "1MiB", "--slow-client-timeout", "90s",
                "--unfinished-message-timeout", "45s",
                "--max-buffered-bytes", "2GiB", "--compression", "--shutdown-timeout", "10s");

        assertThat(c.listen.bindIp).isEqualTo("0.0.0.0");
        assertThat(c.listen.bindPort).isEqualTo(9000);
        assertThat(c.listen.endpoint).isEqualTo(URI.create("https://dock.example.org:443/base"));
        assertThat(c.limits.maxMessageSize).isEqualTo(65536);
        assertThat(c.logging.level).isEqualTo(Level.DEBUG);
        HttpBackendOptions http = c.httpBackendOptions().orElseThrow();
        assertThat(http.messageUri()).isEqualTo(URI.create("http://mediator:3000/message"));
        assertThat(http.connectUri()).contains(URI.create("http://mediator:3000/connect"));
        assertThat(http.disconnectUri()).contains(URI.create("http://mediator:3000/disconnect"));
        assertThat(http.maxInflight()).isEqualTo(8);
        assertThat(http.maxConnections()).isEqualTo(16);
        assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(http.retry().retries()).isEqualTo(3);
        assertThat(http.retry().backoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(http.orderingWindow()).isZero();
        assertThat(c.builder()).asString()
                .contains("listen: host=0.0.0.0, port=9000, endpoint=https://dock.example.org:443/base, tls=off, "
                        + "proxyProtocol=false, trustForwarded=false, allowedOrigins=all, compression=true; ")
                .contains("; control: listener=shared, controlTokens=none, metrics=off; ")
                .contains("; keep-alive: pingInterval=off, pingTimeout=7s, idleTimeout=5m, maxReceiptWait=20s, "
                        + "closeOnReceiptTimeout=true; ")
                .contains("; limits: maxConnections=100, maxConnectionsPerAddress=unlimited, maxMessageSize=64KiB, "
                        + "maxQueuedBytes=1MiB, maxBufferedBytes=2GiB, slowClientTimeout=90s, unfinishedMessageTimeout=45s, "
                        + "shutdownTimeout=10s; ")
                .endsWith("; backend: http -> http://mediator:3000/message, connectMode=NOTIFY, connectDecisionTimeout=1m]");
        c.builder().build();
    }

    @Test
    void zeroBackendRetriesMeansNoRetriesNotUnlimited() {
        HttpBackendOptions http = Cli.parse("--backend", "http", "--message-uri", "http://m/x",
                "--backend-retries", "0").httpBackendOptions().orElseThrow();

        assertThat(http.retry().retries()).isZero();
    }

    @Test
    void zeroMaxConnectionsIsPassedAsTheBuildersUnlimited() {
        assertThat(Cli.parse("--max-connections", "0").builder()).asString().contains("maxConnections=unlimited,");
    }

    @Test
    void maxBufferedBytesIsPassedOnOnlyWhenGiven() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("maxBufferedBytes=[^,]+,")
                .matcher(SocketDock.builder().toString());
        assertThat(m.find()).isTrue();
        String libraryDefault = m.group();

        assertThat(Cli.parse().builder()).asString().contains(libraryDefault);
        assertThat(Cli.parse("--max-buffered-bytes", "64MiB").builder()).asString()
                .contains("maxBufferedBytes=64MiB,");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "false, false"})
    void compressionIsReadFromItsVariable(String variable, boolean expected) {
        SocketDockCommand c = Cli.parse(Map.of("SOCKETDOCK_COMPRESSION", variable));

        assertThat(c.limits.compression).isEqualTo(expected);
        assertThat(c.builder()).asString().contains("compression=" + expected + ";");
    }

    @Test
    void theCompressionFlagBeatsAFalseVariable() {
        assertThat(Cli.parse(Map.of("SOCKETDOCK_COMPRESSION", "false"), "--compression").limits.compression).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--ping-timeout|ping timeout must be positive",
            "--slow-client-timeout|slow client timeout must be positive",
            "--backend-connect-timeout|backend connect timeout must be positive",
            "--backend-timeout|backend timeout must be positive",
            "--backend-retry-backoff|backend retry backoff must be positive"})
    void aZeroDurationTheBuilderNeedsPositiveIsAUsageErrorNamingTheOption(String option, String refusal) {
        SocketDockCommand c = Cli.parse("--backend", "http", "--message-uri", "http://m/x", option, "0");

        assertThatThrownBy(c::builder).isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("invalid value for " + option + ": " + refusal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ping-interval", "--idle-timeout", "--backend-ordering-window", "--shutdown-timeout"})
    void zeroIsAcceptedWhereItMeansOffOrNoWait(String option) {
        SocketDockCommand c = Cli.parse("--backend", "http", "--message-uri", "http://m/x", option, "0");

        c.builder().build();
    }

    @Test
    void theOriginalsSpellingsAreAccepted() {
        SocketDockCommand c = Cli.parse("--backend", "http", "--message_uri", "http://m/message",
                "--connect_uri", "http://m/connect", "--disconnect_uri", "http://m/disconnect",
                "--externalhostandport", "dock.example.org:8765");

        HttpBackendOptions http = c.httpBackendOptions().orElseThrow();
        assertThat(http.messageUri()).isEqualTo(URI.create("http://m/message"));
        assertThat(http.connectUri()).contains(URI.create("http://m/connect"));
        assertThat(http.disconnectUri()).contains(URI.create("http://m/disconnect"));
        assertThat(c.listen.externalHostAndPort).isEqualTo(URI.create("http://dock.example.org:8765"));
        c.builder().build();
    }

    @Test
    void optionsTakeTheirValueAfterAnEqualsSign() {
        SocketDockCommand c = Cli.parse("--bindport=9001", "--backend=http", "--message_uri=http://m/x");

        assertThat(c.listen.bindPort).isEqualTo(9001);
        assertThat(c.httpBackendOptions().orElseThrow().messageUri()).isEqualTo(URI.create("http://m/x"));
    }

    @Test
    void anOptionGivenTwiceTakesItsLastValueAsTheOriginal() {
        SocketDockCommand c = Cli.parse("--bindport", "1", "--log-level", "debug", "--bindport", "2",
                "--log-level", "error");

        assertThat(c.listen.bindPort).isEqualTo(2);
        assertThat(c.logging.level).isEqualTo(Level.ERROR);
    }

    @ParameterizedTest
    @CsvSource({"loopback, LOOPBACK", "LOOPBACK, LOOPBACK", "http, HTTP", "Http, HTTP"})
    void backendNameIsCaseInsensitive(String given, BackendKind expected) {
        assertThat(Cli.parse("--backend", given, "--message-uri", "http://m/x").backend.kind).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"TRACE, TRACE", "debug, DEBUG", "Info, INFO", "WARN, WARN", "WARNING, WARN", "warning, WARN",
            "ERROR, ERROR", "CRITICAL, ERROR", "critical, ERROR"})
    void logLevelTakesThePythonNamesToo(String given, String expected) {
        assertThat(Cli.parse("--log-level", given).logging.level).isEqualTo(Level.toLevel(expected));
    }

    @Test
    void zeroCountsMeanUnlimited() {
        HttpBackendOptions http = Cli.parse("--backend", "http", "--message-uri", "http://m/x",
                "--max-inflight", "0", "--backend-max-connections", "0").httpBackendOptions().orElseThrow();

        assertThat(http.maxInflight()).isEqualTo(Integer.MAX_VALUE);
        assertThat(http.maxConnections()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void httpBackendWithoutMessageUriIsAUsageError() {
        SocketDockCommand c = Cli.parse("--backend", "http");

        assertThatThrownBy(c::builder).isInstanceOf(ParameterException.class)
                .hasMessage("--backend http needs --message-uri, the URL where the backend receives every message");
    }

    @Test
    void endpointAndExternalHostAndPortTogetherIsAUsageError() {
        SocketDockCommand c = Cli.parse("--endpoint", "http://a:1", "--externalhostandport", "b:2");

        assertThatThrownBy(c::builder).isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--endpoint and --externalhostandport both given");
    }

    @Test
    void aValueTheBuilderRefusesIsAUsageErrorNamingTheOption() {
        SocketDockCommand c = Cli.parse("--max-message-size", "0");

        assertThatThrownBy(c::builder).isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("invalid value for --max-message-size: max message size must be between 1");
    }

    @Test
    void startupLineSaysWhereItListensAndWhichBackend() {
        SocketDockCommand c = Cli.parse("--backend", "http", "--message_uri", "http://x/message");

        assertThat(c.startupLine(URI.create("ws://127.0.0.1:8765/ws"), URI.create("http://127.0.0.1:8765")))
                .isEqualTo("SocketDock " + VersionProvider.version() + " listening on ws://127.0.0.1:8765/ws "
                        + "(backend: http -> http://x/message; callbacks at http://127.0.0.1:8765)");
        assertThat(Cli.parse("--bindip", "::").startupLine(URI.create("ws://127.0.0.1:40000/ws"),
                URI.create("http://127.0.0.1:40000")))
                .contains("listening on ws://127.0.0.1:40000/ws (bound to ::; backend: loopback; callbacks at "
                        + "http://127.0.0.1:40000)");
        assertThat(Cli.parse("--bindip", "::1").startupLine(URI.create("ws://[::1]:40000/ws"),
                URI.create("http://[::1]:40000"))).contains("listening on ws://[::1]:40000/ws (backend: loopback;");
    }

    @ParameterizedTest
    @CsvSource({"--message-uri, http://m/x", "--connect_uri, http://m/c", "--backend-timeout, 5s", "--backend-retries, 2",
            "--signing-secret, whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void anHttpBackendOptionWithTheLoopbackBackendIsAnError(String option, String value) {
        SocketDockCommand c = Cli.parse(option, value);

        assertThatThrownBy(c::builder).isInstanceOf(ParameterException.class)
                .hasMessageEndingWith(" is an http backend option, but the backend is loopback (which would ignore it); "
                        + "add --backend http");
    }

    @Test
    void anHttpBackendVariableWithTheLoopbackBackendIsAnErrorWithExitCode2() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_MESSAGE_URI", "http://m/x"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("socketdock: --message-uri is an http backend option, but the backend "
                + "is loopback (which would ignore it); add --backend http");
    }

    @Test
    void anUnknownSocketDockVariableIsAnErrorThatNamesTheClosestKnownOne() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_PINGINTERVAL", "bad"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("socketdock: unknown variable SOCKETDOCK_PINGINTERVAL (every "
                + "SOCKETDOCK_ variable must name an option); did you mean SOCKETDOCK_PING_INTERVAL?");
        assertThat(Cli.execute(Map.of("SOCKETDOCK_NOTHING_LIKE_IT", "1")).errLines()).singleElement().asString()
                .isEqualTo("socketdock: unknown variable SOCKETDOCK_NOTHING_LIKE_IT (every SOCKETDOCK_ variable must "
                        + "name an option)");
    }

    @Test
    void theVariablesKubernetesInjectsForServicesNamedSocketdockAreIgnored() {
        SocketDockCommand c = Cli.parse(Map.ofEntries(Map.entry("SOCKETDOCK_SERVICE_HOST", "10.0.0.1"),
                Map.entry("SOCKETDOCK_SERVICE_PORT", "9999"), Map.entry("SOCKETDOCK_SERVICE_PORT_WS", "9999"),
                Map.entry("SOCKETDOCK_PORT", "tcp://10.0.0.1:9999"), Map.entry("SOCKETDOCK_PORT_9999_TCP", "tcp://10.0.0.1:9999"),
                Map.entry("SOCKETDOCK_PORT_9999_TCP_PROTO", "tcp"), Map.entry("SOCKETDOCK_PORT_9999_TCP_PORT", "9999"),
                Map.entry("SOCKETDOCK_PORT_9999_TCP_ADDR", "10.0.0.1"),
                Map.entry("SOCKETDOCK_CONTROL_SERVICE_HOST", "10.0.0.2"), Map.entry("SOCKETDOCK_CONTROL_SERVICE_PORT", "9998"),
                Map.entry("SOCKETDOCK_CONTROL_PORT", "tcp://10.0.0.2:9998"),
                Map.entry("SOCKETDOCK_CONTROL_PORT_9998_TCP_ADDR", "10.0.0.2")));

        c.checkEnvironment();
        assertThat(c.listen.bindPort).as("none of them is --bindport").isEqualTo(8765);
    }

    @Test
    void aMisspelledPortVariableIsNotMistakenForOneKubernetesInjects() {
        assertThatThrownBy(() -> Cli.parse(Map.of("SOCKETDOCK_BIND_PORT", "9000")).checkEnvironment())
                .isInstanceOf(ParameterException.class).hasMessageContaining("did you mean SOCKETDOCK_BINDPORT?");
    }

    @Test
    void signingSecretsComeFromRepeatedFlagsOrACommaSeparatedVariableAndAreNeverShown() {
        String a = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        String b = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        SocketDockCommand c = Cli.parse("--backend", "http", "--message-uri", "http://m/x",
                "--signing-secret", a, "--signing-secret", b);
        assertThat(Secrets.secrets(c.httpBackendOptions().orElseThrow())).containsExactly(a, b);
        assertThat(c.httpBackendOptions().orElseThrow().toString()).doesNotContain(a).doesNotContain(b);

        SocketDockCommand fromEnv = Cli.parse(java.util.Map.of("SOCKETDOCK_SIGNING_SECRET", a + "," + b),
                "--backend", "http", "--message-uri", "http://m/x");
        assertThat(Secrets.secrets(fromEnv.httpBackendOptions().orElseThrow())).containsExactly(a, b);

        assertThatThrownBy(() -> Cli.parse("--backend", "http", "--message-uri", "http://m/x",
                "--signing-secret", "hunter2").httpBackendOptions())
                .isInstanceOf(ParameterException.class)
                .hasMessage("invalid value for --signing-secret: a signing secret must start with whsec_")
                .message().doesNotContain("hunter2");
    }

    @Test
    void allowedOriginsComeFromRepeatedFlagsOrAVariableAndBadOnesExit2() {
        assertThat(Cli.parse("--allowed-origin", "https://a.example", "--allowed-origin", "https://*.b.example")
                .builder()).asString().contains("allowedOrigins=[https://a.example, https://*.b.example]");
        assertThat(Cli.parse(java.util.Map.of("SOCKETDOCK_ALLOWED_ORIGIN", "https://a.example, https://c.example"))
                .builder()).asString().contains("allowedOrigins=[https://a.example, https://c.example]");
        assertThatThrownBy(() -> Cli.parse("--allowed-origin", "a.example").builder())
                .isInstanceOf(ParameterException.class).hasMessageStartingWith("invalid value for --allowed-origin:");
    }

    @Test
    void theControlListenerAndTokensAreMappedAndTokensNeverShown() {
        String token = "a-control-token-0123456789";
        assertThat(Cli.parse("--control-bindip", "10.0.0.5", "--control-bindport", "9000", "--control-token", token)
                .builder()).asString().contains("listener=10.0.0.5:9000, controlTokens=1 (masked)")
                .doesNotContain(token);
        assertThat(Cli.parse("--control-bindport", "9001").builder()).asString().contains("listener=127.0.0.1:9001");
        assertThat(Cli.parse(java.util.Map.of("SOCKETDOCK_CONTROL_TOKEN", token + ",another-token-abcdefghij"))
                .builder()).asString().contains("controlTokens=2 (masked)");
        assertThatThrownBy(() -> Cli.parse("--control-token", "short").builder())
                .isInstanceOf(ParameterException.class).hasMessageStartingWith("invalid value for --control-token:")
                .message().doesNotContain("short'");
    }

    @Test
    void connectModeAuthorizeIsMappedAndNeedsAConnectUri() {
        assertThat(Cli.parse("--backend", "http", "--message-uri", "http://m/message", "--connect-uri", "http://m/connect",
                "--connect-mode", "AUTHORIZE").builder()).asString().contains("connectMode=AUTHORIZE");
        SocketDockCommand noConnectUri = Cli.parse("--backend", "http", "--message-uri", "http://m/message",
                "--connect-mode", "authorize");
        assertThatThrownBy(() -> noConnectUri.build(noConnectUri.builder()))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("connect mode AUTHORIZE with the http backend needs a connect URI")
                .hasMessageContaining("--connect-uri");
        assertThatThrownBy(() -> Cli.parse("--connect-mode", "maybe"))
                .hasMessageContaining("'maybe' is not a connect mode (notify or authorize)");
    }

    @Test
    void loadBalancerOptionsAreOffByDefaultAndMapped() {
        assertThat(Cli.parse().builder()).asString().contains(", proxyProtocol=false, trustForwarded=false,");
        assertThat(Cli.parse("--proxy-protocol", "--trust-forwarded").builder()).asString()
                .contains(", proxyProtocol=true, trustForwarded=true,");
        assertThat(Cli.parse("--backend", "http", "--message-uri", "http://m/message", "--proxy-protocol",
                "--control-bindport", "8766").builder()).asString().contains("proxyProtocol=true");
        SocketDockCommand noControl = Cli.parse("--backend", "http", "--message-uri", "http://m/message",
                "--proxy-protocol");
        assertThatThrownBy(() -> noControl.build(noControl.builder()))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("the PROXY protocol with the http backend needs a control listener of its own")
                .hasMessageContaining("--control-bindport");
    }

    @Test
    void tlsStoresNeedTheirPasswordsWhichComeFromTheEnvironmentAndAreNeverShown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path store = java.nio.file.Files.writeString(dir.resolve("relay.p12"), "not read by the parser");
        assertThatThrownBy(() -> Cli.parse("--tls-keystore", store.toString()).builder())
                .isInstanceOf(ParameterException.class)
                .hasMessage("--tls-keystore needs --tls-keystore-password (or SOCKETDOCK_TLS_KEYSTORE_PASSWORD)");
        SocketDockCommand c = Cli.parse(java.util.Map.of("SOCKETDOCK_TLS_KEYSTORE_PASSWORD", "s3cret-pass"),
                "--tls-keystore", store.toString());
        assertThat(c.builder()).asString().contains("tls=" + store).doesNotContain("s3cret-pass");
        assertThatThrownBy(() -> Cli.parse("--backend", "http", "--message-uri", "http://m/x",
                "--backend-keystore", store.toString()).httpBackendOptions())
                .hasMessage("--backend-keystore needs --backend-keystore-password (or SOCKETDOCK_BACKEND_KEYSTORE_PASSWORD)");
        var http = Cli.parse("--backend", "http", "--message-uri", "http://m/x", "--backend-truststore", store.toString(),
                "--backend-truststore-password", "pw-12345").httpBackendOptions().orElseThrow();
        assertThat(http.trustStore().map(Keystore::file)).contains(store);
        assertThat(http.toString()).doesNotContain("pw-12345");
        assertThatThrownBy(() -> Cli.parse("--tls-keystore", dir.resolve("missing.p12").toString(),
                "--tls-keystore-password", "x").builder())
                .hasMessageContaining("invalid value for --tls-keystore: TLS keystore").hasMessageContaining("does not exist");
    }

    @Test
    void maxConnectionsPerIpIsMapped() {
        assertThat(Cli.parse("--max-connections-per-ip", "20").builder()).asString().contains("maxConnectionsPerAddress=20,");
        assertThat(Cli.parse().builder()).asString().contains("maxConnectionsPerAddress=unlimited,");
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
