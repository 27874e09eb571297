package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class CountConverterTest {

    private final CountConverter converter = new CountConverter();

    @ParameterizedTest
    @CsvSource({"1, 1", "64, 64", "' 2048 ', 2048", "2147483647, 2147483647", "0, 2147483647"})
    void readsAWholeNumberWithZeroForUnlimited(String given, int expected) {
        assertThat(converter.convert(given)).isEqualTo(expected);
        assertThat(converter.convert("0")).isEqualTo(CountConverter.UNLIMITED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "abc", "1.5", "1e3", "64k"})
    void refusesAnythingElseSayingWhatACountIs(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a count (a whole number; 0 for unlimited)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "9999999999"})
    void refusesACountTooLargeForAnInt(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is too large a count (at most 2147483647; 0 for unlimited)");
    }
}
