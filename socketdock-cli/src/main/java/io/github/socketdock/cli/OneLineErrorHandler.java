package io.github.socketdock.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a bad command line as exactly one line on stderr, {@code socketdock: <what is wrong>},
 * naming the option, and answers the exit code for invalid input (2). No usage dump: {@code --help}
 * is there for that. For example:
 *
 * <pre>
 * socketdock: invalid value for --bindport: 'abc' is not a port number (0-65535)
 * socketdock: invalid value for --bindport (from SOCKETDOCK_BINDPORT): 'abc' is not a port number (0-65535)
 * socketdock: unknown option '--bindprt' (did you mean --bindip or --bindport?)
 * socketdock: missing value for --bindport
 * </pre>
 */
final class OneLineErrorHandler implements IParameterExceptionHandler {

    /** What every error line starts with. */
    static final String PREFIX = "socketdock: ";

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(PREFIX + describe(ex));
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(unmatched);
        }
        if (ex instanceof MissingParameterException missing && missing.getMissing() != null
                && missing.getMissing().size() == 1 && missing.getMissing().get(0) instanceof OptionSpec option) {
            return "missing value for " + name(option);
        }
        if (ex.getCause() instanceof TypeConversionException bad && ex.getArgSpec() instanceof OptionSpec option) {
            return "invalid value for " + name(option) + source(ex, option) + ": " + bad.getMessage();
        }
        return oneLine(ex.getMessage());
    }

    private static String unmatched(UnmatchedArgumentException ex) {
        String first = ex.getUnmatched().get(0);
        if (!first.startsWith("-")) {
            return "unexpected argument '" + first + "'";
        }
        List<String> suggestions = ex.getSuggestions();
        return "unknown option '" + first + "'"
                + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
    }

    /** @return the option's first long name as declared, its canonical spelling */
    static String name(OptionSpec option) {
        return Arrays.stream(option.names()).filter(n -> n.startsWith("--")).findFirst()
                .orElse(option.longestName());
    }

    /**
     * @return " (from SOCKETDOCK_X)" when the bad value is the one in the option's variable. Picocli
     * converts every option's variable when it parses, even one the command line then overrides, so
     * the value is what tells, not whether the option was given.
     */
    private static String source(ParameterException ex, OptionSpec option) {
        IDefaultValueProvider provider = ex.getCommandLine().getDefaultValueProvider();
        String fromEnv = provider instanceof EnvDefaultProvider env ? env.fromEnvironment(option) : null;
        return fromEnv != null && fromEnv.equals(ex.getValue())
                ? " (from " + EnvDefaultProvider.variableName(option) + ")" : "";
    }

    private static String oneLine(String message) {
        String line = message == null ? "invalid command line" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
        if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && Character.isLowerCase(line.charAt(1))) {
            line = line.substring(0, 1).toLowerCase(Locale.ROOT) + line.substring(1);
        }
        return line;
    }
}
