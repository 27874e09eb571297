package io.github.socketdock.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-level} to logback, programmatically: the root logger takes the level, and
 * Jetty's loggers take it too but never below WARN, so that {@code DEBUG} shows SocketDock's
 * debugging and not Jetty's internals.
 */
final class LogLevels {

    /** The logger family kept at WARN or above. */
    static final String JETTY = "org.eclipse.jetty";

    private LogLevels() {
    }

    /**
     * @param level the level for the root logger
     */
    static void setRoot(Level level) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
        if (LoggerFactory.getLogger(JETTY) instanceof Logger jetty) {
            jetty.setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        }
    }
}
