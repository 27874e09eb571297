package io.github.socketdock.internal.relay;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Message;
import io.github.socketdock.internal.wire.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Puts one connection's message together from its frames' payloads, bounded by the maximum
 * message size; a text message's bytes are checked as UTF-8 as they come and decoded once, when
 * it is whole. Not thread-safe: a connection's frames arrive one at a time.
 */
final class MessageAssembler {

    /** A fragment the message cannot take; the connection is closed with {@link #status()}. */
    abstract static class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient CloseStatus status;

        Refused(CloseStatus status, String message) {
            super(message);
            this.status = status;
        }

        /** @return the close the connection gets */
        CloseStatus status() {
            return status;
        }
    }

    /** The message grew past the maximum size: 1009. */
    static final class TooBig extends Refused {
        private static final long serialVersionUID = 1L;

        TooBig(long max) {
            super(new CloseStatus(CloseStatus.MESSAGE_TOO_BIG, "message too big"),
                    "message over the maximum of " + max + " bytes");
        }
    }

    /** A text message's bytes are not well-formed UTF-8: 1007, as RFC 6455 section 8.1 asks. */
    static final class NotUtf8 extends Refused {
        private static final long serialVersionUID = 1L;

        NotUtf8() {
            super(new CloseStatus(INVALID_PAYLOAD, "invalid UTF-8"), "text message that is not UTF-8");
        }
    }

    /** RFC 6455's close code for data inconsistent with its message type. */
    static final int INVALID_PAYLOAD = 1007;

    private final long max;
    private final Utf8.Stream utf8 = new Utf8.Stream();
    private byte[] bytes;
    private int length;

    MessageAssembler(long max) {
        this.max = max;
    }

    /**
     * Adds a text fragment's UTF-8 bytes: copies them, then checks them.
     *
     * @param last whether it ends the message (which must then end where a character ends)
     * @return the size of the fragment, to be counted against the budget
     */
    long addText(ByteBuffer fragment, boolean last) throws Refused {
        int n = fragment.remaining();
        grow(n);
        copy(fragment, n);
        if (!utf8.accept(bytes, length - n, n) || (last && !utf8.complete())) {
            throw new NotUtf8();
        }
        return n;
    }

    /**
     * Adds a binary fragment, copying it.
     *
     * @return the size of the fragment, to be counted against the budget
     */
    long addBinary(ByteBuffer fragment) throws Refused {
        int n = fragment.remaining();
        grow(n);
        copy(fragment, n);
        return n;
    }

    private void copy(ByteBuffer fragment, int n) {
        if (bytes == null) {
            bytes = new byte[Math.max(n, 256)];
        } else if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max((long) bytes.length * 2, (long) length + n)));
        }
        fragment.get(bytes, length, n);
        length += n;
    }

    /** @return the size counted so far for the message being assembled */
    long size() {
        return length;
    }

    /** @return the whole text message, resetting for the next one */
    Message finishText() {
        Message m = Message.text(bytes == null ? "" : new String(bytes, 0, length, StandardCharsets.UTF_8));
        reset();
        return m;
    }

    /** @return the whole binary message, resetting for the next one */
    Message finishBinary() {
        Message m = Message.binary(bytes == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes, 0, length));
        reset();
        return m;
    }

    /** Drops the message being assembled; @return the size it had counted */
    long discard() {
        long had = length;
        reset();
        return had;
    }

    private void grow(long n) throws TooBig {
        if (length + n > max) {
            throw new TooBig(max);
        }
    }

    private void reset() {
        bytes = null;
        length = 0;
        utf8.reset();
    }
}
