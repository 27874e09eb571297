package io.github.socketdock.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static boolean decoderAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Both sides of each rule: overlongs, surrogates D800-DFFF, past U+10FFFF, bad and truncated sequences. */
    private static final byte[][] EDGES = {
        bytes(), "ascii".getBytes(StandardCharsets.UTF_8), "é€😀中".getBytes(StandardCharsets.UTF_8),
        bytes(0xc0, 0x80), bytes(0xc1, 0xbf), bytes(0xc2, 0x80), bytes(0xdf, 0xbf), // overlong 2-byte, smallest, largest
        bytes(0xe0, 0x80, 0x80), bytes(0xe0, 0x9f, 0xbf), bytes(0xe0, 0xa0, 0x80), // overlong 3-byte, smallest
        bytes(0xed, 0x9f, 0xbf), bytes(0xed, 0xa0, 0x80), bytes(0xed, 0xaf, 0xbf), bytes(0xed, 0xb0, 0x80), // D7FF, D800, DBFF, DC00
        bytes(0xed, 0xbf, 0xbf), bytes(0xee, 0x80, 0x80), bytes(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80), // DFFF, E000, a CESU-8 pair
        bytes(0xef, 0xbf, 0xbf), bytes(0xf0, 0x80, 0x80, 0x80), bytes(0xf0, 0x8f, 0xbf, 0xbf), bytes(0xf0, 0x90, 0x80, 0x80),
        bytes(0xf4, 0x8f, 0xbf, 0xbf), bytes(0xf4, 0x90, 0x80, 0x80), bytes(0xf5, 0x80, 0x80, 0x80), // U+10FFFF, past it
        bytes(0xf7, 0xbf, 0xbf, 0xbf), bytes(0xf8, 0x88, 0x80, 0x80, 0x80), bytes(0xfe), bytes(0xff),
        bytes(0x80), bytes(0xbf), bytes(0xc2), bytes(0xe2, 0x82), bytes(0xf0, 0x9f, 0x98), bytes(0x41, 0xe2, 0x82), // truncated
        bytes(0xc2, 0x41), bytes(0xe2, 0x82, 0x41), bytes(0xf0, 0x9f, 0x98, 0x41), // cut short by ASCII
        bytes(0xe2, 0x28, 0xa1), bytes(0xf0, 0x9f, 0x28, 0x80), bytes(0xc2, 0xc2, 0x80), bytes(0xe2, 0x82, 0xac, 0x80),
    };

    /** The same bytes in buffers of every kind, each with its remaining bytes exactly {@code b}. */
    private static List<ByteBuffer> buffers(byte[] b) {
        byte[] padded = new byte[b.length + 4];
        Arrays.fill(padded, (byte) 0xff); // invalid around the range: reading past it would show
        System.arraycopy(b, 0, padded, 2, b.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length + 4);
        direct.put(padded).position(2).limit(2 + b.length);
        return List.of(ByteBuffer.wrap(b), ByteBuffer.wrap(b).asReadOnlyBuffer(),
                ByteBuffer.wrap(padded, 2, b.length), ByteBuffer.wrap(padded, 2, b.length).slice(),
                ByteBuffer.wrap(padded, 2, b.length).slice().asReadOnlyBuffer(),
                direct, direct.slice(), direct.asReadOnlyBuffer());
    }

    /** Asserts that the array check, the buffer check on every kind of buffer, and a strict decoder agree. */
    private static void assertAllAgree(byte[] b) {
        String hex = java.util.HexFormat.of().formatHex(b);
        boolean expected = decoderAccepts(b);
        assertThat(Utf8.isValid(b, 0, b.length)).as(hex).isEqualTo(expected);
        for (ByteBuffer buffer : buffers(b)) {
            int position = buffer.position();
            assertThat(Utf8.isValid(buffer)).as("%s in %s", hex, buffer).isEqualTo(expected);
            assertThat(buffer.position()).isEqualTo(position);
        }
    }

    @Test
    void acceptsWhatAStrictDecoderAcceptsAtTheEdges() {
        for (byte[] b : EDGES) {
            assertThat(Utf8.isValid(b, 0, b.length)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(decoderAccepts(b));
        }
    }

    @Test
    void bufferCheckAgreesWithTheArrayCheckAndAStrictDecoderAtTheEdges() {
        for (byte[] b : EDGES) {
            assertAllAgree(b);
        }
        assertThat(decoderAccepts(bytes(0xed, 0xa0, 0x80))).as("the oracle refuses a surrogate").isFalse();
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xed, 0xa0, 0x80)).asReadOnlyBuffer())).isFalse();
        assertThat(Utf8.isValid(ByteBuffer.allocateDirect(4).put(bytes(0xf0, 0x9f, 0x98, 0x80)).flip())).isTrue();
    }

    @Test
    void bufferCheckAgreesWithTheArrayCheckAndAStrictDecoderOnRandomBytes() {
        Random random = new Random(8);
        for (int n = 0; n < 20_000; n++) {
            assertAllAgree(leadAndContinuationBytes(random));
        }
    }

    @Test
    void bufferCheckAgreesOnLongTextWithAtMostOneByteChanged() {
        Random random = new Random(9);
        int changed = 0;
        for (int n = 0; n < 300; n++) {
            // the verdict can come late in the buffer, past the first chunk of anything
            int[] codePoints = random.ints(random.nextInt(3000), 0, 0x11_0000).filter(cp -> cp < 0xd800 || cp > 0xdfff).toArray();
            byte[] b = new String(codePoints, 0, codePoints.length).getBytes(StandardCharsets.UTF_8);
            if (b.length > 0 && random.nextBoolean()) {
                int at = random.nextInt(b.length);
                byte before = b[at];
                b[at] = (byte) random.nextInt(0x100);
                changed += b[at] != before ? 1 : 0;
            }
            assertAllAgree(b);
        }
        assertThat(changed).as("some inputs were spoiled").isGreaterThan(100);
    }

    /** @return up to 11 bytes, mostly lead and continuation bytes, where the rules are */
    private static byte[] leadAndContinuationBytes(Random random) {
        byte[] b = new byte[random.nextInt(12)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(0x100));
        }
        return b;
    }

    @Test
    void agreesWithAStrictDecoderOnRandomBytes() {
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            byte[] b = leadAndContinuationBytes(random);
            assertThat(Utf8.isValid(b, 0, b.length)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(decoderAccepts(b));
        }
    }

    @Test
    void checksOnlyTheGivenRange() {
        byte[] b = bytes(0xff, 0x41, 0x42, 0xff);
        assertThat(Utf8.isValid(b, 1, 2)).isTrue();
        assertThat(Utf8.isValid(b, 0, 2)).isFalse();
        assertThat(Utf8.isValid(ByteBuffer.wrap(b, 1, 2))).isTrue();
        assertThat(Utf8.isValid(ByteBuffer.wrap(b, 1, 2).asReadOnlyBuffer())).isTrue();
        assertThat(Utf8.isValid(ByteBuffer.wrap(b, 0, 2).asReadOnlyBuffer())).isFalse();
        assertThat(Utf8.isValid(ByteBuffer.wrap(b, 2, 2))).isFalse();
    }
}
