package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help} and {@code --version}: printed on stdout, exit code 0. */
class HelpAndVersionTest {

    @Test
    void helpGroupsOptionsByTopicAndShowsDefaults() {
        Cli.Result r = Cli.execute("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: socketdock", "General:", "Listening:", "Backend:", "Limits:",
                "Environment:", "SOCKETDOCK_MESSAGE_URI", "--message-uri, --message_uri",
                "Default: 127.0.0.1", "Default: 8765", "Default: loopback", "Default: 4MiB", "Default: INFO");
        assertThat(section(r.out(), "General:", "Listening:")).contains("--log-level", "--help", "--version");
        assertThat(section(r.out(), "Listening:", "Backend:"))
                .contains("--bindip", "--bindport", "--endpoint", "--externalhostandport");
        assertThat(section(r.out(), "Backend:", "Limits:")).contains("--backend=", "--message-uri", "--connect-uri",
                "--disconnect-uri", "--max-inflight", "--backend-max-connections");
        assertThat(section(r.out(), "Limits:", "Environment:")).contains("--max-message-size");
    }

    @Test
    void helpShowsAValueFromTheEnvironmentAsTheDefault() {
        Cli.Result r = Cli.execute(java.util.Map.of("SOCKETDOCK_BINDPORT", "9999"), "--help");

        assertThat(r.out()).contains("Default: 9999");
    }

    private static String section(String help, String heading, String nextHeading) {
        int start = help.indexOf(System.lineSeparator() + heading);
        int end = help.indexOf(System.lineSeparator() + nextHeading);
        assertThat(start).as(heading).isPositive().isLessThan(end);
        return help.substring(start, end);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void versionPrintsTheProjectVersion(String flag) {
        Cli.Result r = Cli.execute(flag);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("SocketDock " + VersionProvider.version() + System.lineSeparator());
        assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
