package io.github.socketdock.harness.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Random sizes, bytes and text, valid and invalid UTF-8, drawn from the {@link Random} handed in. */
final class RandomData {

    private RandomData() {
    }

    /** @return a message size: mostly small, sometimes kilobytes, rarely up to the maximum message */
    static int size(Random rnd) {
        int k = rnd.nextInt(100);
        return k < 70 ? rnd.nextInt(257) : k < 95 ? 256 + rnd.nextInt(8 * 1024)
                : 8 * 1024 + rnd.nextInt(FuzzLimits.MAX_MESSAGE - 8 * 1024);
    }

    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Random valid text: ASCII, controls, quotes, 2-, 3- and 4-byte characters. */
    static String text(Random rnd, int maxChars) {
        int n = rnd.nextInt(maxChars + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(20);
            int cp = k < 9 ? 0x20 + rnd.nextInt(0x5F)
                    : k < 10 ? rnd.nextInt(0x20)
                    : k < 11 ? "\"\\<>&'\u2028\u2029".charAt(rnd.nextInt(8))
                    : k < 14 ? 0x80 + rnd.nextInt(0x780)
                    : k < 17 ? 0x800 + rnd.nextInt(0xD800 - 0x800)
                    : k < 18 ? 0xE000 + rnd.nextInt(0x2000)
                    : 0x10000 + rnd.nextInt(0x10FFFF - 0x10000);
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** @return {@code valid} in UTF-8 with one invalid sequence inserted, or cut off mid-character at its end */
    static byte[] invalidUtf8(Random rnd, String valid) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        byte[] v = valid.getBytes(StandardCharsets.UTF_8);
        byte[] b = bad[rnd.nextInt(bad.length)];
        if (rnd.nextInt(5) == 0) {
            return Bytes.concat(v, new byte[] {(byte) 0xE2, (byte) 0x82});
        }
        // insert at a character boundary, so the rest stays valid and only the inserted bytes are bad
        String prefix = valid.substring(0, valid.offsetByCodePoints(0,
                rnd.nextInt(valid.codePointCount(0, valid.length()) + 1)));
        int at = prefix.getBytes(StandardCharsets.UTF_8).length;
        return Bytes.concat(Arrays.copyOf(v, at), b, Arrays.copyOfRange(v, at, v.length));
    }

    /** @return {@code n} characters drawn from {@code alphabet} */
    static String token(Random rnd, int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
