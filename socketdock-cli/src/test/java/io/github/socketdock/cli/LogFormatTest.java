package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
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
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log-format}: read from the flag or {@code SOCKETDOCK_LOG_FORMAT}, and {@link LogFormat#apply}
 * switching the shipped stderr appender to the JSON encoder. (CliLogFormatIT checks the whole command's stderr.)
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
        c.logging.format.apply(context());

        assertThat(c.logging.format).isEqualTo(LogFormat.TEXT);
        assertThat(stderr.getEncoder()).isSameAs(shipped).isInstanceOf(PatternLayoutEncoder.class);
    }

    @Test
    void jsonWritesOneObjectPerLineWithAnIsoTimestampLevelLoggerMessageAndTheMdcAsFields() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));

        LogFormat.JSON.apply(context());
        LogFormat.JSON.apply(context()); // idempotent
        Logger log = (Logger) LoggerFactory.getLogger("io.github.socketdock.Probe");
        log.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' logback-test.xml logs WARN and above
        try (MDC.MDCCloseable id = MDC.putCloseable("connection_id", "0123456789abcdef0123456789abcdef");
             MDC.MDCCloseable remote = MDC.putCloseable("remote", "127.0.0.1:5")) {
            log.info("opened from {} with \"quotes\"", "127.0.0.1:5");
        }
        log.warn("line one\nline two", new IllegalStateException("boom"));

        assertThat(stderr.getEncoder()).isInstanceOf(LogstashEncoder.class);
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(first.get("level").getAsString()).isEqualTo("INFO");
        assertThat(first.get("logger_name").getAsString()).isEqualTo("io.github.socketdock.Probe");
        assertThat(first.get("message").getAsString()).isEqualTo("opened from 127.0.0.1:5 with \"quotes\"");
        assertThat(first.get("connection_id").getAsString()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(first.get("remote").getAsString()).isEqualTo("127.0.0.1:5");
        String timestamp = first.get("@timestamp").getAsString();
        assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(java.time.Instant.parse(timestamp)).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(first.keySet()).doesNotContain("@version", "level_value", "timestamp");
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(second.get("level").getAsString()).isEqualTo("WARN");
        assertThat(second.get("message").getAsString()).isEqualTo("line one\nline two");
        assertThat(second.keySet()).doesNotContain("connection_id", "remote");
        assertThat(second.get("stack_trace").getAsString()).startsWith("java.lang.IllegalStateException: boom");
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @ParameterizedTest
    @CsvSource({"text, TEXT", "json, JSON", "JSON, JSON", "' Json ', JSON"})
    void formatIsReadFromTheFlagCaseInsensitively(String given, LogFormat expected) {
        assertThat(Cli.parse("--log-format", given).logging.format).isEqualTo(expected);
    }

    @Test
    void formatIsReadFromItsVariableAndTheFlagBeatsIt() {
        assertThat(Cli.parse(Map.of("SOCKETDOCK_LOG_FORMAT", "json")).logging.format).isEqualTo(LogFormat.JSON);
        assertThat(Cli.parse(Map.of("SOCKETDOCK_LOG_FORMAT", "json"), "--log-format", "text").logging.format)
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
