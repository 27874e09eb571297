package io.github.socketdock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.gson.JsonParser;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final URI ENDPOINT = URI.create("http://10.0.0.5:8765");

    private static Connection connection(Map<String, String> headers) {
        Connection c = mock(Connection.class);
        when(c.id()).thenReturn(ID);
        when(c.sendUri()).thenReturn(WireFormat.sendUri(ENDPOINT, ID));
        when(c.disconnectUri()).thenReturn(WireFormat.disconnectUri(ENDPOINT, ID));
        when(c.headers()).thenReturn(headers);
        return c;
    }

    private static void assertJson(byte[] actual, String expected) {
        assertThat(JsonParser.parseString(new String(actual, StandardCharsets.UTF_8)))
                .isEqualTo(JsonParser.parseString(expected));
    }

    @Test
    void callbackUrlsAreBuiltOnTheEndpoint() {
        assertThat(WireFormat.sendUri(ENDPOINT, ID)).hasToString("http://10.0.0.5:8765/socket/" + ID + "/send");
        assertThat(WireFormat.disconnectUri(URI.create("https://relay.example/base"), ID))
                .hasToString("https://relay.example/base/socket/" + ID + "/disconnect");
    }

    @Test
    void connectEnvelopeMatchesTheOriginal() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "relay:8765");
        headers.put("x-label", "<Alice & Bob>");
        assertJson(WireFormat.connect(connection(headers)), "{\"meta\":{"
                + "\"send\":\"http://10.0.0.5:8765/socket/" + ID + "/send\","
                + "\"disconnect\":\"http://10.0.0.5:8765/socket/" + ID + "/disconnect\","
                + "\"headers\":{\"host\":\"relay:8765\",\"x-label\":\"<Alice & Bob>\"},"
                + "\"connection_id\":\"" + ID + "\"}}");
    }

    @Test
    void textMessageEnvelopeHasNoFrameOrEncoding() {
        assertJson(WireFormat.message(connection(Map.of()), Message.text("hi \"there\"")), "{\"meta\":{"
                + "\"send\":\"http://10.0.0.5:8765/socket/" + ID + "/send\","
                + "\"disconnect\":\"http://10.0.0.5:8765/socket/" + ID + "/disconnect\","
                + "\"connection_id\":\"" + ID + "\"},\"message\":\"hi \\\"there\\\"\"}");
    }

    @Test
    void binaryUtf8IsAStringMarkedBinary() {
        byte[] body = WireFormat.message(connection(Map.of()), Message.binary("ok ✓".getBytes(StandardCharsets.UTF_8)));
        var json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(json.getAsJsonObject("meta").get("frame").getAsString()).isEqualTo("binary");
        assertThat(json.get("message").getAsString()).isEqualTo("ok ✓");
        assertThat(json.has("encoding")).isFalse();
    }

    @Test
    void binaryThatIsNotUtf8IsPaddedStandardBase64() {
        byte[] body = WireFormat.message(connection(Map.of()), Message.binary(new byte[] {(byte) 0xfb, (byte) 0xff}));
        var json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(json.get("message").getAsString()).isEqualTo("+/8=");
        assertThat(json.get("encoding").getAsString()).isEqualTo("base64");
    }

    @Test
    void nothingIsHtmlEscaped() {
        String raw = new String(WireFormat.message(connection(Map.of()), Message.text("<a href='x'>&</a>=")),
                StandardCharsets.UTF_8);
        assertThat(raw).contains("<a href='x'>&</a>=");
    }

    @Test
    void disconnectEnvelopeCarriesCodeAndReason() {
        assertJson(WireFormat.disconnect(connection(Map.of()), new CloseStatus(1001, "going")),
                "{\"connection_id\":\"" + ID + "\",\"code\":1001,\"reason\":\"going\"}");
    }

    @Test
    void disconnectRequestDefaultsTo1000AndReadsCodeAndReason() {
        assertThat(WireFormat.disconnectRequest(new byte[0])).isEqualTo(new CloseStatus(1000, ""));
        assertThat(WireFormat.disconnectRequest(" {} ".getBytes(StandardCharsets.UTF_8))).isEqualTo(new CloseStatus(1000, ""));
        assertThat(WireFormat.disconnectRequest("{\"code\":4000,\"reason\":\"bye\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new CloseStatus(4000, "bye"));
    }

    @Test
    void disconnectRequestRejectsBadInputWithAReason() {
        assertThatThrownBy(() -> WireFormat.disconnectRequest("{\"code\":1005}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("1005");
        assertThatThrownBy(() -> WireFormat.disconnectRequest("{\"code\":1000.5}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WireFormat.disconnectRequest("{".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> WireFormat.disconnectRequest(("{\"reason\":\"" + "x".repeat(124) + "\"}")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("123 bytes");
    }

    @Test
    void utf8OrNullTellsValidFromInvalid() {
        assertThat(WireFormat.utf8OrNull(ByteBuffer.wrap("ü".getBytes(StandardCharsets.UTF_8)))).isEqualTo("ü");
        assertThat(WireFormat.utf8OrNull(ByteBuffer.wrap(new byte[] {(byte) 0xc3}))).isNull();
        assertThat(WireFormat.utf8OrNull(ByteBuffer.wrap(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))).isNull();
    }
}
