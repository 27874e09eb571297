package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ch.qos.logback.classic.Level;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** Every option read from {@code SOCKETDOCK_<NAME>} through the injected environment map. */
class EnvDefaultProviderTest {

    @Test
    void everyOptionHasAVariableNamedAfterItsLongestName() {
        Map<String, String> names = new TreeMap<>();
        for (OptionSpec option : Main.newCommandLine(Map.of()).getCommandSpec().options()) {
            names.put(OneLineErrorHandler.name(option), EnvDefaultProvider.variableName(option));
        }

        assertThat(names).containsOnly(
                entry("--help", null), entry("--version", null),
                entry("--bindip", "SOCKETDOCK_BINDIP"),
                entry("--bindport", "SOCKETDOCK_BINDPORT"),
                entry("--endpoint", "SOCKETDOCK_ENDPOINT"),
                entry("--externalhostandport", "SOCKETDOCK_EXTERNALHOSTANDPORT"),
                entry("--allowed-origin", "SOCKETDOCK_ALLOWED_ORIGIN"),
                entry("--control-bindip", "SOCKETDOCK_CONTROL_BINDIP"),
                entry("--control-bindport", "SOCKETDOCK_CONTROL_BINDPORT"),
                entry("--control-token", "SOCKETDOCK_CONTROL_TOKEN"),
                entry("--log-file", "SOCKETDOCK_LOG_FILE"),
                entry("--log-config", "SOCKETDOCK_LOG_CONFIG"),
                entry("--backend", "SOCKETDOCK_BACKEND"),
                entry("--message-uri", "SOCKETDOCK_MESSAGE_URI"),
                entry("--connect-uri", "SOCKETDOCK_CONNECT_URI"),
                entry("--disconnect-uri", "SOCKETDOCK_DISCONNECT_URI"),
                entry("--max-inflight", "SOCKETDOCK_MAX_INFLIGHT"),
                entry("--backend-max-connections", "SOCKETDOCK_BACKEND_MAX_CONNECTIONS"),
                entry("--backend-connect-timeout", "SOCKETDOCK_BACKEND_CONNECT_TIMEOUT"),
                entry("--backend-timeout", "SOCKETDOCK_BACKEND_TIMEOUT"),
                entry("--backend-retries", "SOCKETDOCK_BACKEND_RETRIES"),
                entry("--backend-retry-backoff", "SOCKETDOCK_BACKEND_RETRY_BACKOFF"),
                entry("--backend-ordering-window", "SOCKETDOCK_BACKEND_ORDERING_WINDOW"),
                entry("--signing-secret", "SOCKETDOCK_SIGNING_SECRET"),
                entry("--connect-mode", "SOCKETDOCK_CONNECT_MODE"),
                entry("--tls-keystore", "SOCKETDOCK_TLS_KEYSTORE"),
                entry("--tls-keystore-password", "SOCKETDOCK_TLS_KEYSTORE_PASSWORD"),
                entry("--proxy-protocol", "SOCKETDOCK_PROXY_PROTOCOL"),
                entry("--trust-forwarded", "SOCKETDOCK_TRUST_FORWARDED"),
                entry("--backend-truststore", "SOCKETDOCK_BACKEND_TRUSTSTORE"),
                entry("--backend-truststore-password", "SOCKETDOCK_BACKEND_TRUSTSTORE_PASSWORD"),
                entry("--backend-keystore", "SOCKETDOCK_BACKEND_KEYSTORE"),
                entry("--backend-keystore-password", "SOCKETDOCK_BACKEND_KEYSTORE_PASSWORD"),
                entry("--ping-interval", "SOCKETDOCK_PING_INTERVAL"),
                entry("--ping-timeout", "SOCKETDOCK_PING_TIMEOUT"),
                entry("--idle-timeout", "SOCKETDOCK_IDLE_TIMEOUT"),
                entry("--max-receipt-wait", "SOCKETDOCK_MAX_RECEIPT_WAIT"),
                entry("--close-on-receipt-timeout", "SOCKETDOCK_CLOSE_ON_RECEIPT_TIMEOUT"),
                entry("--max-message-size", "SOCKETDOCK_MAX_MESSAGE_SIZE"),
                entry("--max-connections", "SOCKETDOCK_MAX_CONNECTIONS"),
                entry("--max-connections-per-ip", "SOCKETDOCK_MAX_CONNECTIONS_PER_IP"),
                entry("--max-queued-bytes", "SOCKETDOCK_MAX_QUEUED_BYTES"),
                entry("--slow-client-timeout", "SOCKETDOCK_SLOW_CLIENT_TIMEOUT"),
                entry("--unfinished-message-timeout", "SOCKETDOCK_UNFINISHED_MESSAGE_TIMEOUT"),
                entry("--max-buffered-bytes", "SOCKETDOCK_MAX_BUFFERED_BYTES"),
                entry("--compression", "SOCKETDOCK_COMPRESSION"),
                entry("--shutdown-timeout", "SOCKETDOCK_SHUTDOWN_TIMEOUT"),
                entry("--log-level", "SOCKETDOCK_LOG_LEVEL"),
                entry("--log-format", "SOCKETDOCK_LOG_FORMAT"));
    }

    @Test
    void everyOptionIsReadFromItsVariable() {
        SocketDockCommand c = Cli.parse(Map.ofEntries(
                Map.entry("SOCKETDOCK_BINDIP", "0.0.0.0"),
                Map.entry("SOCKETDOCK_BINDPORT", "9000"),
                Map.entry("SOCKETDOCK_ENDPOINT", "http://dock.example.org:9000"),
                Map.entry("SOCKETDOCK_BACKEND", "http"),
                Map.entry("SOCKETDOCK_MESSAGE_URI", "http://m/message"),
                Map.entry("SOCKETDOCK_CONNECT_URI", "http://m/connect"),
                Map.entry("SOCKETDOCK_DISCONNECT_URI", "http://m/disconnect"),
                Map.entry("SOCKETDOCK_MAX_INFLIGHT", "3"),
                Map.entry("SOCKETDOCK_BACKEND_MAX_CONNECTIONS", "5"),
                Map.entry("SOCKETDOCK_MAX_MESSAGE_SIZE", "1MiB"),
                Map.entry("SOCKETDOCK_BACKEND_CONNECT_TIMEOUT", "3s"),
                Map.entry("SOCKETDOCK_BACKEND_TIMEOUT", "1m"),
                Map.entry("SOCKETDOCK_BACKEND_RETRIES", "0"),
                Map.entry("SOCKETDOCK_BACKEND_RETRY_BACKOFF", "100ms"),
                Map.entry("SOCKETDOCK_BACKEND_ORDERING_WINDOW", "10ms"),
                Map.entry("SOCKETDOCK_PING_INTERVAL", "15s"),
                Map.entry("SOCKETDOCK_PING_TIMEOUT", "5s"),
                Map.entry("SOCKETDOCK_IDLE_TIMEOUT", "10m"),
                Map.entry("SOCKETDOCK_MAX_RECEIPT_WAIT", "12s"),
                Map.entry("SOCKETDOCK_CLOSE_ON_RECEIPT_TIMEOUT", "true"),
                Map.entry("SOCKETDOCK_MAX_CONNECTIONS", "1000"),
                Map.entry("SOCKETDOCK_MAX_QUEUED_BYTES", "256KiB"),
                Map.entry("SOCKETDOCK_SLOW_CLIENT_TIMEOUT", "2m"),
                Map.entry("SOCKETDOCK_UNFINISHED_MESSAGE_TIMEOUT", "20s"),
                Map.entry("SOCKETDOCK_MAX_BUFFERED_BYTES", "1GiB"),
                Map.entry("SOCKETDOCK_COMPRESSION", "true"),
                Map.entry("SOCKETDOCK_PROXY_PROTOCOL", "true"),
                Map.entry("SOCKETDOCK_CONTROL_BINDPORT", "0"),
                Map.entry("SOCKETDOCK_TRUST_FORWARDED", "true"),
                Map.entry("SOCKETDOCK_SHUTDOWN_TIMEOUT", "0"),
                Map.entry("SOCKETDOCK_LOG_LEVEL", "warning")));

        assertThat(c.listen.bindIp).isEqualTo("0.0.0.0");
        assertThat(c.listen.bindPort).isEqualTo(9000);
        assertThat(c.listen.endpoint).isEqualTo(URI.create("http://dock.example.org:9000"));
        assertThat(c.limits.maxMessageSize).isEqualTo(1 << 20);
        assertThat(c.logging.level).isEqualTo(Level.WARN);
        HttpBackendOptions http = c.httpBackendOptions().orElseThrow();
        assertThat(http.messageUri()).isEqualTo(URI.create("http://m/message"));
        assertThat(http.connectUri()).contains(URI.create("http://m/connect"));
        assertThat(http.disconnectUri()).contains(URI.create("http://m/disconnect"));
        assertThat(http.maxInflight()).isEqualTo(3);
        assertThat(http.maxConnections()).isEqualTo(5);
        assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(http.timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(http.retry().retries()).isZero();
        assertThat(http.retry().backoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(http.orderingWindow()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.builder()).asString()
                .contains("proxyProtocol=true, trustForwarded=true, allowedOrigins=all, compression=true; ")
                .contains("; control: listener=127.0.0.1:0, controlTokens=none, metrics=off; ")
                .contains("; keep-alive: pingInterval=15s, pingTimeout=5s, idleTimeout=10m, maxReceiptWait=12s, "
                        + "closeOnReceiptTimeout=true; ")
                .contains("; limits: maxConnections=1000, maxConnectionsPerAddress=unlimited, maxMessageSize=1MiB, "
                        + "maxQueuedBytes=256KiB, maxBufferedBytes=1GiB, slowClientTimeout=2m, unfinishedMessageTimeout=20s, "
                        + "shutdownTimeout=0; ");
        c.builder().build();
    }

    @Test
    void aVariableBeatsTheLibrarysDefault() {
        SocketDockCommand c = Cli.parse(Map.of("SOCKETDOCK_PING_TIMEOUT", "3s", "SOCKETDOCK_MAX_INFLIGHT", "2"));

        assertThat(c.keepAlive.pingTimeout).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.backend.maxInflight).isEqualTo(2);
    }

    @Test
    void aBadVariableOfANewOptionNamesTheVariable() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_BACKEND_RETRIES", "-1"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("socketdock: invalid value for --backend-retries "
                + "(from SOCKETDOCK_BACKEND_RETRIES): '-1' is not a whole number (0 or more)");
    }

    @Test
    void aVariableTheBuilderRefusesIsAUsageErrorNamingTheOption() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_PING_TIMEOUT", "0"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "socketdock: invalid value for --ping-timeout: ping timeout must be positive, got PT0S");
    }

    @Test
    void externalHostAndPortIsReadFromItsVariable() {
        SocketDockCommand c = Cli.parse(Map.of("SOCKETDOCK_EXTERNALHOSTANDPORT", "dock.example.org:80"));

        assertThat(c.listen.externalHostAndPort).isEqualTo(URI.create("http://dock.example.org:80"));
    }

    @Test
    void aFlagBeatsItsVariable() {
        SocketDockCommand c = Cli.parse(Map.of("SOCKETDOCK_BINDPORT", "9000", "SOCKETDOCK_BACKEND", "http",
                "SOCKETDOCK_MESSAGE_URI", "http://env/message"), "--bindport", "9001", "--message_uri", "http://flag/m");

        assertThat(c.listen.bindPort).isEqualTo(9001);
        assertThat(c.httpBackendOptions().orElseThrow().messageUri()).isEqualTo(URI.create("http://flag/m"));
    }

    @Test
    void aFlagReplacesItsVariableEntirelyEvenABadOne() {
        // the variable of a given flag is not even converted (it was, while the topics were picocli
        // @ArgGroups, which convert every default of a group once any of its options is parsed)
        SocketDockCommand c = Cli.parse(Map.of("SOCKETDOCK_BINDPORT", "abc"), "--bindport", "9001");

        assertThat(c.listen.bindPort).isEqualTo(9001);
    }

    @Test
    void aBlankVariableCountsAsUnset() {
        SocketDockCommand c = Cli.parse(Map.of("SOCKETDOCK_BINDPORT", " ", "SOCKETDOCK_ENDPOINT", ""));

        assertThat(c.listen.bindPort).isEqualTo(8765);
        assertThat(c.listen.endpoint).isNull();
    }

    @Test
    void aBadVariableIsAUsageErrorNamingTheVariable() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_BINDPORT", "abc"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "socketdock: invalid value for --bindport (from SOCKETDOCK_BINDPORT): 'abc' is not a port number (0-65535)");
    }

    @Test
    void httpBackendFromTheEnvironmentStillNeedsAMessageUri() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_BACKEND", "HTTP"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--backend http needs --message-uri");
    }

    @Test
    void aRepeatableOptionTakesACommaSeparatedListFromItsVariable() {
        Repeatable r = new Repeatable();
        new CommandLine(r)
                .setDefaultValueProvider(new EnvDefaultProvider(Map.of("SOCKETDOCK_ALLOWED_ORIGIN", "a, b,c")))
                .parseArgs();

        assertThat(r.origins).containsExactly("a", "b", "c");
    }

    @Test
    void aRepeatableFlagBeatsTheListInItsVariable() {
        Repeatable r = new Repeatable();
        new CommandLine(r)
                .setDefaultValueProvider(new EnvDefaultProvider(Map.of("SOCKETDOCK_ALLOWED_ORIGIN", "a,b")))
                .parseArgs("--allowed-origin", "x", "--allowed-origin", "y");

        assertThat(r.origins).containsExactly("x", "y");
    }

    /** How a later repeatable option is declared, per the convention in {@link EnvDefaultProvider}. */
    @Command
    static final class Repeatable {
        @Option(names = "--allowed-origin", split = "\\s*,\\s*")
        List<String> origins;
    }
}
