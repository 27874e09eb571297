package io.github.socketdock.internal.wire;

import java.nio.ByteBuffer;
import javax.crypto.Mac;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A backend call's body, encoded once into a buffer of the HTTP client's pool: every try of the
 * call sends a view of it, so a retry re-encodes and copies nothing. Reference counted: the call
 * holds one reference until it ends, each try {@link #retain() retains} one until Jetty has
 * completed that request (its content is never read after that), and the last
 * {@link #release()} returns the buffer to the pool.
 */
public final class Envelope implements RequestBody {

    /** Bodies get buffers in steps of this many bytes: a buffer is at most 255 bytes larger than its body (an empty one takes 256). */
    static final int STEP = 256;
    /** Larger bodies get buffers of their own, not pooled. */
    static final int MAX_POOLED = 64 * 1024;
    /** Idle buffers a pool keeps of one size. */
    static final int MAX_IDLE_PER_SIZE = 256;
    /** Idle memory a pool keeps in all; past it, buffers given back are dropped. */
    static final long MAX_IDLE_BYTES = 8L * 1024 * 1024;

    private final RetainableByteBuffer buffer;
    private final int length;

    private Envelope(RetainableByteBuffer buffer, int length) {
        this.buffer = buffer;
        this.length = length;
    }

    /**
     * @return a pool for the relay's own bodies (backend call bodies, {@code /send} frame payloads):
     *     heap buffers in {@value #STEP}-byte steps up to {@value #MAX_POOLED} bytes, so what a body
     *     holds is close to what it counts, at most {@value #MAX_IDLE_BYTES} bytes kept idle.
     *     (Jetty's default pools step by 1 KiB or more, and a network buffer is 16 KiB or more.)
     */
    public static ByteBufferPool newPool() {
        return new ArrayByteBufferPool(0, STEP, MAX_POOLED, MAX_IDLE_PER_SIZE, MAX_IDLE_BYTES, 0);
    }

    /** @return an envelope holding the bytes written to {@code out}, in a buffer from {@code pool} */
    static Envelope copyOf(Utf8Buffer out, ByteBufferPool pool) {
        int n = out.finish();
        RetainableByteBuffer.Mutable b = pool.acquire(n, false);
        out.copyTo(b);
        return new Envelope(b, n);
    }

    @Override
    public long length() {
        return length;
    }

    /** @return the bytes its buffer takes, which the byte budget counts */
    int capacity() {
        return buffer.capacity();
    }

    @Override
    public long held() {
        return capacity();
    }

    @Override
    public Request.Content content() {
        return new ByteBufferRequestContent(WireFormat.JSON, view());
    }

    @Override
    public void update(Mac mac) {
        mac.update(view());
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

    @Override
    public void retain() {
        buffer.retain();
    }

    /** Drops one reference; the last returns the buffer to its pool. */
    @Override
    public void release() {
        buffer.release();
    }
}
