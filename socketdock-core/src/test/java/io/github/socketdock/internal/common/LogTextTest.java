package io.github.socketdock.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counts, durations and sizes as log lines write them. */
class LogTextTest {

    @Test
    void countsTakeTheirNounInTheRightNumber() {
        assertThat(LogText.count(0, "message")).isEqualTo("0 messages");
        assertThat(LogText.count(1, "message")).isEqualTo("1 message");
        assertThat(LogText.count(2, "connection")).isEqualTo("2 connections");
    }

    @Test
    void durationsAreWrittenAsTheCommandLineReadsThem() {
        assertThat(LogText.duration(Duration.ofMillis(140))).isEqualTo("140ms");
        assertThat(LogText.duration(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(LogText.duration(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(LogText.duration(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(LogText.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(LogText.duration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(LogText.duration(Duration.ofNanos(250_000))).isEqualTo("250us");
        assertThat(LogText.duration(Duration.ZERO)).isEqualTo("0");
        assertThat(LogText.duration(null)).isEqualTo("off");
    }

    @Test
    void elapsedTimesAreRoundedForReading() {
        assertThat(LogText.elapsed(Duration.ofNanos(140_400_000))).isEqualTo("140ms");
        assertThat(LogText.elapsed(Duration.ofMillis(12_345))).isEqualTo("12.3s");
        assertThat(LogText.elapsed(Duration.ofSeconds(723))).isEqualTo("12m 3s");
        assertThat(LogText.elapsed(Duration.ofMinutes(182))).isEqualTo("3h 2m");
    }

    @Test
    void sizesTakeTheLargestBinaryUnitThatWritesThemExactly() {
        assertThat(LogText.size(4_194_304)).isEqualTo("4MiB");
        assertThat(LogText.size(16_384)).isEqualTo("16KiB");
        assertThat(LogText.size(1L << 30)).isEqualTo("1GiB");
        assertThat(LogText.size(1000)).isEqualTo("1000");
        assertThat(LogText.size(0)).isEqualTo("0");
    }

    @Test
    void aClientsCloseReasonCannotForgeALogLine() {
        assertThat(LogText.printable("bye\n2026-11-26 INFO forged\r\u2028\u0000ok"))
                .isEqualTo("bye\\u000a2026-11-26 INFO forged\\u000d\\u2028\\u0000ok")
                .doesNotContain("\n");
        assertThat(LogText.printable("plain ✓")).isEqualTo("plain ✓");
    }
}
