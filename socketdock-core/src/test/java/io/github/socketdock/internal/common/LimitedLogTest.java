package io.github.socketdock.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.fixtures.LogCapture;
import io.github.socketdock.harness.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rate limit of the lines a client can cause at will, on a manual clock. */
class LimitedLogTest {

    private final ManualTicker ticker = new ManualTicker();
    private final LimitedLog log = new LimitedLog(ticker, 10);

    @Test
    void aKindPastItsLimitIsCountedAndTheCountIsWrittenOnceItsWindowIsOver() {
        try (LogCapture lines = LogCapture.of("io.github.socketdock.connections", "INFO")) {
            for (int i = 0; i < 25; i++) {
                log.log(LimitedLog.Kind.OPENED, "opened {}", i);
            }
            assertThat(lines.containing("opened ")).hasSize(10).startsWith("opened 0").endsWith("opened 9");

            ticker.advance(Duration.ofMillis(999));
            log.flush();
            assertThat(lines.containing("left out")).as("the window is not over").isEmpty();

            ticker.advance(Duration.ofMillis(1));
            log.flush();
            log.flush();
            assertThat(lines.containing("left out"))
                    .containsExactly("15 'connection opened' lines left out in a 1s window (at most 10 a second are written)");

            log.log(LimitedLog.Kind.OPENED, "opened {}", 25);
            assertThat(lines.containing("opened ")).hasSize(11).endsWith("opened 25");
        }
    }

    @Test
    void theCountIsAlsoWrittenByTheNextLineOfItsKindAndKindsHaveTheirOwnLimits() {
        try (LogCapture lines = LogCapture.of("io.github.socketdock.connections", "INFO")) {
            for (int i = 0; i < 11; i++) {
                log.log(LimitedLog.Kind.OPENED, "opened {}", i);
                log.log(LimitedLog.Kind.CLOSED, "closed {}", i);
            }
            assertThat(lines.containing("opened ")).hasSize(10);
            assertThat(lines.containing("closed ")).hasSize(10);

            ticker.advance(Duration.ofSeconds(5));
            log.log(LimitedLog.Kind.CLOSED, "closed {}", 11);
            assertThat(lines.containing("left out")).containsExactly(
                    "1 'connection closed' line left out in a 1s window (at most 10 a second are written)");
            assertThat(lines.lines().get(lines.lines().size() - 1).text()).isEqualTo("closed 11");
        }
    }

    @Test
    void theCountCarriesNoConnectionsMdcAndWhatIsLeftAtTheStopIsWrittenThen() {
        try (LogCapture lines = LogCapture.of("io.github.socketdock.connections", "INFO")) {
            for (int i = 0; i < 12; i++) {
                log.log(LimitedLog.Kind.PAUSED, "paused {}", i);
            }
            ticker.advance(Duration.ofSeconds(1));
            try (Logs.Scope ignored = Logs.connection("0123456789abcdef0123456789abcdef", null)) {
                log.log(LimitedLog.Kind.PAUSED, "paused {}", 12);
            }
            LogCapture.Line count = lines.lines(l -> l.contains("left out")).get(0);
            assertThat(count.text()).startsWith("2 'connection paused' lines left out");
            assertThat(count.mdc()).isEmpty();
            assertThat(lines.lines(l -> l.contains("paused 12")).get(0).mdc())
                    .containsEntry("connection_id", "0123456789abcdef0123456789abcdef");

            for (int i = 13; i < 30; i++) {
                log.log(LimitedLog.Kind.PAUSED, "paused {}", i);
            }
            log.flushAll(); // the window is not over, but the relay stops
            assertThat(lines.containing("left out")).hasSize(2).last().asString()
                    .startsWith("8 'connection paused' lines left out");
        }
    }

    @Test
    void aControlRefusalIsAWarningOnTheControlLogger() {
        try (LogCapture lines = LogCapture.of("io.github.socketdock.control", "WARN")) {
            log.log(LimitedLog.Kind.CONTROL_REFUSED, "refused {}", 1);
            assertThat(lines.lines()).singleElement().satisfies(l -> {
                assertThat(l.level()).isEqualTo("WARN");
                assertThat(l.text()).isEqualTo("refused 1");
            });
        }
    }

    @Test
    void nothingIsCountedWhileTheLevelIsOff() {
        try (LogCapture lines = LogCapture.of("io.github.socketdock.connections", "WARN")) {
            for (int i = 0; i < 50; i++) {
                log.log(LimitedLog.Kind.REFUSED, "refused {}", i);
            }
            ticker.advance(Duration.ofSeconds(2));
            log.flush();
            assertThat(lines.lines()).isEmpty();
        }
    }
}
