package io.github.socketdock.cli;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The library calls made for options, each under its option's name: a value the library refuses
 * ({@link IllegalArgumentException}) becomes a usage error that names the option (exit code 2).
 * The option classes build the library's setting values through it, one call per option.
 */
final class OptionCalls {

    private final CommandSpec spec;

    OptionCalls(CommandSpec spec) {
        this.spec = spec;
    }

    /**
     * Runs one library call for {@code option}.
     *
     * @throws ParameterException {@code invalid value for <option>: <the library's message>}
     */
    <T> T set(String option, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw error("invalid value for " + option + ": " + e.getMessage());
        }
    }

    /**
     * @return {@code value} changed for {@code option}, e.g. {@code with("--ping-timeout", keepAlive, k -> k.withPingTimeout(t))}
     * @throws ParameterException naming the option, if the library refuses the change
     */
    <V> V with(String option, V value, UnaryOperator<V> change) {
        return set(option, () -> change.apply(value));
    }

    /**
     * @return {@code value}, given for {@code needed}, which {@code option} needs
     * @throws ParameterException naming both options and {@code needed}'s variable, if it is null
     */
    String required(String value, String option, String needed) {
        if (value == null) {
            throw error(option + " needs " + needed + " (or "
                    + EnvDefaultProvider.variableName(spec.findOption(needed)) + ")");
        }
        return value;
    }

    ParameterException error(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
