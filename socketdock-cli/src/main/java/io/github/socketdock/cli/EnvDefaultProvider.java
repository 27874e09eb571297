package io.github.socketdock.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every option a default from an environment variable {@code SOCKETDOCK_<NAME>}, where
 * NAME is the option's longest name without its dashes, upper-cased, with {@code -} turned into
 * {@code _}: {@code --message-uri} reads {@code SOCKETDOCK_MESSAGE_URI}, {@code --bindport} reads
 * {@code SOCKETDOCK_BINDPORT}.
 *
 * <p>Picocli applies a default only to an option not given on the command line, so a flag always
 * beats its variable, and the variable's value goes through the option's converter like a flag's.
 * A variable that is unset or blank counts as not set. A repeatable option takes a comma-separated
 * list from its variable: declare it with {@code split = "\\s*,\\s*"}, which picocli also applies
 * to defaults (and, for the help, {@code splitSynopsisLabel = ","} and {@code showDefaultValue =
 * Visibility.NEVER}: its empty default reads "Unset" in its description). {@code --help} and {@code --version} have no variable.
 *
 * <p>An option whose variable is unset takes its default from the fallback provider given to the
 * constructor ({@link LibraryDefaults} in {@link Main}: the library's constants), and else from its
 * annotation's {@code defaultValue}.
 *
 * <p>The variables come from the map given to the constructor ({@link System#getenv()} in
 * {@link Main}), so tests pass their own map.
 */
final class EnvDefaultProvider implements IDefaultValueProvider {

    /** What every variable name starts with. */
    static final String PREFIX = "SOCKETDOCK_";

    private final Map<String, String> env;
    private final IDefaultValueProvider fallback;

    /**
     * @param env the environment to read, e.g. {@link System#getenv()}
     */
    EnvDefaultProvider(Map<String, String> env) {
        this(env, arg -> null);
    }

    /**
     * @param env      the environment to read, e.g. {@link System#getenv()}
     * @param fallback asked for an option whose variable is unset, e.g. {@link LibraryDefaults}
     */
    EnvDefaultProvider(Map<String, String> env, IDefaultValueProvider fallback) {
        this.env = Map.copyOf(env);
        this.fallback = fallback;
    }

    @Override
    public String defaultValue(ArgSpec arg) throws Exception {
        String fromEnv = fromEnvironment(arg);
        return fromEnv != null ? fromEnv : fallback.defaultValue(arg);
    }

    /**
     * @param arg an option or positional parameter
     * @return the value of its variable, or null when it has none or the variable is unset or blank
     */
    String fromEnvironment(ArgSpec arg) {
        String name = variableName(arg);
        if (name == null) {
            return null;
        }
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The {@code SOCKETDOCK_*} variables that set no option, sorted; those Kubernetes injects for a
     * Service named {@code socketdock} or {@code socketdock-…} ({@code SOCKETDOCK_SERVICE_*},
     * {@code SOCKETDOCK_PORT}, {@code SOCKETDOCK_PORT_*}, {@code SOCKETDOCK_CONTROL_SERVICE_HOST}, …)
     * are not counted.
     *
     * @param spec the command whose options' variables are known
     * @return the unknown variables' names
     */
    List<String> unknownVariables(CommandSpec spec) {
        Set<String> known = new HashSet<>();
        for (OptionSpec option : spec.options()) {
            String name = variableName(option);
            if (name != null) {
                known.add(name);
            }
        }
        return env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(PREFIX) && !known.contains(e.getKey())
                        && !injectedByKubernetes(e.getKey(), e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * What Kubernetes injects for each Service of the namespace (service links): for a Service named
     * {@code socketdock} (or {@code socketdock-control}, …) {@code SOCKETDOCK_SERVICE_HOST},
     * {@code SOCKETDOCK_SERVICE_PORT}, {@code SOCKETDOCK_SERVICE_PORT_<PORT NAME>},
     * {@code SOCKETDOCK_PORT}, {@code SOCKETDOCK_PORT_<N>_TCP} and its {@code _PROTO}, {@code _PORT},
     * {@code _ADDR}.
     */
    private static final java.util.regex.Pattern KUBERNETES = java.util.regex.Pattern.compile(
            "SOCKETDOCK_(?:[A-Z0-9_]+_)?(?:SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT(?:_\\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?)?)");

    /** {@code SOCKETDOCK[_<NAME>]_PORT}, whose injected value is a URL such as {@code tcp://10.96.0.12:8765}. */
    private static final java.util.regex.Pattern PORT_URL = java.util.regex.Pattern.compile(
            "SOCKETDOCK_(?:[A-Z0-9_]+_)?(?<!SERVICE_|_TCP_|_UDP_|_SCTP_)PORT");

    /**
     * @return whether Kubernetes sets this variable for a Service named socketdock or socketdock-…
     * (service links); a {@code …_PORT} only with the URL Kubernetes gives it, so that a misspelled
     * {@code SOCKETDOCK_BIND_PORT=8765} is still refused
     */
    static boolean injectedByKubernetes(String name, String value) {
        if (!KUBERNETES.matcher(name).matches()) {
            return false;
        }
        return !PORT_URL.matcher(name).matches() || value.matches("(?:tcp|udp|sctp)://\\S+");
    }

    /**
     * @param spec the command whose options' variables are known
     * @param name an unknown variable's name
     * @return one line naming it and, when one is close, the known variable it was likely meant to be
     */
    String unknownVariableMessage(CommandSpec spec, String name) {
        // picocli's suggestions for an unknown option, asked for the option the variable would be
        String asOption = "--" + name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
        List<String> suggestions = new UnmatchedArgumentException(spec.commandLine(), List.of(asOption)).getSuggestions();
        String message = "unknown variable " + name + " (every SOCKETDOCK_ variable must name an option)";
        String squeezed = name.replace("_", "");
        for (OptionSpec option : spec.options()) { // the same letters with the underscores elsewhere
            String variable = variableName(option);
            if (variable != null && variable.replace("_", "").equals(squeezed)) {
                return message + "; did you mean " + variable + "?";
            }
        }
        for (String suggestion : suggestions) {
            OptionSpec option = spec.findOption(suggestion);
            String variable = option == null ? null : variableName(option);
            if (variable != null) {
                return message + "; did you mean " + variable + "?";
            }
        }
        return message;
    }

    /**
     * @param arg an option or positional parameter
     * @return the name of the variable that sets it, or null when none does
     */
    static String variableName(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        return PREFIX + option.longestName().replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
