package io.github.socketdock.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the command in-process the way {@link Main} does, with a given environment and captured
 * output. Only for command lines that end before SocketDock would start (errors, help, version);
 * {@link #parse} for the rest.
 */
final class Cli {

    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        /** @return the lines printed on stderr */
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Executes with an empty environment. */
    static Result execute(String... args) {
        return execute(Map.of(), args);
    }

    /** Executes with {@code env} as the environment. */
    static Result execute(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Parses with an empty environment; throws picocli's ParameterException for a bad command line. */
    static SocketDockCommand parse(String... args) {
        return parse(Map.of(), args);
    }

    /** Parses with {@code env} as the environment. */
    static SocketDockCommand parse(Map<String, String> env, String... args) {
        CommandLine cl = Main.newCommandLine(env);
        cl.parseArgs(args);
        return cl.getCommand();
    }
}
