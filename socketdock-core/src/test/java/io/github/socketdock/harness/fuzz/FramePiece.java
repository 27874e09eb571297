package io.github.socketdock.harness.fuzz;

import java.util.Arrays;
import java.util.Random;

/**
 * One or more client frames a storm socket writes at once.
 *
 * @param name what it is, for the failure message
 * @param sure valid by RFC 6455, so the relay must pass it on
 * @param relayed the relayed form ({@code "T:text"}, {@code "B:…"}) of the message it completes, or null
 */
record FramePiece(String name, byte[] bytes, boolean sure, String relayed) {

    /** @return this piece cut short: at least its first byte, never all of it (needs two bytes or more) */
    FramePiece cut(Random rnd) {
        return new FramePiece(name + "(cut)", Arrays.copyOf(bytes, 1 + rnd.nextInt(bytes.length - 1)), false, null);
    }

    /** @return whether, after it, the stream may stay inside a frame for good, so that only an EOF ends it */
    boolean mayLeaveAFrameOpen() {
        return name.endsWith("(cut)") || name.startsWith("huge-length") || name.equals("garbage");
    }
}
