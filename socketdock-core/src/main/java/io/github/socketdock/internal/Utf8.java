package io.github.socketdock.internal;

import java.nio.ByteBuffer;

/** Checks UTF-8 without decoding it: the same bytes a strict {@code CharsetDecoder} accepts. */
final class Utf8 {

    private Utf8() {
    }

    /** @return whether {@code b[off..off+len)} is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF) */
    static boolean isValid(byte[] b, int off, int len) {
        return isValid(b, null, off, off + len);
    }

    /**
     * @return whether the buffer's remaining bytes are well-formed UTF-8, as {@link #isValid(byte[], int, int)};
     *         read with absolute gets, so read-only and direct buffers work and the position is not changed
     */
    static boolean isValid(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            return isValid(buffer.array(), null, base + buffer.position(), base + buffer.limit());
        }
        return isValid(null, buffer, buffer.position(), buffer.limit());
    }

    /** The one check, over {@code array[from..end)} or, when {@code array} is null, {@code buffer}'s indexes {@code [from..end)}. */
    private static boolean isValid(byte[] array, ByteBuffer buffer, int from, int end) {
        int i = from;
        while (i < end) {
            int c = at(array, buffer, i);
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                if (c == 0xe0) {
                    lo = 0xa0;
                } else if (c == 0xed) {
                    hi = 0x9f;
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                if (c == 0xf0) {
                    lo = 0x90;
                } else if (c == 0xf4) {
                    hi = 0x8f;
                }
            } else {
                return false;
            }
            if (i + need >= end) {
                return false;
            }
            int second = at(array, buffer, i + 1);
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                if ((at(array, buffer, i + k) & 0xc0) != 0x80) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    /** @return the unsigned byte at {@code i}: the index accessor that lets one check serve arrays and buffers */
    private static int at(byte[] array, ByteBuffer buffer, int i) {
        return (array != null ? array[i] : buffer.get(i)) & 0xff;
    }
}
