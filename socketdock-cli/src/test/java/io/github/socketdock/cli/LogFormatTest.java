package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log-format}: read from the flag or {@code SOCKETDOCK_LOG_FORMAT}, and {@link LogFormat#apply()}
 * switching the shipped stderr appender to Logback's JSON encoder. (CliLogFormatIT checks the real jar's stderr.)
 */
class LogFormatTest {

    @SuppressWarnings("unchecked")
    private final OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getAppender(LogFormat.APPENDER);
    private final Encoder<ILoggingEvent> shipped = stderr.getEncoder();
    private final PrintStream systemErr = System.err;

    @AfterEach
    void restoreTheShippedEncoderAndStderr() {
        stderr.setEncoder(shipped);
        System.setErr(systemErr);
    }

    @Test
    void textIsTheDefaultAndKeepsTheShippedPatternEncoder() {
        SocketDockCommand c = Cli.parse();
        c.logFormat.apply();

        assertThat(c.logFormat).isEqualTo(LogFormat.TEXT);
        assertThat(stderr.getEncoder()).isSameAs(shipped).isInstanceOf(PatternLayoutEncoder.class);
    }

    @Test
    void jsonWritesOneObjectPerLineWithLevelLoggerAndMessage() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));

        LogFormat.JSON.apply();
        LogFormat.JSON.apply(); // idempotent
        org.slf4j.Logger log = LoggerFactory.getLogger("io.github.socketdock.Probe");
        log.info("opened from {} with \"quotes\"", "127.0.0.1:5");
        log.warn("line one\nline two", new IllegalStateException("boom"));

        assertThat(stderr.getEncoder()).isInstanceOf(JsonEncoder.class);
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(first.get("level").getAsString()).isEqualTo("INFO");
        assertThat(first.get("loggerName").getAsString()).isEqualTo("io.github.socketdock.Probe");
        assertThat(first.get("message").getAsString()).isEqualTo("opened from {} with \"quotes\"");
        assertThat(first.get("formattedMessage").getAsString()).isEqualTo("opened from 127.0.0.1:5 with \"quotes\"");
        assertThat(first.get("timestamp").getAsLong()).isPositive();
        assertThat(first.keySet()).doesNotContain("sequenceNumber", "nanoseconds", "context", "arguments");
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(second.get("level").getAsString()).isEqualTo("WARN");
        assertThat(second.get("formattedMessage").getAsString()).isEqualTo("line one\nline two");
        assertThat(second.getAsJsonObject("throwable").get("className").getAsString())
                .isEqualTo("java.lang.IllegalStateException");
    }

    @ParameterizedTest
    @CsvSource({"text, TEXT", "json, JSON", "JSON, JSON", "' Json ', JSON"})
    void formatIsReadFromTheFlagCaseInsensitively(String given, LogFormat expected) {
        assertThat(Cli.parse("--log-format", given).logFormat).isEqualTo(expected);
    }

    @Test
    void formatIsReadFromItsVariableAndTheFlagBeatsIt() {
        assertThat(Cli.parse(Map.of("SOCKETDOCK_LOG_FORMAT", "json")).logFormat).isEqualTo(LogFormat.JSON);
        assertThat(Cli.parse(Map.of("SOCKETDOCK_LOG_FORMAT", "json"), "--log-format", "text").logFormat)
                .isEqualTo(LogFormat.TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "logfmt", "xml", "jsonl"})
    void converterRefusesOtherNames(String given) {
        assertThatThrownBy(() -> new LogFormat.Converter().convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a log format (text or json)");
    }

    @Test
    void aBadFormatIsOneLineAndExitCode2() {
        Cli.Result flag = Cli.execute("--log-format", "yaml");
        Cli.Result env = Cli.execute(Map.of("SOCKETDOCK_LOG_FORMAT", "yaml"));

        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.errLines()).containsExactly(
                "socketdock: invalid value for --log-format: 'yaml' is not a log format (text or json)");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.errLines()).containsExactly("socketdock: invalid value for --log-format "
                + "(from SOCKETDOCK_LOG_FORMAT): 'yaml' is not a log format (text or json)");
    }
}
