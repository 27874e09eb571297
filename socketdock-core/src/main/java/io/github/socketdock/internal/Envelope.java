package io.github.socketdock.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A backend call's body, encoded once into a buffer of the HTTP client's pool: every try of the
 * call sends a view of it, so a retry re-encodes and copies nothing. Reference counted: the call
 * holds one reference until it ends, each try {@link #retain() retains} one until Jetty has
 * completed that request (its content is never read after that), and the last
 * {@link #release()} returns the buffer to the pool.
 */
final class Envelope {

    private final RetainableByteBuffer buffer;
    private final int length;

    private Envelope(RetainableByteBuffer buffer, int length) {
        this.buffer = buffer;
        this.length = length;
    }

    /** @return an envelope holding the bytes written to {@code out}, in a buffer from {@code pool} */
    static Envelope copyOf(Utf8Buffer out, ByteBufferPool pool) {
        int n = out.finish();
        RetainableByteBuffer.Mutable b = pool.acquire(n, false);
        out.copyTo(b);
        return new Envelope(b, n);
    }

    /** @return the body's length in bytes */
    int length() {
        return length;
    }

    /** @return a read-only view of the body, positioned at its start, for one reader */
    ByteBuffer view() {
        return buffer.getByteBuffer().asReadOnlyBuffer();
    }

    /** @return a copy of the body */
    byte[] toByteArray() {
        ByteBuffer v = view();
        byte[] copy = new byte[v.remaining()];
        v.get(copy);
        return copy;
    }

    /** Takes one more reference, for a try under way. */
    void retain() {
        buffer.retain();
    }

    /** Drops one reference; the last returns the buffer to its pool. */
    void release() {
        buffer.release();
    }
}
