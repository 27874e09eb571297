package io.github.socketdock.internal.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A {@link Writer} that encodes UTF-8 straight into a growable byte array, so a JSON body is
 * written once, with no {@code OutputStreamWriter} (whose encoder holds an 8 KiB buffer per
 * instance) and no intermediate stream copy. One per thread ({@link #get()}), reused: a buffer
 * that grew past {@link #RETAINED} for a large message is dropped once its bytes are copied out,
 * so what a thread keeps is bounded. A lone surrogate is written as {@code ?}, as {@code OutputStreamWriter} does.
 * Raw bytes can be appended as base64 ({@link #writeBase64}), with no copy of them as text first;
 * a thread that does so keeps about 11 KiB more for it (the JDK encoding stream's array and a chunk).
 */
final class Utf8Buffer extends Writer {

    /** Largest buffer a thread keeps between uses. */
    static final int RETAINED = 16 * 1024;
    /** Bytes of base64 input copied at a time through a thread's scratch array: whole 3-byte groups. */
    static final int CHUNK = 3 * 1024;

    private static final ThreadLocal<Utf8Buffer> PER_THREAD = ThreadLocal.withInitial(Utf8Buffer::new);

    /** A thread's buffer to begin with, and again after a large message. */
    private static final int INITIAL = 2048;

    private byte[] bytes = new byte[INITIAL];
    private int count;
    /** A high surrogate written last, waiting for its low half; 0 if none. */
    private char high;
    /** This thread's base64 encoding, made the first time it sends binary that is not UTF-8. */
    private Base64Bytes base64;

    /** @return this thread's buffer, emptied */
    static Utf8Buffer get() {
        Utf8Buffer b = PER_THREAD.get();
        b.count = 0;
        b.high = 0;
        b.dropLargeArray();
        return b;
    }

    /**
     * Makes room for {@code n} more bytes: when the array must grow, to at least twice its size and
     * at least exactly what is needed. Saying the whole size of a large write up front (its tail
     * included) grows the array once, to that size, and {@link #toByteArray()} then hands it out uncopied.
     */
    void room(long n) {
        long needed = count + n;
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
                count = encode(b, count, Character.toCodePoint(h, c));
                return;
            }
            b[count++] = '?';
        }
        if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            b[count++] = '?';
        } else {
            count = encode(b, count, c);
        }
    }

    /**
     * Writes the UTF-8 bytes of a code point that is not a surrogate (one to four bytes) into
     * {@code b} at {@code at}, which has room for them; @return the position after them.
     */
    static int encode(byte[] b, int at, int cp) {
        if (cp < 0x80) {
            b[at++] = (byte) cp;
        } else if (cp < 0x800) {
            b[at++] = (byte) (0xc0 | (cp >> 6));
            b[at++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            b[at++] = (byte) (0xe0 | (cp >> 12));
            b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            b[at++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            b[at++] = (byte) (0xf0 | (cp >> 18));
            b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            b[at++] = (byte) (0x80 | (cp & 0x3f));
        }
        return at;
    }

    /** @return the bytes this buffer holds on to now */
    int capacity() {
        return bytes.length;
    }

    /** Ends the body: a pending lone high surrogate becomes {@code ?}. @return its length in bytes */
    int finish() {
        endPendingSurrogate();
        return count;
    }

    /** Appends the bytes written to {@code target}, which has room for them, and lets go of a large array. */
    void copyTo(RetainableByteBuffer.Mutable target) {
        endPendingSurrogate();
        target.put(bytes, 0, count);
        dropLargeArray();
    }

    /** @return the bytes written, in an array of their exact size */
    byte[] toByteArray() {
        endPendingSurrogate();
        // a large array that is exactly full (room was made for exactly what was written) is the
        // answer, uncopied: it is dropped below either way
        byte[] out = bytes.length > RETAINED && count == bytes.length ? bytes : Arrays.copyOf(bytes, count);
        dropLargeArray();
        return out;
    }

    /** A large message's array goes once its bytes are out, not at this thread's next use (which may never come). */
    private void dropLargeArray() {
        if (bytes.length > RETAINED) {
            bytes = new byte[INITIAL];
        }
    }

    /** A high surrogate written last and never followed by its low half becomes {@code ?}. */
    private void endPendingSurrogate() {
        if (high != 0) {
            high = 0;
            room(1);
            bytes[count++] = '?';
        }
    }

    /** @return how many bytes the padded standard base64 of {@code n} bytes takes */
    static long base64Length(long n) {
        return (n + 2) / 3 * 4;
    }

    /**
     * Appends the padded standard base64 ({@link Base64#getEncoder()}) of the buffer's remaining
     * bytes, read with absolute gets (its position is not changed; read-only and direct buffers
     * work); room is made for exactly {@link #base64Length} bytes. Nothing is allocated per call:
     * the encoding stream, and a {@value #CHUNK}-byte array that a buffer without an accessible
     * array is copied through, are this thread's, made on first use.
     */
    void writeBase64(ByteBuffer data) {
        endPendingSurrogate();
        int from = data.position();
        int n = data.remaining();
        room(base64Length(n));
        if (base64 == null) {
            base64 = new Base64Bytes();
        }
        base64.write(data, from, n);
    }

    /**
     * {@link Base64.Encoder#wrap java.util.Base64's encoding stream} over this buffer, reused: it
     * is never closed (closing is what pads, and ends the stream) and is only ever given whole
     * 3-byte groups, so it never holds a byte back between calls. The last one or two bytes are
     * encoded apart, with their padding, by {@link Base64.Encoder#encode(byte[], byte[])}.
     * (Its stream keeps an 8 KiB array of its own, so one per message would cost more than it saves.)
     */
    private final class Base64Bytes {
        private final OutputStream encoder = Base64.getEncoder().wrap(new OutputStream() {
            @Override
            public void write(int b) {
                room(1);
                bytes[count++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                room(len);
                System.arraycopy(b, off, bytes, count, len);
                count += len;
            }
        });
        private final byte[] chunk = new byte[CHUNK];
        private final byte[] lastOne = new byte[1];
        private final byte[] lastTwo = new byte[2];
        private final byte[] lastFour = new byte[4];

        void write(ByteBuffer data, int from, int n) {
            int groups = n - n % 3;
            try {
                if (data.hasArray()) {
                    encoder.write(data.array(), data.arrayOffset() + from, groups);
                } else {
                    for (int done = 0; done < groups; ) {
                        int k = Math.min(CHUNK, groups - done);
                        data.get(from + done, chunk, 0, k);
                        encoder.write(chunk, 0, k);
                        done += k;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // not thrown: the stream under it writes to memory
            }
            if (groups < n) {
                byte[] last = n - groups == 1 ? lastOne : lastTwo;
                data.get(from + groups, last, 0, last.length);
                int len = Base64.getEncoder().encode(last, lastFour);
                System.arraycopy(lastFour, 0, bytes, count, len);
                count += len;
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
