package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class PortConverterTest {

    private final PortConverter converter = new PortConverter();

    @ParameterizedTest
    @CsvSource({"0, 0", "80, 80", "8765, 8765", "65535, 65535", "' 443 ', 443"})
    void readsAPortNumber(String given, int port) {
        assertThat(converter.convert(given)).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "65536", "123456", "80.5"})
    void refusesAnythingElse(String given) {
        assertThatThrownBy(() -> converter.convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not a port number (0-65535)");
    }
}
