package io.github.socketdock.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
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
