package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of the command can be given three ways, with the same result: as a flag, as its
 * variable {@code SOCKETDOCK_<NAME>}, or in an {@code @file} of arguments (picocli's own); and
 * {@code --help} lists every option under its topic with its default. The options are taken from
 * the command's picocli model, so an option added later is covered, and this test asks for a
 * sample value for it.
 */
class ConfigurationTest {

    /** A valid value for every option that is not its default; a boolean option takes "true". */
    private static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("--log-level", "debug"),
            Map.entry("--log-format", "json"),
            Map.entry("--log-file", "/var/log/socketdock.log"),
            Map.entry("--log-config", "/etc/socketdock/logback.xml"),
            Map.entry("--bindip", "0.0.0.0"),
            Map.entry("--bindport", "9001"),
            Map.entry("--endpoint", "http://dock.example.org:9001"),
            Map.entry("--externalhostandport", "dock.example.org:9001"),
            Map.entry("--allowed-origin", "https://app.example.com"),
            Map.entry("--control-bindip", "127.0.0.2"),
            Map.entry("--control-bindport", "9002"),
            Map.entry("--control-token", "a-control-token-of-some-length"),
            Map.entry("--tls-keystore", "/etc/socketdock/tls.p12"),
            Map.entry("--tls-keystore-password", "tls-password"),
            Map.entry("--backend", "http"),
            Map.entry("--message-uri", "http://mediator:3000/message"),
            Map.entry("--connect-uri", "http://mediator:3000/connect"),
            Map.entry("--disconnect-uri", "http://mediator:3000/disconnect"),
            Map.entry("--max-inflight", "3"),
            Map.entry("--backend-max-connections", "5"),
            Map.entry("--backend-connect-timeout", "3s"),
            Map.entry("--backend-timeout", "1m"),
            Map.entry("--backend-retries", "2"),
            Map.entry("--backend-retry-backoff", "100ms"),
            Map.entry("--backend-ordering-window", "10ms"),
            Map.entry("--signing-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Map.entry("--connect-mode", "authorize"),
            Map.entry("--backend-truststore", "/etc/socketdock/ca.p12"),
            Map.entry("--backend-truststore-password", "ca-password"),
            Map.entry("--backend-keystore", "/etc/socketdock/client.p12"),
            Map.entry("--backend-keystore-password", "client-password"),
            Map.entry("--ping-interval", "15s"),
            Map.entry("--ping-timeout", "5s"),
            Map.entry("--idle-timeout", "10m"),
            Map.entry("--max-receipt-wait", "12s"),
            Map.entry("--max-message-size", "1MiB"),
            Map.entry("--max-connections", "1000"),
            Map.entry("--max-connections-per-ip", "10"),
            Map.entry("--max-queued-bytes", "256KiB"),
            Map.entry("--slow-client-timeout", "2m"),
            Map.entry("--unfinished-message-timeout", "20s"),
            Map.entry("--max-buffered-bytes", "1GiB"),
            Map.entry("--shutdown-timeout", "45s"));

    @TempDir
    Path dir;

    @Test
    void everyOptionGivesTheSameValueAsAFlagAVariableOrInAnAtFile() throws IOException {
        Map<String, String> samples = samples();
        List<String> flags = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        StringBuilder file = new StringBuilder("# socketdock options, one per line\n");
        samples.forEach((name, value) -> {
            boolean flag = isFlag(name);
            flags.add(name);
            file.append(name);
            if (!flag) {
                flags.add(value);
                file.append(" \"").append(value).append('"');
            }
            file.append('\n');
            env.put(EnvDefaultProvider.variableName(option(name)), value);
        });
        Path atFile = Files.writeString(dir.resolve("socketdock.args"), file, StandardCharsets.UTF_8);

        CommandLine byFlags = parse(Map.of(), flags.toArray(String[]::new));
        CommandLine byEnv = parse(env);
        CommandLine byFile = parse(Map.of(), "@" + atFile);
        CommandLine defaults = parse(Map.of());

        samples.keySet().forEach(name -> {
            Object fromFlag = value(byFlags, name);
            assertThat(fromFlag).as("%s %s differs from the default", name, samples.get(name))
                    .isNotEqualTo(value(defaults, name));
            assertThat(value(byEnv, name)).as("%s from %s", name, env.get(name)).isEqualTo(fromFlag);
            assertThat(value(byFile, name)).as("%s from the @file", name).isEqualTo(fromFlag);
        });
    }

    @Test
    void atFilesAreExpandedAndOptionsAfterThemWin() throws IOException {
        Path atFile = Files.writeString(dir.resolve("dock.args"), """
                # comments and blank lines are skipped

                --bindport 9100 --endpoint "http://dock.example.org:9100"
                --log-format=json
                """, StandardCharsets.UTF_8);

        CommandLine cl = parse(Map.of("SOCKETDOCK_BINDPORT", "9000", "SOCKETDOCK_LOG_LEVEL", "warn"),
                "@" + atFile, "--endpoint", "http://later.example.org:9100");
        SocketDockCommand c = cl.getCommand();

        assertThat(cl.isExpandAtFiles()).isTrue();
        assertThat(c.listen.bindPort).as("the file beats the variable").isEqualTo(9100);
        assertThat(c.listen.endpoint).as("a later flag beats the file").hasToString("http://later.example.org:9100");
        assertThat(c.logging.format).isEqualTo(LogFormat.JSON);
        assertThat(c.logging.level).as("a variable still applies").hasToString("WARN");
    }

    @Test
    void anOptionGivenAgainKeepsTheOtherOptionsOfItsTopic() {
        // found by this test: with the topics as picocli @ArgGroups, a repeated option started a new
        // group instance and the topic's earlier options fell back to their defaults
        SocketDockCommand c = Cli.parse("--bindport", "9100", "--endpoint", "http://a:9100", "--endpoint", "http://b:9100",
                "--backend", "http", "--message-uri", "http://m/1", "--message-uri", "http://m/2");

        assertThat(c.listen.bindPort).isEqualTo(9100);
        assertThat(c.listen.endpoint).hasToString("http://b:9100");
        assertThat(c.backend.kind).isEqualTo(BackendKind.HTTP);
        assertThat(c.backend.messageUri).hasToString("http://m/2");
    }

    @Test
    void aBadValueInAnAtFileIsOneLineAndExitCode2() throws IOException {
        Path atFile = Files.writeString(dir.resolve("bad.args"), "--bindport 70000\n", StandardCharsets.UTF_8);

        Cli.Result r = Cli.execute("@" + atFile);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "socketdock: invalid value for --bindport: '70000' is not a port number (0-65535)");
    }

    @Test
    void helpListsEveryOptionUnderItsTopicWithItsDefault() {
        String help = Cli.execute("--help").out();
        CommandLine cl = Main.newCommandLine(Map.of());

        assertThat(help).contains("[@<file>...]", "socketdock @<file>");
        Map<OptionSpec, String> topics = new java.util.HashMap<>();
        cl.getCommandSpec().mixins().forEach((topic, mixin) -> mixin.options().forEach(o -> topics.put(o, topic)));
        assertThat(topics.values()).contains("Listening", "Backend", "Keep-alive", "Limits");
        for (OptionSpec option : cl.getCommandSpec().options()) {
            String name = OneLineErrorHandler.name(option);
            String heading = option.usageHelp() || option.versionHelp() ? "General:"
                    : option.group() != null ? option.group().heading().replace("%n", "").strip()
                    : topics.getOrDefault(option, "General") + ":";
            assertThat(topicOf(help, name)).as("topic of %s", name).isEqualTo(heading);
            String text = optionHelp(help, name);
            String defaultValue = option.usageHelp() || option.versionHelp() || isFlag(name) || option.isMultiValue()
                    ? null : cl.getDefaultValueProvider() == null ? null : defaultOf(cl, option);
            if (defaultValue != null) {
                assertThat(text).as(name).contains("Default: " + defaultValue);
            } else if (!name.equals("--max-buffered-bytes")) {
                assertThat(text).as("%s has no default to show", name).doesNotContain("Default:");
            }
        }
    }

    private static String defaultOf(CommandLine cl, OptionSpec option) {
        try {
            String provided = cl.getDefaultValueProvider().defaultValue(option);
            return provided != null ? provided : option.defaultValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** @return the heading of the help section that lists {@code name} */
    private static String topicOf(String help, String name) {
        int at = optionLine(help, name);
        String before = help.substring(0, at);
        List<String> headings = before.lines().filter(l -> l.matches("[A-Z][A-Za-z -]*:")).toList();
        assertThat(headings).as("a heading above %s", name).isNotEmpty();
        return headings.get(headings.size() - 1);
    }

    /** @return the help text of one option, up to the next option or section, on one line */
    private static String optionHelp(String help, String name) {
        int start = optionLine(help, name);
        List<String> lines = help.substring(start).lines().toList();
        StringBuilder text = new StringBuilder(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.matches("\\s{1,6}-.*")) {
                break;
            }
            text.append(' ').append(line.strip());
        }
        return text.toString().replaceAll("\\s+", " ");
    }

    private static int optionLine(String help, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^\\s{2,6}(-\\w, )?" + java.util.regex.Pattern.quote(name) + "[=, \\n]").matcher(help);
        assertThat(m.find()).as("%s in the help", name).isTrue();
        return m.start();
    }

    /** @return a sample for every option of the command, failing for an option that has none */
    private static Map<String, String> samples() {
        Map<String, String> samples = new LinkedHashMap<>();
        for (OptionSpec option : Main.newCommandLine(Map.of()).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String name = OneLineErrorHandler.name(option);
            String sample = isFlag(name) ? "true" : SAMPLES.get(name);
            assertThat(sample).as("a sample value in ConfigurationTest.SAMPLES for the new option %s", name).isNotNull();
            samples.put(name, sample);
        }
        return samples;
    }

    private static boolean isFlag(String name) {
        OptionSpec option = option(name);
        return option.arity().max() == 0 && (option.type() == boolean.class || option.type() == Boolean.class);
    }

    private static OptionSpec option(String name) {
        return Main.newCommandLine(Map.of()).getCommandSpec().findOption(name);
    }

    private static CommandLine parse(Map<String, String> env, String... args) {
        CommandLine cl = Main.newCommandLine(env);
        cl.parseArgs(args);
        return cl;
    }

    private static Object value(CommandLine cl, String name) {
        return cl.getCommandSpec().findOption(name).getValue();
    }
}
