package io.github.socketdock.internal.wire;

/**
 * A connection whose callback URLs are already text, so that an envelope writes them without
 * formatting a {@code URI} each time.
 */
public interface CallbackUrls {

    /** @return the connection's {@code send} callback URL */
    String sendUrl();

    /** @return the connection's {@code disconnect} callback URL */
    String disconnectUrl();
}
