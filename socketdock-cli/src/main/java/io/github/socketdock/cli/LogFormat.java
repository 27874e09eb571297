package io.github.socketdock.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * How log lines are written, by its {@code --log-format} name: {@code text}, the plain lines of the
 * shipped {@code logback.xml}, or {@code json}, one JSON object per line (logstash-logback-encoder),
 * for log collectors.
 *
 * <p>A JSON line carries {@code @timestamp} (ISO-8601 in UTC, milliseconds, e.g.
 * {@code 2026-12-07T12:59:00.123Z}), {@code level}, {@code logger_name}, {@code thread_name},
 * {@code message} (the line as text shows it), the MDC's keys as fields of their own
 * ({@code connection_id} and {@code remote} on a line about one connection), and
 * {@code stack_trace} where there is one.
 */
enum LogFormat {
    /** The shipped {@code logback.xml}'s plain lines. */
    TEXT,
    /** One JSON object per line. */
    JSON;

    /** The appender in {@code logback.xml} whose encoder the format replaces. */
    static final String APPENDER = "STDERR";
    /** The text lines' pattern, as in {@code logback.xml}. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    /** @return the name as written on the command line, e.g. {@code json} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Makes the shipped stderr appender write in this format, before anything is logged.
     * {@link #TEXT} keeps the appender as configured. Does nothing when the appender is not there
     * (a Logback configuration of the user's own, given with {@code --log-config}).
     *
     * @param context the logging context
     */
    void apply(LoggerContext context) {
        if (this == TEXT) {
            return;
        }
        Appender<ILoggingEvent> a = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (a instanceof OutputStreamAppender<ILoggingEvent> appender && !(appender.getEncoder() instanceof LogstashEncoder)) {
            appender.setEncoder(encoder(context));
        }
    }

    /**
     * @param context the logging context
     * @return a started encoder writing this format
     */
    Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (this == TEXT) {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(context);
            text.setPattern(TEXT_PATTERN);
            text.start();
            return text;
        }
        LogstashEncoder json = new LogstashEncoder();
        json.setContext(context);
        json.setTimeZone("UTC");
        json.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"); // 2026-12-07T12:59:00.123Z
        json.setIncludeContext(false);
        LogstashFieldNames names = new LogstashFieldNames();
        names.setVersion("[ignore]");
        names.setLevelValue("[ignore]");
        json.setFieldNames(names);
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
