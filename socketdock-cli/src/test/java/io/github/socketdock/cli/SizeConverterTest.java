package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SizeConverterTest {

    private final SizeConverter converter = new SizeConverter();

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "4194304, 4194304", "10B, 10", "1KiB, 1024", "64kib, 65536", "4MiB, 4194304",
            "4 MiB, 4194304", "1GiB, 1073741824", "3GIB, 3221225472", "' 2MiB ', 2097152"})
    void readsBytesAndBinaryUnits(String given, long bytes) {
        assertThat(converter.convert(given)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "4MB", "4M", "1.5MiB", "MiB", "4 TiB", "4KB"})
    void refusesAnythingElseSayingWhatASizeIs(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a size (bytes, or a whole number with KiB, MiB or GiB, e.g. 4MiB)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999GiB", "99999999999999999999"})
    void refusesASizeThatOverflows(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + given + "' is");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "100, 100", "1536, 1536", "1024, 1KiB", "65536, 64KiB", "16777216, 16MiB",
            "1073741824, 1GiB", "3221225472, 3GiB", "1049600, 1025KiB"})
    void formatsInTheLargestExactUnitAndReadsItBack(long bytes, String text) {
        assertThat(SizeConverter.format(bytes)).isEqualTo(text);
        assertThat(converter.convert(text)).isEqualTo(bytes);
    }

    @Test
    void refusesToFormatANegativeSize() {
        assertThatIllegalArgumentException().isThrownBy(() -> SizeConverter.format(-1));
    }
}
