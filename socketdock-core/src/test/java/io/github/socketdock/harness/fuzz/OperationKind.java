package io.github.socketdock.harness.fuzz;

import java.util.Random;

/** The four kinds of storm operation, and how often each is drawn. */
public enum OperationKind {
    /** Random bytes on the HTTP port (10 %). */
    RANDOM_BYTES,
    /** A valid request, garbled (20 %). */
    GARBLED_HTTP,
    /** A well-formed POST to a callback route (30 %). */
    POST,
    /** A WebSocket upgrade followed by random and malformed frames (40 %). */
    WEBSOCKET;

    /** @return the kind of the operation whose random source is {@code rnd}: its first draw */
    static OperationKind draw(Random rnd) {
        int k = rnd.nextInt(100);
        return k < 10 ? RANDOM_BYTES : k < 30 ? GARBLED_HTTP : k < 60 ? POST : WEBSOCKET;
    }
}
