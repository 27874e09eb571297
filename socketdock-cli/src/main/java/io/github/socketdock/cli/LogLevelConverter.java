package io.github.socketdock.cli;

import ch.qos.logback.classic.Level;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a log level, case-insensitive: {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN},
 * {@code ERROR}; and, as the original SocketDock's Python levels, {@code WARNING} for WARN and
 * {@code CRITICAL} for ERROR.
 */
final class LogLevelConverter implements ITypeConverter<Level> {

    @Override
    public Level convert(String value) {
        return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARN;
            case "ERROR", "CRITICAL" -> Level.ERROR;
            default -> throw new TypeConversionException("'" + value
                    + "' is not a log level (TRACE, DEBUG, INFO, WARN, ERROR)");
        };
    }
}
