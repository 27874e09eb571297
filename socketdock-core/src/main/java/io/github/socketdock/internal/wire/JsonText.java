package io.github.socketdock.internal.wire;

import java.nio.ByteBuffer;

/**
 * A message's text as a JSON string literal in UTF-8, byte for byte what gson's {@code JsonWriter}
 * (no HTML escaping) written through {@link Utf8Buffer} makes of it, but measured before it is
 * written, and written a piece at a time: {@link #length} is the exact size of a body before
 * anything is built, and a {@link Cursor} fills chunks of a streamed body.
 *
 * <p>The escapes: {@code "} and {@code \} with a backslash; tab, backspace, newline, carriage
 * return and form feed as {@code \t \b \n \r \f}; the other controls below U+0020, U+2028 and
 * U+2029 as {@code \}{@code uXXXX} (lower-case hex). Every other character as its UTF-8 bytes; a
 * lone surrogate as {@code ?}. An escape can make a byte of text six bytes of JSON, which is why
 * a body's size is measured and never guessed.
 *
 * <p>The text is either a {@link String} or bytes already checked to be UTF-8 (a binary message
 * sent as text), read straight from its buffer: valid UTF-8 has no surrogates, and its multi-byte
 * sequences are copied as they are, but for U+2028 and U+2029.
 */
final class JsonText {

    /** The most bytes one character (or surrogate pair) becomes: a six-byte escape. */
    static final int MAX_PER_CHAR = 6;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private JsonText() {
    }

    /** @return the bytes of {@code s} as a JSON string literal, quotes included */
    static long length(String s) {
        long n = 2;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += ascii(c);
            } else if (c < 0x800) {
                n += 2;
            } else if (c == '\u2028' || c == '\u2029') {
                n += 6;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** @return the bytes of the UTF-8 text {@code utf8}'s remaining bytes as a JSON string literal, quotes included */
    static long length(ByteBuffer utf8) {
        long n = 2;
        int end = utf8.limit();
        for (int i = utf8.position(); i < end; i++) {
            int b = utf8.get(i) & 0xff;
            if (b < 0x80) {
                n += ascii((char) b);
            } else if (b == 0xe2 && lineOrParagraphSeparator(utf8, i, end)) {
                n += 6;
                i += 2;
            } else {
                n += 1;
            }
        }
        return n;
    }

    /** @return how many bytes an ASCII character takes in a JSON string */
    private static int ascii(char c) {
        if (c == '"' || c == '\\' || c == '\t' || c == '\b' || c == '\n' || c == '\r' || c == '\f') {
            return 2;
        }
        return c < 0x20 ? 6 : 1;
    }

    /** @return whether the bytes at {@code i} are E2 80 A8 or E2 80 A9 (U+2028, U+2029) */
    private static boolean lineOrParagraphSeparator(ByteBuffer utf8, int i, int end) {
        return i + 2 < end && (utf8.get(i + 1) & 0xff) == 0x80
                && ((utf8.get(i + 2) & 0xff) == 0xa8 || (utf8.get(i + 2) & 0xff) == 0xa9);
    }

    /** @return a cursor that writes {@code s} as a JSON string literal, from its opening quote */
    static Cursor of(String s) {
        return new StringCursor(s);
    }

    /** @return a cursor that writes the UTF-8 text {@code utf8}'s remaining bytes as a JSON string literal */
    static Cursor of(ByteBuffer utf8) {
        return new Utf8Cursor(utf8.duplicate());
    }

    /** @return the bytes of a JSON string literal of the padded standard base64 of {@code n} bytes, quotes included */
    static long base64Length(long n) {
        return 2 + Utf8Buffer.base64Length(n);
    }

    /**
     * @return a cursor that writes the padded standard base64 of {@code data}'s remaining bytes as a
     *     JSON string literal (its alphabet needs no escape); {@code data}'s position is not changed
     */
    static Cursor ofBase64(ByteBuffer data) {
        return new Base64Cursor(data.duplicate());
    }

    /** Writes a JSON value a piece at a time. */
    interface Cursor {
        /**
         * Writes the next bytes into {@code dst[off..off+len)}.
         *
         * @param len room, at least {@link #MAX_PER_CHAR}
         * @return the bytes written (at least one), or -1 once the whole value was written
         */
        int fill(byte[] dst, int off, int len);
    }

    /** The state both cursors share: the quotes around the text. */
    private abstract static class Quoted implements Cursor {
        /** 0: the opening quote is next; 1: the text; 2: the closing quote is next; 3: done. */
        private int part;

        @Override
        public final int fill(byte[] dst, int off, int len) {
            int at = off;
            int end = off + len;
            if (part == 0) {
                dst[at++] = '"';
                part = 1;
            }
            if (part == 1) {
                at = text(dst, at, end);
                if (done()) {
                    part = 2;
                }
            }
            if (part == 2 && at < end) {
                dst[at++] = '"';
                part = 3;
            }
            return at == off ? -1 : at - off;
        }

        /** Writes text while at least {@link #MAX_PER_CHAR} bytes of room are left; @return the new position */
        abstract int text(byte[] dst, int at, int end);

        /** @return whether all the text was written */
        abstract boolean done();

        /** Writes an ASCII character, escaped as gson does; @return the new position */
        static int putAscii(byte[] dst, int at, char c) {
            char short1 = switch (c) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\b' -> 'b';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\f' -> 'f';
                default -> 0;
            };
            if (short1 != 0) {
                dst[at++] = '\\';
                dst[at++] = (byte) short1;
                return at;
            }
            if (c < 0x20) {
                return putUnicodeEscape(dst, at, c);
            }
            dst[at++] = (byte) c;
            return at;
        }

        /** Writes {@code \}{@code uXXXX} in lower-case hex; @return the new position */
        static int putUnicodeEscape(byte[] dst, int at, int c) {
            dst[at++] = '\\';
            dst[at++] = 'u';
            dst[at++] = HEX[(c >> 12) & 0xf];
            dst[at++] = HEX[(c >> 8) & 0xf];
            dst[at++] = HEX[(c >> 4) & 0xf];
            dst[at++] = HEX[c & 0xf];
            return at;
        }
    }

    private static final class StringCursor extends Quoted {
        private final String s;
        private int i;

        StringCursor(String s) {
            this.s = s;
        }

        @Override
        int text(byte[] dst, int at, int end) {
            int len = s.length();
            while (i < len && end - at >= MAX_PER_CHAR) {
                char c = s.charAt(i++);
                if (c < 0x80) {
                    at = putAscii(dst, at, c);
                } else if (c == '\u2028' || c == '\u2029') {
                    at = putUnicodeEscape(dst, at, c);
                } else if (Character.isHighSurrogate(c) && i < len && Character.isLowSurrogate(s.charAt(i))) {
                    at = Utf8Buffer.encode(dst, at, Character.toCodePoint(c, s.charAt(i++)));
                } else if (Character.isSurrogate(c)) {
                    dst[at++] = '?';
                } else {
                    at = Utf8Buffer.encode(dst, at, c);
                }
            }
            return at;
        }

        @Override
        boolean done() {
            return i >= s.length();
        }
    }

    private static final class Utf8Cursor extends Quoted {
        private final ByteBuffer utf8;
        private int i;
        private final int end;

        Utf8Cursor(ByteBuffer utf8) {
            this.utf8 = utf8;
            this.i = utf8.position();
            this.end = utf8.limit();
        }

        @Override
        int text(byte[] dst, int at, int room) {
            while (i < end && room - at >= MAX_PER_CHAR) {
                int b = utf8.get(i) & 0xff;
                if (b < 0x80) {
                    at = putAscii(dst, at, (char) b);
                    i++;
                } else if (b == 0xe2 && lineOrParagraphSeparator(utf8, i, end)) {
                    at = putUnicodeEscape(dst, at, (utf8.get(i + 2) & 0xff) == 0xa8 ? 0x2028 : 0x2029);
                    i += 3;
                } else {
                    dst[at++] = (byte) b;
                    i++;
                }
            }
            return at;
        }

        @Override
        boolean done() {
            return i >= end;
        }
    }

    private static final class Base64Cursor extends Quoted {
        private final ByteBuffer data;

        Base64Cursor(ByteBuffer data) {
            this.data = data;
        }

        @Override
        int text(byte[] dst, int at, int end) {
            int groups = (end - at) / 4;
            int n = Math.min(data.remaining(), groups * 3);
            if (n <= 0) {
                return at;
            }
            ByteBuffer slice = data.slice(data.position(), n);
            data.position(data.position() + n);
            ByteBuffer encoded = java.util.Base64.getEncoder().encode(slice);
            int len = encoded.remaining();
            encoded.get(dst, at, len);
            return at + len;
        }

        @Override
        boolean done() {
            return !data.hasRemaining();
        }
    }
}
