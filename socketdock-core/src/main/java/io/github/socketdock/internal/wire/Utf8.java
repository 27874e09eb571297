package io.github.socketdock.internal.wire;

import java.nio.ByteBuffer;

/** Checks UTF-8 without decoding it: the same bytes a strict {@code CharsetDecoder} accepts. */
public final class Utf8 {

    private Utf8() {
    }

    /** @return whether {@code b[off..off+len)} is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF) */
    public static boolean isValid(byte[] b, int off, int len) {
        return isValid(b, null, off, off + len);
    }

    /**
     * @return whether the buffer's remaining bytes are well-formed UTF-8, as {@link #isValid(byte[], int, int)};
     *         read with absolute gets, so read-only and direct buffers work and the position is not changed
     */
    public static boolean isValid(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            return isValid(buffer.array(), null, base + buffer.position(), base + buffer.limit());
        }
        return isValid(null, buffer, buffer.position(), buffer.limit());
    }

    /** The one check, over {@code array[from..end)} or, when {@code array} is null, {@code buffer}'s indexes {@code [from..end)}. */
    private static boolean isValid(byte[] array, ByteBuffer buffer, int from, int end) {
        Stream check = new Stream();
        for (int i = from; i < end; i++) {
            if (!check.next(at(array, buffer, i))) {
                return false;
            }
        }
        return check.complete();
    }

    /** @return the unsigned byte at {@code i}: the index accessor that lets one check serve arrays and buffers */
    private static int at(byte[] array, ByteBuffer buffer, int i) {
        return (array != null ? array[i] : buffer.get(i)) & 0xff;
    }

    /**
     * Checks UTF-8 that arrives in pieces, such as a text message's frames: it accepts the bytes
     * {@link #isValid(byte[], int, int)} accepts, with a character allowed to span pieces, and
     * says no at the first byte that cannot be part of well-formed UTF-8, so a bad message is
     * refused before the rest of it is read. One per message under way; not thread-safe.
     */
    public static final class Stream {
        /** Continuation bytes the character under way still needs. */
        private int need;
        /** The range its next continuation byte must lie in (narrower after E0, ED, F0, F4). */
        private int lo = 0x80;
        private int hi = 0xbf;

        /** @return whether {@code b[off..off+len)} continues well-formed UTF-8 */
        public boolean accept(byte[] b, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                if (!next(b[i] & 0xff)) {
                    return false;
                }
            }
            return true;
        }

        /** @return whether the unsigned byte {@code c} continues well-formed UTF-8 */
        boolean next(int c) {
            if (need > 0) {
                if (c < lo || c > hi) {
                    return false;
                }
                lo = 0x80;
                hi = 0xbf;
                need--;
                return true;
            }
            if (c < 0x80) {
                return true;
            }
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
            return true;
        }

        /** @return whether the bytes so far end where a character ends */
        public boolean complete() {
            return need == 0;
        }

        /** Forgets the bytes so far, for the next message. */
        public void reset() {
            need = 0;
            lo = 0x80;
            hi = 0xbf;
        }
    }
}
