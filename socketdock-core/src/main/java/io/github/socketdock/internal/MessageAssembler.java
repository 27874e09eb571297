package io.github.socketdock.internal;

import io.github.socketdock.Message;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Puts one connection's message together from the fragments Jetty delivers, bounded by the
 * maximum message size. Not thread-safe: Jetty delivers a connection's frames one at a time.
 */
final class MessageAssembler {

    /** Thrown when a message grows past the maximum size. */
    static final class TooBig extends Exception {
        private static final long serialVersionUID = 1L;

        TooBig(long max) {
            super("message larger than " + max + " bytes");
        }
    }

    private final long max;
    /** The first text fragment, while it is the only one. */
    private String first;
    private StringBuilder text;
    private byte[] bytes;
    private int length;
    private long size;

    MessageAssembler(long max) {
        this.max = max;
    }

    /**
     * Adds a text fragment.
     *
     * @return the UTF-8 size of the fragment, to be counted against the budget
     */
    long addText(String fragment) throws TooBig {
        long n = utf8Length(fragment);
        grow(n);
        if (text == null && first == null) {
            // most messages are one fragment: keep Jetty's string as it is, no copy
            first = fragment;
            return n;
        }
        if (text == null) {
            text = new StringBuilder(first.length() + fragment.length());
            text.append(first);
            first = null;
        }
        text.append(fragment);
        return n;
    }

    /**
     * Adds a binary fragment, copying it.
     *
     * @return the size of the fragment, to be counted against the budget
     */
    long addBinary(ByteBuffer fragment) throws TooBig {
        int n = fragment.remaining();
        grow(n);
        if (bytes == null) {
            bytes = new byte[Math.max(n, 256)];
        } else if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max((long) bytes.length * 2, (long) length + n)));
        }
        fragment.get(bytes, length, n);
        length += n;
        return n;
    }

    /** @return the size counted so far for the message being assembled */
    long size() {
        return size;
    }

    /** @return the whole text message, resetting for the next one */
    Message finishText() {
        Message m = Message.text(first != null ? first : text == null ? "" : text.toString());
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
        long had = size;
        reset();
        return had;
    }

    private void grow(long n) throws TooBig {
        if (size + n > max) {
            throw new TooBig(max);
        }
        size += n;
    }

    private void reset() {
        first = null;
        text = null;
        bytes = null;
        length = 0;
        size = 0;
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
