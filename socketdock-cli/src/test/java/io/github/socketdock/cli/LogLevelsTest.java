package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.TypeConversionException;

/** {@link LogLevelConverter} and {@link LogLevels}: the level reaches logback's root logger. */
class LogLevelsTest {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger jetty = (Logger) LoggerFactory.getLogger(LogLevels.JETTY);

    @AfterEach
    void restoreTheShippedLevels() {
        root.setLevel(Level.INFO);
        jetty.setLevel(Level.WARN);
    }

    @ParameterizedTest
    @CsvSource({"TRACE, TRACE, WARN", "DEBUG, DEBUG, WARN", "INFO, INFO, WARN", "WARN, WARN, WARN",
            "ERROR, ERROR, ERROR"})
    void setsTheRootLevelAndKeepsJettyAtWarnOrAbove(String level, String rootLevel, String jettyLevel) {
        LogLevels.setRoot(Level.toLevel(level));

        assertThat(root.getLevel()).isEqualTo(Level.toLevel(rootLevel));
        assertThat(jetty.getLevel()).isEqualTo(Level.toLevel(jettyLevel));
    }

    @ParameterizedTest
    @CsvSource({"trace, TRACE", "Debug, DEBUG", "INFO, INFO", "warn, WARN", "WARNING, WARN", "error, ERROR",
            "CRITICAL, ERROR", "' info ', INFO"})
    void converterReadsLevelsCaseInsensitivelyWithPythonNames(String given, String expected) {
        assertThat(new LogLevelConverter().convert(given)).isEqualTo(Level.toLevel(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "verbose", "FATAL", "OFF", "ALL", "10"})
    void converterRefusesOtherNames(String given) {
        assertThatThrownBy(() -> new LogLevelConverter().convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a log level (TRACE, DEBUG, INFO, WARN, ERROR)");
    }
}
