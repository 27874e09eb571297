package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"0, PT0S", "0s, PT0S", "500ms, PT0.5S", "5s, PT5S", "2m, PT2M", "1h, PT1H", "30 s, PT30S",
            "5S, PT5S", "' 250ms ', PT0.25S"})
    void readsAWholeNumberWithAUnitOrZero(String given, Duration expected) {
        assertThat(converter.convert(given)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "-5s", "1.5s", "5sec", "PT5S", "s", "5d", "abc"})
    void refusesAnythingElseSayingWhatADurationIs(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a duration (a whole number with ms, s, m or h, "
                        + "e.g. 500ms, 5s, 2m, or 0)");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0", "PT0.05S, 50ms", "PT1.5S, 1500ms", "PT1S, 1s", "PT30S, 30s", "PT1M, 1m", "PT90S, 90s",
            "PT2M, 2m", "PT1H, 1h", "PT25H, 25h"})
    void formatsInTheLargestExactUnitAndReadsItBack(Duration duration, String text) {
        assertThat(DurationConverter.format(duration)).isEqualTo(text);
        assertThat(converter.convert(text)).isEqualTo(duration);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-1S", "PT0.0000001S"})
    void refusesToFormatWhatCannotBeWritten(Duration duration) {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationConverter.format(duration));
    }
}
