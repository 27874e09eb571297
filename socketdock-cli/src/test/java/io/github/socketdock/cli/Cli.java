package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs the command in-process the way {@link Main} does, with a given environment and captured
 * output: {@link #execute} for command lines that end before SocketDock would start (errors, help,
 * version), {@link #parse} to check options, and {@link #start} for a whole run that serves until
 * the test stops it.
 */
final class Cli {

    /** The tests' own logging (the fixtures' {@code logback-test.xml}), put back after a run. */
    private static final String TEST_LOGGING = "/logback-test.xml";

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

    /**
     * Executes with {@code env} as the environment. A command line that gets as far as setting
     * logging up changes the JVM's Logback: the test's configuration is put back after it.
     */
    static Result execute(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        try {
            int code = cl.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            configureLogging(TEST_LOGGING);
        }
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

    /**
     * Runs the command as the jar does, in this JVM: logging set up from the shipped
     * {@code logback.xml} and then by the logging options, stdout and stderr captured (and still
     * printed), SocketDock prepared and started. Give {@code --bindport 0}: {@link Running#ws()}
     * tells the port it got.
     *
     * @param env  the environment
     * @param args the command line
     * @return the running command; close it to stop it and give the test its logging back
     */
    static Running start(Map<String, String> env, String... args) {
        Running running = new Running();
        try {
            running.capture();
            running.relay = parse(env, args).prepare();
            assertThat(running.relay.start()).as("started; stderr:%n%s", running.stderr()).isTrue();
            running.ws = running.relay.dock().uri();
            return running;
        } catch (RuntimeException | Error e) {
            running.close();
            throw e;
        }
    }

    /**
     * The command running in-process. {@link #stop()} is what the shutdown hook runs before it
     * ends the process with the code.
     */
    static final class Running implements AutoCloseable {

        private final PrintStream systemOut = System.out;
        private final PrintStream systemErr = System.err;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private Relay relay;
        private URI ws;

        private void capture() {
            System.setOut(new PrintStream(new Tee(out, systemOut), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(err, systemErr), true, StandardCharsets.UTF_8));
            configureLogging("/logback.xml");
        }

        /** @return the WebSocket address it listened on once started (also after it stopped) */
        URI ws() {
            return ws;
        }

        /** @return the base of its HTTP routes, e.g. {@code http://127.0.0.1:40123} */
        URI http() {
            return URI.create("http://" + ws().getHost() + ":" + ws().getPort());
        }

        /** @return what was written on stderr since it started */
        String stderr() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** @return what was written on stdout since it started */
        String stdout() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** Drains and closes, as SIGTERM does. @return the exit code the process would end with */
        int stop() {
            return relay.stop();
        }

        /** Stops if still running, and gives back the test's logging, stdout and stderr. */
        @Override
        public void close() {
            try {
                if (relay != null) {
                    relay.stop();
                }
            } finally {
                System.setOut(systemOut);
                System.setErr(systemErr);
                configureLogging(TEST_LOGGING);
            }
        }
    }

    /** Resets the JVM's Logback to a configuration on the class path. */
    private static void configureLogging(String resource) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL url = Cli.class.getResource(resource);
        assertThat(url).as(resource).isNotNull();
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(url);
        } catch (JoranException e) {
            throw new IllegalStateException(resource, e);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
