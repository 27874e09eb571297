package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class WholeNumberConverterTest {

    private final WholeNumberConverter converter = new WholeNumberConverter();

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "5, 5", "' 12 ', 12", "2147483647, 2147483647"})
    void readsAWholeNumberAsIsZeroIncluded(String given, int expected) {
        assertThat(converter.convert(given)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "abc", "1.5", "1e3", "5x"})
    void refusesAnythingElseSayingWhatItTakes(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a whole number (0 or more)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "9999999999"})
    void refusesANumberTooLargeForAnInt(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is too large a number (at most 2147483647)");
    }
}
