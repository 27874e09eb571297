package io.github.socketdock.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of {@code java -jar socketdock.jar [options]}: runs {@link SocketDockCommand} and
 * exits with its code (0 after a clean stop, {@code --help} or {@code --version}; 1 if SocketDock
 * could not start; 2 for a bad command line).
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command with the process environment. Blocks while SocketDock runs.
     *
     * @param args the command line
     * @return the exit code
     */
    public static int run(String... args) {
        return newCommandLine(System.getenv()).execute(args);
    }

    /**
     * A command line ready to execute: env defaults from {@code env} (the library's defaults where
     * a variable is unset), one-line errors with exit code 2, and an option given twice taking its
     * last value (as the original's argparse does), {@code @file}s of arguments (picocli's), and
     * {@code --help} by topic ({@link TopicHelp}).
     * Tests use it with their own map and writers.
     *
     * @param env the environment that {@code SOCKETDOCK_*} variables are read from
     * @return a new command line around a new {@link SocketDockCommand}
     */
    static CommandLine newCommandLine(Map<String, String> env) {
        return TopicHelp.install(new CommandLine(new SocketDockCommand()))
                .setDefaultValueProvider(new EnvDefaultProvider(env, new LibraryDefaults()))
                .setOverwrittenOptionsAllowed(true)
                .setParameterExceptionHandler(new OneLineErrorHandler());
    }
}
