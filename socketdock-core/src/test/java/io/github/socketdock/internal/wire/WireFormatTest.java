package io.github.socketdock.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.eclipse.jetty.io.ArrayByteBufferPool;
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
    void aPooledBodyHoldsTheSameBytesAsTheArrayAndGoesBackToItsPool() {
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
        WireFormat.Sink<Envelope> pooled = WireFormat.pooled(pool);
        Connection c = connection(Map.of("host", "relay:8765", "x-label", "<Alice & Bob>"));
        byte[] random = new byte[40_000];
        new java.util.Random(7).nextBytes(random);
        Message[] messages = {Message.text("hi \"there\" ✓"), Message.text("x".repeat(100_000)),
            Message.binary(new byte[] {(byte) 0xfb, (byte) 0xff}), Message.binary(random),
            Message.binary("ok ✓".getBytes(StandardCharsets.UTF_8))};
        List<Envelope> bodies = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (Message m : messages) {
            bodies.add(WireFormat.message(c, m, pooled));
            expected.add(WireFormat.message(c, m));
        }
        bodies.add(WireFormat.connect(c, pooled));
        expected.add(WireFormat.connect(c));
        bodies.add(WireFormat.disconnect(c, new CloseStatus(1001, "going ✓"), pooled));
        expected.add(WireFormat.disconnect(c, new CloseStatus(1001, "going ✓")));

        for (int i = 0; i < bodies.size(); i++) {
            Envelope body = bodies.get(i);
            assertThat(body.length()).isEqualTo(expected.get(i).length);
            assertThat(body.toByteArray()).as("body %d", i).isEqualTo(expected.get(i));
            ByteBuffer view = body.view();
            view.position(view.limit()); // one reader's view moves; the next one starts at the beginning
            assertThat(body.view().remaining()).isEqualTo(expected.get(i).length);
            assertThat(body.view().isReadOnly()).isTrue();
        }
        assertThat(pool.getLeaks()).hasSize(bodies.size());
        bodies.get(0).retain(); // a try under way
        bodies.forEach(Envelope::release);
        assertThat(pool.getLeaks()).hasSize(1);
        bodies.get(0).release();
        assertThat(pool.getLeaks()).isEmpty();
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

    /**
     * The oracle for a binary message's envelope, built the way the relay built it before it wrote
     * base64 straight into the body: a strict decode, else {@code encodeToString}, in a gson tree
     * serialized compact with no HTML escaping.
     */
    private static byte[] envelopeAsBefore(byte[] bytes) {
        JsonObject meta = new JsonObject();
        meta.addProperty("send", "http://10.0.0.5:8765/socket/" + ID + "/send");
        meta.addProperty("disconnect", "http://10.0.0.5:8765/socket/" + ID + "/disconnect");
        meta.addProperty("connection_id", ID);
        meta.addProperty("frame", "binary");
        JsonObject envelope = new JsonObject();
        envelope.add("meta", meta);
        try {
            envelope.addProperty("message", StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notUtf8) {
            envelope.addProperty("message", Base64.getEncoder().encodeToString(bytes));
            envelope.addProperty("encoding", "base64");
        }
        return new GsonBuilder().disableHtmlEscaping().create().toJson(envelope).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The same bytes in every kind of buffer the envelope must read without changing it. */
    private static Map<String, Function<byte[], ByteBuffer>> bufferKinds() {
        Map<String, Function<byte[], ByteBuffer>> kinds = new LinkedHashMap<>();
        kinds.put("heap", ByteBuffer::wrap);
        kinds.put("read-only heap", b -> ByteBuffer.wrap(b).asReadOnlyBuffer());
        kinds.put("direct", b -> ByteBuffer.allocateDirect(b.length).put(b).flip());
        kinds.put("read-only direct", b -> ByteBuffer.allocateDirect(b.length).put(b).flip().asReadOnlyBuffer());
        kinds.put("slice with an array offset", b -> {
            byte[] padded = new byte[b.length + 12];
            System.arraycopy(b, 0, padded, 5, b.length);
            return ByteBuffer.wrap(padded, 5, b.length).slice();
        });
        kinds.put("position and limit inside the array", b -> {
            byte[] padded = new byte[b.length + 12];
            System.arraycopy(b, 0, padded, 7, b.length);
            return ByteBuffer.wrap(padded, 7, b.length);
        });
        kinds.put("read-only slice of a direct buffer at a position", b -> {
            ByteBuffer direct = ByteBuffer.allocateDirect(b.length + 12);
            direct.position(3);
            direct.put(b);
            return direct.position(3).limit(3 + b.length).slice().asReadOnlyBuffer();
        });
        return kinds;
    }

    @Test
    void base64EnvelopeIsByteForByteTheOldOneAtEveryPadding() {
        Connection c = connection(Map.of());
        byte[][] cases = {{}, {(byte) 0xff}, {(byte) 0xfb, (byte) 0xff}, {(byte) 0xff, 0, 1},
            {(byte) 0xff, (byte) 0xfe, (byte) 0xfd, (byte) 0xfc}, {(byte) 0xff, 0, 1, 2, 3}};
        for (byte[] b : cases) {
            assertThat(new String(WireFormat.message(c, Message.binary(b)), StandardCharsets.UTF_8))
                    .as("%d bytes", b.length)
                    .isEqualTo(new String(envelopeAsBefore(b), StandardCharsets.UTF_8));
        }
        assertThat(new String(WireFormat.message(c, Message.binary(new byte[] {(byte) 0xfb, (byte) 0xff})),
                StandardCharsets.UTF_8)).endsWith(",\"message\":\"+/8=\",\"encoding\":\"base64\"}");
    }

    @Test
    void randomBinaryOfManySizesIsByteForByteTheOldEnvelope() {
        Connection c = connection(Map.of());
        Random random = new Random(11);
        int chunk = Utf8Buffer.CHUNK;
        int retained = Utf8Buffer.RETAINED;
        int[] larger = {chunk - 1, chunk, chunk + 1, chunk + 2, 2 * chunk + 1, 6093, 6094, 8124,
            retained - 1, retained, retained + 1, retained + 2, 3 * retained + 7, 1 << 20, (1 << 20) + 1};
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (int n = 0; n <= 100; n++) {
            sizes.add(n);
        }
        for (int n : larger) {
            sizes.add(n);
        }
        for (int n : sizes) {
            byte[] b = randomBytes(random, n);
            byte[] body = WireFormat.message(c, Message.binary(b));
            assertThat(body).as("%d random bytes", n).isEqualTo(envelopeAsBefore(b));
            if (n >= 16) {
                assertThat(new String(body, StandardCharsets.ISO_8859_1)).as("%d random bytes go as base64", n)
                        .endsWith("\"encoding\":\"base64\"}");
            }
        }
    }

    @Test
    void everyKindOfBufferGivesTheSameEnvelopeAndKeepsItsPosition() {
        Connection c = connection(Map.of());
        Random random = new Random(13);
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 100, Utf8Buffer.CHUNK + 2, Utf8Buffer.RETAINED + 1, 70_001}) {
            byte[] b = randomBytes(random, n);
            if (n > 0) {
                b[n - 1] = (byte) 0xff; // not UTF-8 however it starts
            }
            byte[] expected = envelopeAsBefore(b);
            bufferKinds().forEach((kind, make) -> {
                ByteBuffer buffer = make.apply(b);
                int position = buffer.position();
                assertThat(WireFormat.binaryMessage(c, buffer, WireFormat.ARRAY)).as("%s of %d bytes", kind, n).isEqualTo(expected);
                assertThat(buffer.position()).as(kind).isEqualTo(position);
                assertThat(buffer.remaining()).as(kind).isEqualTo(n);
            });
        }
    }

    @Test
    void binaryThatIsUtf8GoesAsTextMarkedBinaryFromEveryKindOfBuffer() {
        Connection c = connection(Map.of());
        byte[] utf8 = "ok ✓ 😀 \"quoted\" back\\slash <a href='x'>&</a> \u2028 \u0001".getBytes(StandardCharsets.UTF_8);
        byte[] expected = envelopeAsBefore(utf8);
        assertThat(new String(expected, StandardCharsets.UTF_8)).as("the oracle sends it as text")
                .contains("\"frame\":\"binary\"").doesNotContain("encoding");
        assertThat(WireFormat.message(c, Message.binary(utf8))).isEqualTo(expected);
        bufferKinds().forEach((kind, make) -> {
            ByteBuffer buffer = make.apply(utf8);
            int position = buffer.position();
            assertThat(WireFormat.binaryMessage(c, buffer, WireFormat.ARRAY)).as(kind).isEqualTo(expected);
            assertThat(buffer.position()).as(kind).isEqualTo(position);
        });
    }
}
