package io.github.socketdock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One whole WebSocket message, as a client sent it or as a backend sends it back.
 *
 * <p>A message is either {@linkplain Type#TEXT text} (a WebSocket text frame: valid UTF-8 by the
 * protocol's rules, exposed as a {@link String}) or {@linkplain Type#BINARY binary} (arbitrary
 * bytes). Messages are immutable: the bytes of a binary message are copied in and copied out, so a
 * backend may keep a message for as long as it likes, for example to deliver it later.
 *
 * <pre>{@code
 * Message m = Message.text("hello");
 * if (m.type() == Message.Type.TEXT) {
 *     System.out.println(m.text());
 * }
 * }</pre>
 */
public final class Message {

    /** The kind of WebSocket frame a message travels in. */
    public enum Type {
        /** A text frame; {@link Message#text()} holds its content. */
        TEXT,
        /** A binary frame; {@link Message#bytes()} holds its content. */
        BINARY
    }

    private final Type type;
    private final String text;
    private final byte[] bytes;

    private Message(Type type, String text, byte[] bytes) {
        this.type = type;
        this.text = text;
        this.bytes = bytes;
    }

    /**
     * A text message.
     *
     * @param text the content, not null
     * @return the message
     */
    public static Message text(String text) {
        return new Message(Type.TEXT, Objects.requireNonNull(text, "text"), null);
    }

    /**
     * A binary message holding a copy of {@code bytes}.
     *
     * @param bytes the content, not null; copied
     * @return the message
     */
    public static Message binary(byte[] bytes) {
        return new Message(Type.BINARY, null, Objects.requireNonNull(bytes, "bytes").clone());
    }

    /**
     * A binary message holding a copy of the remaining bytes of {@code buffer}; the buffer's
     * position is not changed.
     *
     * @param buffer the content, not null; copied
     * @return the message
     */
    public static Message binary(ByteBuffer buffer) {
        ByteBuffer view = Objects.requireNonNull(buffer, "buffer").slice();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return new Message(Type.BINARY, null, copy);
    }

    /** @return whether this is a text or a binary message */
    public Type type() {
        return type;
    }

    /** @return true for a text message */
    public boolean isText() {
        return type == Type.TEXT;
    }

    /**
     * The content of a text message.
     *
     * @return the text
     * @throws IllegalStateException if this is a binary message
     */
    public String text() {
        if (type != Type.TEXT) {
            throw new IllegalStateException("a binary message has no text; use bytes()");
        }
        return text;
    }

    /**
     * The content as bytes: a copy of a binary message's bytes, or a text message's UTF-8 encoding.
     *
     * @return a new array each call
     */
    public byte[] bytes() {
        return type == Type.TEXT ? text.getBytes(StandardCharsets.UTF_8) : bytes.clone();
    }

    /**
     * The content as a read-only buffer, without copying.
     *
     * @return a read-only view of a binary message's bytes, or of a text message's UTF-8 encoding
     */
    public ByteBuffer data() {
        return type == Type.TEXT
                ? ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer()
                : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** @return true if the message has no content */
    public boolean isEmpty() {
        return type == Type.TEXT ? text.isEmpty() : bytes.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Message)) {
            return false;
        }
        Message other = (Message) o;
        return type == other.type && Objects.equals(text, other.text) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return type == Type.TEXT ? text.hashCode() : Arrays.hashCode(bytes);
    }

    /** @return the type and size, never the content (messages may hold private data) */
    @Override
    public String toString() {
        return type == Type.TEXT
                ? "Message[TEXT, " + text.length() + " chars]"
                : "Message[BINARY, " + bytes.length + " bytes]";
    }
}
