package io.github.socketdock.internal.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One data frame on its way to a client, whatever it came from (an in-process send, a
 * {@code /send} body): the opcode, the payload, what it holds while queued (the process-wide
 * budget counts that), and what gives its buffer back once it is written or refused.
 *
 * @param opCode  {@link OpCode#TEXT} (the payload is well-formed UTF-8) or {@link OpCode#BINARY}
 * @param payload the frame's payload, handed to Jetty as it is (writing it may move its position)
 * @param size    the payload's length, fixed when the frame is made: what the queue's bound counts
 *                and gives back, whatever writing did to the payload's position
 * @param held    the bytes the frame holds while queued: its payload, or the whole pooled buffer
 * @param release gives a pooled buffer back; null for a heap payload
 */
public record OutFrame(byte opCode, ByteBuffer payload, int size, int held, Runnable release) {

    /** @return a text frame of {@code text}'s UTF-8 encoding */
    public static OutFrame text(String text) {
        ByteBuffer utf8 = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        return new OutFrame(OpCode.TEXT, utf8, utf8.remaining(), utf8.remaining(), null);
    }

    /** @return a binary frame of a copy of {@code data}'s remaining bytes */
    static OutFrame binary(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        return new OutFrame(OpCode.BINARY, copy, copy.remaining(), copy.remaining(), null);
    }

    /**
     * @param opCode {@link OpCode#TEXT} only for a payload already checked to be UTF-8
     * @return a frame whose payload is the pooled buffer, given back once the frame is done
     */
    static OutFrame pooled(byte opCode, RetainableByteBuffer buffer) {
        ByteBuffer payload = buffer.getByteBuffer();
        return new OutFrame(opCode, payload, payload.remaining(), Math.max(payload.remaining(), buffer.capacity()),
                buffer::release);
    }

    /**
     * @param opCode {@link OpCode#TEXT} only for bytes already checked to be UTF-8
     * @return a frame whose payload is a copy of {@code bytes}' remaining bytes in a buffer of
     *     {@code pool}, given back once the frame is done (bytes as read may be a whole network
     *     buffer of Jetty's, 16 KiB or more, which a queued frame must not hold on to)
     */
    public static OutFrame copied(byte opCode, ByteBufferPool pool, ByteBuffer bytes) {
        RetainableByteBuffer.Mutable copy = pool.acquire(bytes.remaining(), false);
        copy.add(bytes.duplicate());
        return pooled(opCode, copy);
    }

    /** Gives the pooled buffer back, if there is one. */
    void releasePayload() {
        if (release != null) {
            release.run();
        }
    }
}
