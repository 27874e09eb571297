package io.github.socketdock.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger (and its children) writes while open, at a level the test chooses,
 * instead of printing it; on close the logger gets its level and appenders back. Use it in try-with-resources around the code under test:
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("io.github.socketdock.backend", "DEBUG")) {
 *     ...
 *     await().until(() -> log.lines().stream().anyMatch(l -> l.contains("message 1 try 1: 200")));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    /** One line as logged: its level, its text, and the MDC it carried. */
    public record Line(String level, String text, Map<String, String> mdc) {
        /** @return whether the text contains {@code s} */
        public boolean contains(String s) {
            return text.contains(s);
        }
    }

    private final Logger logger;
    private final Level previous;
    private final boolean additive;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            lines.add(new Line(e.getLevel().toString(), e.getFormattedMessage(), Map.copyOf(e.getMDCPropertyMap())));
        }
    };

    private LogCapture(String name, String level) {
        logger = (Logger) LoggerFactory.getLogger(name);
        previous = logger.getLevel();
        additive = logger.isAdditive();
        logger.setLevel(Level.toLevel(level));
        logger.setAdditive(false); // recorded, not also printed
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * @param logger a logger's name, e.g. {@code io.github.socketdock.connections}
     * @param level  the level to record from, e.g. {@code DEBUG}
     * @return a capture, recording from now on
     */
    public static LogCapture of(String logger, String level) {
        return new LogCapture(logger, level);
    }

    /** @return every line recorded so far */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** @return the lines recorded so far that match */
    public List<Line> lines(Predicate<Line> which) {
        return lines.stream().filter(which).toList();
    }

    /** @return the texts of every line containing {@code s} */
    public List<String> containing(String s) {
        return lines.stream().map(Line::text).filter(t -> t.contains(s)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(previous);
        logger.setAdditive(additive);
    }
}
