package io.github.socketdock.internal;

import java.io.Writer;
import java.util.Arrays;

/**
 * A {@link Writer} that encodes UTF-8 straight into a growable byte array, so a JSON body is
 * written once, with no {@code OutputStreamWriter} (whose encoder holds an 8 KiB buffer per
 * instance) and no intermediate stream copy. One per thread ({@link #get()}), reused: a buffer
 * that grew past {@link #RETAINED} for a large message is dropped once its bytes are copied out,
 * so what a thread keeps is bounded. A lone surrogate is written as {@code ?}, as {@code OutputStreamWriter} does.
 */
final class Utf8Buffer extends Writer {

    /** Largest buffer a thread keeps between uses. */
    static final int RETAINED = 16 * 1024;

    private static final ThreadLocal<Utf8Buffer> PER_THREAD = ThreadLocal.withInitial(Utf8Buffer::new);

    private byte[] bytes = new byte[2048];
    private int count;
    /** A high surrogate written last, waiting for its low half; 0 if none. */
    private char high;

    /** @return this thread's buffer, emptied */
    static Utf8Buffer get() {
        Utf8Buffer b = PER_THREAD.get();
        b.count = 0;
        b.high = 0;
        if (b.bytes.length > RETAINED) {
            b.bytes = new byte[2048];
        }
        return b;
    }

    /** Makes room for {@code n} more bytes. */
    private void room(int n) {
        long needed = (long) count + n;
        if (needed > bytes.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("an envelope over 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(bytes.length * 2L, needed)));
        }
    }

    @Override
    public void write(int c) {
        room(4);
        put((char) c);
    }

    @Override
    public void write(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            room(4);
            put(chars[i]);
        }
    }

    @Override
    public void write(String s, int off, int len) {
        // room for the ASCII run only: a large base64 or ASCII body takes its own size, not three times
        // it; a character past ASCII makes its own room below
        room(len);
        int i = off;
        int end = off + len;
        byte[] b = bytes;
        int n = count;
        if (high == 0) {
            // the common case: ASCII, one byte a character
            while (i < end) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                b[n++] = (byte) c;
                i++;
            }
        }
        count = n;
        for (; i < end; i++) {
            room(4);
            put(s.charAt(i));
        }
    }

    /** Encodes one char; room was made for it. */
    private void put(char c) {
        byte[] b = bytes;
        if (high != 0) {
            char h = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(h, c);
                b[count++] = (byte) (0xf0 | (cp >> 18));
                b[count++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[count++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[count++] = (byte) (0x80 | (cp & 0x3f));
                return;
            }
            b[count++] = '?';
        }
        if (c < 0x80) {
            b[count++] = (byte) c;
        } else if (c < 0x800) {
            b[count++] = (byte) (0xc0 | (c >> 6));
            b[count++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            b[count++] = '?';
        } else {
            b[count++] = (byte) (0xe0 | (c >> 12));
            b[count++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            b[count++] = (byte) (0x80 | (c & 0x3f));
        }
    }

    /** @return the bytes this buffer holds on to now */
    int capacity() {
        return bytes.length;
    }

    /** @return the bytes written, in an array of their exact size */
    byte[] toByteArray() {
        if (high != 0) {
            high = 0;
            room(1);
            bytes[count++] = '?';
        }
        byte[] copy = Arrays.copyOf(bytes, count);
        if (bytes.length > RETAINED) {
            // a large message's buffer goes now, not at this thread's next use (which may never come)
            bytes = new byte[2048];
        }
        return copy;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
