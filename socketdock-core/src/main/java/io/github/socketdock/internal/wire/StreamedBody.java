package io.github.socketdock.internal.wire;

import java.io.InputStream;
import java.util.function.Supplier;
import javax.crypto.Mac;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.ByteBufferPool;

/**
 * A large message's POST body, never built whole: a head and a tail of JSON written once, and
 * between them the message's value, written from the message itself {@value #CHUNK} bytes at a
 * time by a {@link JsonText.Cursor}, for every try anew. Its exact length is known before the first
 * byte is sent ({@code Content-Length}, and the byte budget). What it holds is the message (which
 * the call keeps for its retries) and one chunk per try under way, however much escaping makes of
 * the text; and what the network gets is written from chunks, so no thread is left caching a
 * direct buffer the size of a body.
 */
final class StreamedBody implements RequestBody {

    /** Bytes of body made and written at a time. */
    static final int CHUNK = 16 * 1024;

    private final byte[] head;
    private final Supplier<JsonText.Cursor> value;
    private final byte[] tail;
    private final long length;
    private final long message;
    private final ByteBufferPool.Sized chunks;

    /**
     * @param value   makes a cursor over the value, from its start, for each reading
     * @param length  the value's exact length, as {@link JsonText} measured it
     * @param message what the message the value is read from takes in memory
     * @param pool    where each try's chunk buffers come from
     */
    StreamedBody(byte[] head, Supplier<JsonText.Cursor> value, long length, byte[] tail, long message,
                 ByteBufferPool pool) {
        this.head = head;
        this.value = value;
        this.tail = tail;
        this.length = head.length + length + tail.length;
        this.message = message;
        this.chunks = new ByteBufferPool.Sized(pool, false, CHUNK);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long held() {
        return message + CHUNK;
    }

    @Override
    public Request.Content content() {
        long n = length;
        return new InputStreamRequestContent(WireFormat.JSON, new Reading(), chunks) {
            @Override
            public long getLength() {
                return n;
            }
        };
    }

    @Override
    public void update(Mac mac) {
        byte[] buf = new byte[CHUNK];
        Reading r = new Reading();
        for (int n; (n = r.read(buf, 0, buf.length)) > 0; ) {
            mac.update(buf, 0, n);
        }
    }

    /** Nothing to count: the message is the garbage collector's once the call lets go of this body. */
    @Override
    public void retain() {
    }

    @Override
    public void release() {
    }

    /** @return the whole body (tests compare it with a body built whole) */
    byte[] toByteArray() {
        byte[] all = new byte[Math.toIntExact(length)];
        int n = new Reading().read(all, 0, all.length);
        if (n != all.length) {
            throw new IllegalStateException("read " + n + " of " + length + " bytes");
        }
        return all;
    }

    /** One reading of the body from its start: the head, the value a piece at a time, the tail. */
    private final class Reading extends InputStream {
        private int part;
        private int at;
        private final JsonText.Cursor cursor = value.get();
        /** A piece of the value that did not fit a short read, and how much of it is left. */
        private final byte[] spill = new byte[JsonText.MAX_PER_CHAR];
        private int spillFrom;
        private int spillTo;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && part < 3) {
                if (part == 0 || part == 2) {
                    byte[] fixed = part == 0 ? head : tail;
                    int k = Math.min(len - n, fixed.length - at);
                    System.arraycopy(fixed, at, b, off + n, k);
                    at += k;
                    n += k;
                    if (at == fixed.length) {
                        part++;
                        at = 0;
                    }
                } else if (spillFrom < spillTo) {
                    int k = Math.min(len - n, spillTo - spillFrom);
                    System.arraycopy(spill, spillFrom, b, off + n, k);
                    spillFrom += k;
                    n += k;
                } else if (len - n >= JsonText.MAX_PER_CHAR) {
                    int k = cursor.fill(b, off + n, len - n);
                    if (k < 0) {
                        part = 2;
                    } else {
                        n += k;
                    }
                } else {
                    int k = cursor.fill(spill, 0, spill.length);
                    if (k < 0) {
                        part = 2;
                    } else {
                        spillFrom = 0;
                        spillTo = k;
                    }
                }
            }
            return n == 0 ? -1 : n;
        }
    }
}
