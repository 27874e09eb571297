package io.github.socketdock.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * How log lines are written on stderr, by its {@code --log-format} name: {@code text}, the plain
 * lines of the shipped {@code logback.xml}, or {@code json}, one JSON object per line written by
 * Logback's own {@link JsonEncoder}, for log collectors.
 *
 * <p>A JSON line carries {@code timestamp} (epoch milliseconds), {@code level}, {@code threadName},
 * {@code loggerName}, {@code message} (the message template, the same for every line of a kind),
 * {@code formattedMessage} (the line as text shows it), and {@code mdc}, {@code kvpList} and
 * {@code throwable} where present; Logback's {@code sequenceNumber}, {@code nanoseconds},
 * {@code context} and {@code arguments} are left out (the arguments are in the formatted message).
 */
enum LogFormat {
    /** The shipped {@code logback.xml}'s plain lines: nothing to change. */
    TEXT,
    /** One JSON object per line. */
    JSON;

    /** The appender in {@code logback.xml} whose encoder the format replaces. */
    static final String APPENDER = "STDERR";

    /** @return the name as written on the command line, e.g. {@code json} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Makes the shipped stderr appender write in this format, programmatically, before anything is
     * logged (as {@link LogLevels} sets the level). {@link #TEXT} keeps the appender as configured.
     * Does nothing when Logback is not the SLF4J binding or the appender is not there (a
     * {@code logback.xml} of the user's own, given with {@code -Dlogback.configurationFile}).
     */
    void apply() {
        if (this == TEXT) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context
                && context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(APPENDER)
                instanceof OutputStreamAppender<ILoggingEvent> appender
                && !(appender.getEncoder() instanceof JsonEncoder)) {
            appender.setEncoder(jsonEncoder(context));
        }
    }

    private static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }

    /** Reads a format name, case-insensitive; refuses any other with the names it accepts. */
    static final class Converter extends LowerCaseEnumConverter<LogFormat> {
        Converter() {
            super(LogFormat.class, "log format");
        }
    }
}
