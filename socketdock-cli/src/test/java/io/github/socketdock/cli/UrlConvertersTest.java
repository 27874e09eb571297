package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** {@link HttpUrlConverter} and {@link HostAndPortConverter}. */
class UrlConvertersTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3000/message", "https://mediator.example.org/m?x=1",
            "HTTP://m/x", "http://[::1]:3000/message"})
    void httpUrlAcceptsAbsoluteHttpAndHttps(String given) {
        assertThat(new HttpUrlConverter().convert(given)).isEqualTo(URI.create(given));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mediator:3000/message", "/message", "ftp://m/x", "ws://m/x", "http://", "http:/x",
            "http://bad host/x", "file:///etc/passwd"})
    void httpUrlRefusesAnythingElse(String given) {
        assertThatThrownBy(() -> new HttpUrlConverter().convert(given)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not an absolute http:// or https:// URL");
    }

    @ParameterizedTest
    @CsvSource({"dock.example.org:8765, http://dock.example.org:8765", "10.0.0.5:80, http://10.0.0.5:80",
            "[::1]:8765, http://[::1]:8765", "' h:1 ', http://h:1"})
    void hostAndPortMeansAnHttpUrl(String given, URI expected) {
        assertThat(new HostAndPortConverter().convert(given)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dock.example.org", ":8765", "h:", "h:abc", "h:0", "h:65536", "http://h:1",
            "h:1/path", "::1:8765", "bad host:1"})
    void hostAndPortRefusesAnythingElse(String given) {
        assertThatThrownBy(() -> new HostAndPortConverter().convert(given))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + given + "' is not host:port (e.g. socketdock.example.com:8765)");
    }
}
