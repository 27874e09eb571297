package io.github.socketdock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    @Test
    void acceptsWhatAStrictDecoderAcceptsAtTheEdges() {
        byte[][] cases = {
            bytes(), "ascii".getBytes(StandardCharsets.UTF_8), "é€😀中".getBytes(StandardCharsets.UTF_8),
            bytes(0xc0, 0x80), bytes(0xc1, 0xbf), bytes(0xc2, 0x80), bytes(0xdf, 0xbf), // overlong 2-byte, smallest, largest
            bytes(0xe0, 0x9f, 0xbf), bytes(0xe0, 0xa0, 0x80), bytes(0xed, 0x9f, 0xbf), bytes(0xed, 0xa0, 0x80), // overlong 3, surrogate
            bytes(0xef, 0xbf, 0xbf), bytes(0xf0, 0x8f, 0xbf, 0xbf), bytes(0xf0, 0x90, 0x80, 0x80),
            bytes(0xf4, 0x8f, 0xbf, 0xbf), bytes(0xf4, 0x90, 0x80, 0x80), bytes(0xf5, 0x80, 0x80, 0x80), bytes(0xff),
            bytes(0x80), bytes(0xc2), bytes(0xe2, 0x82), bytes(0xf0, 0x9f, 0x98), bytes(0x41, 0xe2, 0x82), // truncated
            bytes(0xe2, 0x28, 0xa1), bytes(0xf0, 0x9f, 0x28, 0x80),
        };
        for (byte[] b : cases) {
            assertThat(Utf8.isValid(b, 0, b.length)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(decoderAccepts(b));
        }
    }

    @Test
    void agreesWithAStrictDecoderOnRandomBytes() {
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                // mostly lead and continuation bytes, where the rules are
                b[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(0x100));
            }
            assertThat(Utf8.isValid(b, 0, b.length)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(decoderAccepts(b));
        }
    }

    @Test
    void checksOnlyTheGivenRange() {
        byte[] b = bytes(0xff, 0x41, 0x42, 0xff);
        assertThat(Utf8.isValid(b, 1, 2)).isTrue();
        assertThat(Utf8.isValid(b, 0, 2)).isFalse();
    }
}
