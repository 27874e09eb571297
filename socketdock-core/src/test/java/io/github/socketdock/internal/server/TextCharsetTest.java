package io.github.socketdock.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which {@code /send} bodies become text frames, and in which charset. */
class TextCharsetTest {

    @Test
    void textTypesAreTextFramesWithTheirCharsetAndUtf8ByDefault() {
        assertThat(ControlRoutes.textCharset("text/plain; charset=utf-8")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(ControlRoutes.textCharset("TEXT/plain;charset=\"ISO-8859-1\"")).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(ControlRoutes.textCharset("text/html")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(ControlRoutes.textCharset("text/plain; format=flowed; charset=UTF-16BE"))
                .isEqualTo(StandardCharsets.UTF_16BE);
    }

    @Test
    void otherTypesAndNoTypeAreBinaryFrames() {
        assertThat(ControlRoutes.textCharset(null)).isNull();
        assertThat(ControlRoutes.textCharset("application/didcomm-envelope-enc")).isNull();
        assertThat(ControlRoutes.textCharset("application/json; charset=utf-8")).isNull();
        assertThat(ControlRoutes.textCharset("application/octet-stream")).isNull();
    }

    @Test
    void anUnknownCharsetIsAClearError() {
        assertThatThrownBy(() -> ControlRoutes.textCharset("text/plain; charset=klingon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported charset 'klingon' in Content-Type");
    }
}
