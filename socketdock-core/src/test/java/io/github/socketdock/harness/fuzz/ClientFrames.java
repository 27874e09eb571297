package io.github.socketdock.harness.fuzz;

import io.github.socketdock.fixtures.RawSocket;
import java.util.Random;

/**
 * Client frames for the storm, masked with bytes from its {@link Random} (so a seed replays them),
 * on top of {@link RawSocket#frame(int, byte[], byte[], long, int)}.
 */
final class ClientFrames {

    private ClientFrames() {
    }

    /** A masked or unmasked client frame, its length encoded minimally. */
    static byte[] frame(int b0, boolean masked, byte[] payload, Random rnd) {
        return RawSocket.frame(b0, mask(masked, rnd), payload, payload.length, 0);
    }

    /** A masked client frame whose length is encoded in at least 16 ({@code lengthBytes} 2) or 64 bits (8). */
    static byte[] nonMinimal(int b0, byte[] payload, int lengthBytes, Random rnd) {
        return RawSocket.frame(b0, mask(true, rnd), payload, payload.length, lengthBytes);
    }

    /** A masked client frame that declares a length of {@code declared} (64-bit encoded) whatever its payload. */
    static byte[] declaring(int b0, byte[] payload, long declared, Random rnd) {
        return RawSocket.frame(b0, mask(true, rnd), payload, declared, 8);
    }

    /** @return the payload of a close frame */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    private static byte[] mask(boolean masked, Random rnd) {
        return masked ? RandomData.bytes(rnd, 4) : null;
    }
}
