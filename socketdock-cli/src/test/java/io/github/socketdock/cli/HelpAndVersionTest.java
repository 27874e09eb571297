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
        assertThat(r.out().lines().count()).as("one screenful or two: the README explains each option").isLessThan(180);
        assertThat(r.out()).contains("Usage: socketdock", "General:", "Listening:", "Backend:", "Keep-alive:",
                "Limits:", "Logging:", "Environment, files, values and exit codes:", "SOCKETDOCK_MESSAGE_URI", "--message-uri, --message_uri",
                "Default: 127.0.0.1", "Default: 8765", "Default: loopback", "Default: 4MiB", "Default: INFO");
        assertThat(section(r.out(), "General:", "Listening:")).contains("--help", "--version");
        assertThat(section(r.out(), "Listening:", "Backend:"))
                .contains("--bindip", "--bindport", "--endpoint", "--externalhostandport");
        assertThat(section(r.out(), "Backend:", "Keep-alive:")).contains("--backend=", "--message-uri",
                "--connect-uri", "--disconnect-uri", "--max-inflight", "--backend-max-connections",
                "--backend-connect-timeout", "--backend-timeout", "--backend-retries", "--backend-retry-backoff",
                "--backend-ordering-window");
        assertThat(section(r.out(), "Keep-alive:", "Limits:"))
                .contains("--ping-interval", "--ping-timeout", "--idle-timeout");
        assertThat(section(r.out(), "Limits:", "Logging:")).contains("--max-message-size", "--max-connections",
                "--max-queued-bytes", "--slow-client-timeout", "--max-buffered-bytes", "--compression",
                "--shutdown-timeout");
        assertThat(section(r.out(), "Logging:", "Environment, files, values and exit codes:"))
                .contains("--log-level", "--log-format", "--log-file", "--log-config");
    }

    @Test
    void helpShowsTheLibrarysDefaults() {
        String help = Cli.execute("--help").out();

        assertThat(option(help, "--log-format")).contains("Default: text");
        assertThat(option(help, "--backend-connect-timeout")).contains("Default: 5s");
        assertThat(option(help, "--backend-timeout")).contains("Default: 30s");
        assertThat(option(help, "--backend-retries")).contains("Default: 5", "0 for none");
        assertThat(option(help, "--backend-retry-backoff")).contains("Default: 1s");
        assertThat(option(help, "--backend-ordering-window")).contains("Default: 50ms");
        assertThat(option(help, "--ping-interval")).contains("Default: 20s", "0 for off");
        assertThat(option(help, "--ping-timeout")).contains("Default: 20s");
        assertThat(option(help, "--idle-timeout")).contains("Default: 0", "0 for off");
        assertThat(option(help, "--max-connections")).contains("Default: 0", "0 for unlimited");
        assertThat(option(help, "--max-queued-bytes")).contains("Default: 16MiB");
        assertThat(option(help, "--slow-client-timeout")).contains("Default: 1m");
        assertThat(option(help, "--max-buffered-bytes")).containsOnlyOnce("Default:")
                .contains("Default: a quarter of the max heap");
        assertThat(option(help, "--shutdown-timeout")).contains("Default: 30s");
        assertThat(option(help, "--max-inflight")).contains("Default: 1024");
        assertThat(option(help, "--backend-max-connections")).contains("Default: 2048");
    }

    @Test
    void helpShowsAVariableOverTheLibrarysDefault() {
        Cli.Result r = Cli.execute(java.util.Map.of("SOCKETDOCK_PING_TIMEOUT", "45s"), "--help");

        assertThat(option(r.out(), "--ping-timeout")).contains("Default: 45s").doesNotContain("20s");
    }

    /** @return the help text of one option, from its line up to the next option's, on one line */
    private static String option(String help, String name) {
        int start = help.indexOf("      " + name + "=");
        if (start < 0) {
            start = help.indexOf("      " + name + " ");
        }
        assertThat(start).as(name).isPositive();
        int end = help.indexOf(System.lineSeparator() + "      --", start + 1);
        int blank = help.indexOf(System.lineSeparator() + System.lineSeparator(), start);
        return help.substring(start, Math.min(end < 0 ? help.length() : end, blank < 0 ? help.length() : blank))
                .strip().replaceAll("\\s+", " ");
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
        assertThat(VersionProvider.version())
                .as("the version the build wrote into the jar (Surefire passes the POM's as project.version)")
                .isEqualTo(System.getProperty("project.version"))
                .matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
