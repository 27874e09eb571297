package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A bad command line: exactly one line on stderr naming the option, exit code 2, nothing on stdout. */
class OneLineErrorHandlerTest {

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                bad("socketdock: invalid value for --bindport: 'abc' is not a port number (0-65535)",
                        "--bindport", "abc"),
                bad("socketdock: invalid value for --bindport: '70000' is not a port number (0-65535)",
                        "--bindport=70000"),
                bad("socketdock: missing value for --bindport", "--bindport"),
                bad("socketdock: unknown option '--nosuch'", "--nosuch"),
                bad("socketdock: unexpected argument 'extra'", "extra"),
                bad("socketdock: invalid value for --backend: 'ftp' is not a backend (loopback or http)",
                        "--backend", "ftp"),
                bad("socketdock: --backend http needs --message-uri, the URL where the backend receives every message",
                        "--backend", "http"),
                bad("socketdock: invalid value for --message-uri: 'mediator/message' is not an absolute http:// or "
                        + "https:// URL", "--backend", "http", "--message-uri", "mediator/message"),
                bad("socketdock: invalid value for --message-uri: 'ftp://m/x' is not an absolute http:// or https:// URL",
                        "--backend", "http", "--message_uri", "ftp://m/x"),
                bad("socketdock: invalid value for --disconnect-uri: 'x' is not an absolute http:// or https:// URL",
                        "--disconnect_uri", "x"),
                bad("socketdock: invalid value for --endpoint: 'ws://h:1' is not an absolute http:// or https:// URL",
                        "--endpoint", "ws://h:1"),
                bad("socketdock: invalid value for --externalhostandport: 'dock.example.org' is not host:port "
                        + "(e.g. socketdock.example.com:8765)", "--externalhostandport", "dock.example.org"),
                bad("socketdock: --endpoint and --externalhostandport both given; give one "
                        + "(--externalhostandport host:port means --endpoint http://host:port)",
                        "--endpoint", "http://a:1", "--externalhostandport", "b:2"),
                bad("socketdock: invalid value for --max-message-size: '4MB' is not a size (bytes, or a whole number "
                        + "with KiB, MiB or GiB, e.g. 4MiB)", "--max-message-size", "4MB"),
                bad("socketdock: invalid value for --max-message-size: max message size must be between 1 and "
                        + "2147483639 bytes, got 0", "--max-message-size", "0"),
                bad("socketdock: invalid value for --max-inflight: '-1' is not a count (a whole number; 0 for unlimited)",
                        "--max-inflight", "-1"),
                bad("socketdock: invalid value for --log-level: 'verbose' is not a log level "
                        + "(TRACE, DEBUG, INFO, WARN, ERROR)", "--log-level", "verbose"),
                bad("socketdock: invalid value for --bindip: bind address must not be empty", "--bindip", " "),
                bad("socketdock: invalid value for --ping-timeout: ping timeout must be positive, got PT0S",
                        "--ping-timeout", "0"),
                bad("socketdock: invalid value for --slow-client-timeout: slow client timeout must be positive, "
                        + "got PT0S", "--slow-client-timeout", "0s"),
                bad("socketdock: invalid value for --backend-connect-timeout: backend connect timeout must be "
                        + "positive, got PT0S", "--backend", "http", "--message-uri", "http://m/x",
                        "--backend-connect-timeout", "0"),
                bad("socketdock: invalid value for --backend-timeout: backend timeout must be positive, got PT0S",
                        "--backend", "http", "--message-uri", "http://m/x", "--backend-timeout", "0"),
                bad("socketdock: invalid value for --backend-retry-backoff: backend retry backoff must be positive, "
                        + "got PT0S", "--backend", "http", "--message-uri", "http://m/x", "--backend-retry-backoff",
                        "0ms"),
                bad("socketdock: invalid value for --backend-retries: '-1' is not a whole number (0 or more)",
                        "--backend-retries", "-1"),
                bad("socketdock: invalid value for --backend-ordering-window: '50' is not a duration (a whole number "
                        + "with ms, s, m or h, e.g. 500ms, 5s, 2m, or 0)", "--backend-ordering-window", "50"),
                bad("socketdock: invalid value for --ping-interval: '-5s' is not a duration (a whole number "
                        + "with ms, s, m or h, e.g. 500ms, 5s, 2m, or 0)", "--ping-interval=-5s"),
                bad("socketdock: invalid value for --idle-timeout: '1d' is not a duration (a whole number "
                        + "with ms, s, m or h, e.g. 500ms, 5s, 2m, or 0)", "--idle-timeout", "1d"),
                bad("socketdock: invalid value for --max-connections: 'lots' is not a whole number (0 or more)",
                        "--max-connections", "lots"),
                bad("socketdock: invalid value for --max-queued-bytes: max queued bytes must be at least 1, got 0",
                        "--max-queued-bytes", "0"),
                bad("socketdock: invalid value for --max-buffered-bytes: '1TB' is not a size (bytes, or a whole "
                        + "number with KiB, MiB or GiB, e.g. 4MiB)", "--max-buffered-bytes", "1TB"),
                bad("socketdock: invalid value for --max-buffered-bytes: max buffered bytes must be at least 1, "
                        + "got 0", "--max-buffered-bytes", "0"),
                bad("socketdock: invalid value for --compression: 'maybe' is not a boolean", "--compression=maybe"),
                bad("socketdock: invalid value for --shutdown-timeout: '30' is not a duration (a whole number "
                        + "with ms, s, m or h, e.g. 500ms, 5s, 2m, or 0)", "--shutdown-timeout", "30"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLineExitsWith2AndOneLineOnStderr(String expected, String[] args) {
        Cli.Result r = Cli.execute(args);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(expected);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadCompressionVariableIsAUsageErrorNamingTheVariable() {
        Cli.Result r = Cli.execute(Map.of("SOCKETDOCK_COMPRESSION", "yes"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "socketdock: invalid value for --compression (from SOCKETDOCK_COMPRESSION): 'yes' is not a boolean");
    }

    @Test
    void unknownOptionSuggestsTheClosestNames() {
        Cli.Result r = Cli.execute("--bindprt", "3");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("socketdock: unknown option '--bindprt' (did you mean ").contains("--bindport");
    }

    private static Arguments bad(String expected, String... args) {
        return Arguments.of(expected, args);
    }
}
