package io.github.socketdock.internal.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.internal.backend.HttpBackend;
import io.github.socketdock.internal.relay.ConnectionIds;
import io.github.socketdock.internal.server.ControlRoutes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Units of the internal package that need no server. */
class SmallPartsTest {

    @Test
    void idsAre32LowerCaseHexAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ConnectionIds.next();
            assertThat(id).matches("[0-9a-f]{32}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        assertThat(ConnectionIds.isWellFormed("0123456789abcdef0123456789abcdef")).isTrue();
        assertThat(ConnectionIds.isWellFormed("0123456789ABCDEF0123456789ABCDEF")).isFalse();
        assertThat(ConnectionIds.isWellFormed("0123")).isFalse();
        assertThat(ConnectionIds.isWellFormed(null)).isFalse();
    }

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

    @Test
    void heldAnswersLeaveAQuarterOfThePooledConnectionsForNewRequests() {
        URI m = URI.create("http://127.0.0.1:1/message");
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).build())).isEqualTo(1024);
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).maxConnections(64).build())).isEqualTo(48);
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).maxConnections(1).build())).isEqualTo(1);
        assertThat(HttpBackend.heldBound(HttpBackendOptions.builder(m).maxInflight(10).build())).isEqualTo(10);
    }

    @Test
    void aClientsCloseReasonCannotForgeALogLine() {
        assertThat(LogText.printable("bye\n2026-11-26 INFO forged\r\u2028\u0000ok"))
                .isEqualTo("bye\\u000a2026-11-26 INFO forged\\u000d\\u2028\\u0000ok")
                .doesNotContain("\n");
        assertThat(LogText.printable("plain ✓")).isEqualTo("plain ✓");
    }
}
