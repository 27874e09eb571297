package io.github.socketdock.cli;

import ch.qos.logback.classic.LoggerContext;
import io.github.socketdock.SocketDock;
import io.github.socketdock.SocketDockException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the command: the {@link SocketDock} its options built, with the metrics it serves.
 * {@link SocketDockCommand#prepare()} makes one; {@link #start()} starts it and logs the effective
 * settings and where it listens; {@link #stop()} drains it and gives the exit code. The process
 * runs one until a signal, when its shutdown hook calls {@link #stopAndHalt()}; tests run one
 * in-process and call {@link #stop()}.
 */
final class Relay {

    /** The command's log: the lines of a run are logged as the command's, as they always were. */
    private static final Logger LOG = LoggerFactory.getLogger(SocketDockCommand.class);

    private final SocketDock dock;
    private final PrometheusMetrics metrics;
    private final List<String> settingsLines;
    private final Function<SocketDock, String> listeningLine;
    private final PrintWriter err;
    private volatile boolean startFailed;
    private Integer exitCode; // guarded by this: the first stop's code

    /**
     * @param dock          built, not started
     * @param metrics       the metrics the dock records into; closed by {@link #stop()}
     * @param settingsLines the effective settings, logged once the dock listens
     * @param listeningLine the line saying where it listens, made from the started dock
     * @param err           where a failed start is reported as one line
     */
    Relay(SocketDock dock, PrometheusMetrics metrics, List<String> settingsLines,
            Function<SocketDock, String> listeningLine, PrintWriter err) {
        this.dock = dock;
        this.metrics = metrics;
        this.settingsLines = List.copyOf(settingsLines);
        this.listeningLine = listeningLine;
        this.err = err;
    }

    /** @return the dock this run built */
    SocketDock dock() {
        return dock;
    }

    /**
     * Starts the dock, then logs the effective settings and, last, the line saying where it
     * listens: once that line is logged, SocketDock serves.
     *
     * @return false if it could not start (the reason printed on {@code err} as one line; the
     *         metrics are closed, and {@link #stop()} has nothing to drain)
     */
    boolean start() {
        try {
            dock.start();
        } catch (SocketDockException e) {
            startFailed = true;
            metrics.close();
            err.println(OneLineErrorHandler.PREFIX + e.getMessage());
            err.flush();
            return false;
        }
        settingsLines.forEach(LOG::info);
        LOG.info(listeningLine.apply(dock));
        return true;
    }

    /**
     * Drains and closes the dock (waiting for a start under way), and closes the metrics. Only the
     * first call does so; later calls give the same code.
     *
     * @return the exit code: 0 after a clean drain, 1 when the shutdown timeout passed with
     *         disconnects not yet taken by the backend or the start failed
     */
    synchronized int stop() {
        if (exitCode == null) {
            exitCode = startFailed ? 1 : drain();
        }
        return exitCode;
    }

    private int drain() {
        LOG.info("shutting down");
        dock.close();
        metrics.close();
        int code = dock.drained() ? 0 : 1;
        LOG.info(code == 0 ? "SocketDock stopped" : "SocketDock stopped before every disconnect was taken; exit code 1");
        return code;
    }

    /**
     * The shutdown hook: {@link #stop()}, then ends the process with its code (the JVM would end
     * with 128 + the signal's number, 143 for SIGTERM). Whatever fails on the way, the log is
     * flushed and the process ends.
     */
    void stopAndHalt() {
        int code = 1;
        try {
            code = stop();
        } catch (RuntimeException | Error e) {
            LOG.error("the shutdown failed: {}", e.toString());
        } finally {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                context.stop(); // flushes and closes the appenders: halt skips the JVM's own ending
            }
            Runtime.getRuntime().halt(code);
        }
    }
}
