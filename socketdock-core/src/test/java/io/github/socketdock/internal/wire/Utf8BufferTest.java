package io.github.socketdock.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.stream.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8BufferTest {

    /** What the envelope encoding wrote before: JsonWriter over an OutputStreamWriter. */
    private static byte[] viaOutputStreamWriter(String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = new JsonWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            w.setHtmlSafe(false);
            w.beginObject().name("message").value(value).endObject();
        }
        return out.toByteArray();
    }

    private static byte[] viaUtf8Buffer(String value) throws IOException {
        Utf8Buffer out = Utf8Buffer.get();
        try (JsonWriter w = new JsonWriter(out)) {
            w.setHtmlSafe(false);
            w.beginObject().name("message").value(value).endObject();
        }
        return out.toByteArray();
    }

    @Test
    void encodesExactlyAsOutputStreamWriterDid() throws IOException {
        String[] samples = {"", "plain ascii", "é ü ß", "€ 中文 ☃", "emoji 😀 pair", "quote \" backslash \\ nl \n tab \t",
            "\u2028\u2029 separators", "control \u0001\u001f", "lone high \ud83d end", "lone low \ude00 end",
            "high at end \ud83d", "\ud83d\ud83d\ude00 two highs then low", "x".repeat(40_000) + "😀"};
        for (String s : samples) {
            assertThat(viaUtf8Buffer(s)).as(s.length() > 50 ? "long sample" : s).isEqualTo(viaOutputStreamWriter(s));
        }
    }

    @Test
    void randomTextOfEveryCharRangeEncodesAsBefore() throws IOException {
        Random random = new Random(42);
        for (int n = 0; n < 2000; n++) {
            char[] chars = new char[random.nextInt(300)];
            for (int i = 0; i < chars.length; i++) {
                int kind = random.nextInt(5);
                chars[i] = (char) switch (kind) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0xd800 + random.nextInt(0x800); // surrogates, paired or not
                    default -> random.nextInt(0x10000);
                };
            }
            String s = new String(chars);
            assertThat(viaUtf8Buffer(s)).isEqualTo(viaOutputStreamWriter(s));
        }
    }

    @Test
    void charsAndSingleCharWritesSplitAPairCorrectly() throws IOException {
        Utf8Buffer out = Utf8Buffer.get();
        Writer w = out;
        w.write("a");
        w.write('\ud83d');
        w.write(new char[] {'\ude00', 'b'}, 0, 2);
        assertThat(out.toByteArray()).isEqualTo("a😀b".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aThreadKeepsOnlyABoundedBuffer() throws IOException {
        Utf8Buffer out = Utf8Buffer.get();
        out.write("y".repeat(Utf8Buffer.RETAINED * 4));
        assertThat(out.capacity()).as("an ASCII body takes about its own size, not three times it")
                .isBetween(Utf8Buffer.RETAINED * 4, Utf8Buffer.RETAINED * 4 + 4096);
        assertThat(out.toByteArray()).hasSize(Utf8Buffer.RETAINED * 4);
        assertThat(out.capacity()).as("dropped once copied out").isLessThanOrEqualTo(Utf8Buffer.RETAINED);
        Utf8Buffer again = Utf8Buffer.get();
        assertThat(again).isSameAs(out);
        again.write("z");
        assertThat(again.toByteArray()).containsExactly('z');
    }

    @Test
    void base64AfterTextIsTheJdkEncodingAndCallsShareNoState() throws IOException {
        Random random = new Random(5);
        Utf8Buffer out = Utf8Buffer.get();
        StringBuilder expected = new StringBuilder("é:");
        out.write("é:");
        // lengths of every remainder, one after another: a byte held back by one call would show in the next
        for (int n : new int[] {1, 2, 3, 1, 1, 4, 5, 0, 2, Utf8Buffer.CHUNK + 1, Utf8Buffer.CHUNK * 2, 7}) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            out.writeBase64(ByteBuffer.wrap(b).asReadOnlyBuffer());
            out.write('|');
            expected.append(Base64.getEncoder().encodeToString(b)).append('|');
        }
        assertThat(out.toByteArray()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLargeBase64EnvelopeGrowsOnceToExactlyItsSizeAndIsNotKept() {
        byte[] data = new byte[Utf8Buffer.RETAINED * 4 + 1];
        new Random(3).nextBytes(data);
        long base64 = Utf8Buffer.base64Length(data.length);
        assertThat(base64).isEqualTo(Base64.getEncoder().encode(data).length);
        Utf8Buffer out = Utf8Buffer.get();
        out.write("[\"", 0, 2);
        out.room(base64 + 2);
        assertThat(out.capacity()).as("room for exactly what is written").isEqualTo(base64 + 4);
        out.writeBase64(ByteBuffer.allocateDirect(data.length).put(data).flip());
        out.write("\"]", 0, 2);
        assertThat(out.capacity()).as("no growth past the room made").isEqualTo(base64 + 4);
        assertThat(out.toByteArray()).isEqualTo(("[\"" + Base64.getEncoder().encodeToString(data) + "\"]")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(out.capacity()).as("dropped once handed out").isLessThanOrEqualTo(Utf8Buffer.RETAINED);
        assertThat(Utf8Buffer.get().toByteArray()).isEmpty();
    }

    @Test
    void aLoneHighSurrogateBeforeBase64IsAQuestionMark() {
        Utf8Buffer out = Utf8Buffer.get();
        out.write("a\ud83d", 0, 2);
        out.writeBase64(ByteBuffer.wrap(new byte[] {(byte) 0xfb, (byte) 0xff}));
        assertThat(out.toByteArray()).isEqualTo("a?+/8=".getBytes(StandardCharsets.US_ASCII));
    }
}
