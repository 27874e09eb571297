package io.github.socketdock.harness.fuzz;

import static io.github.socketdock.harness.fuzz.ClientFrames.closePayload;
import static io.github.socketdock.harness.fuzz.ClientFrames.frame;
import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_MESSAGE;
import static io.github.socketdock.harness.fuzz.RandomData.bytes;
import static io.github.socketdock.harness.fuzz.RandomData.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

/**
 * Random {@link FramePiece}s: valid text, binary, fragmented messages, pings and pongs (40 %), and
 * every way a client frame can be wrong: invalid UTF-8, broken fragmentation, oversized control
 * frames, reserved opcodes and bits, no mask, oversized messages and lengths, bad close codes.
 */
final class FramePieces {

    private FramePieces() {
    }

    static FramePiece next(Random rnd) {
        int k = rnd.nextInt(100);
        if (k < 14) {
            String t = text(rnd, rnd.nextInt(8) == 0 ? 1500 : 60);
            return sure("text", frame(0x81, true, t.getBytes(StandardCharsets.UTF_8), rnd), "T:" + t);
        }
        if (k < 24) {
            byte[] b = rnd.nextBoolean() ? bytes(rnd, rnd.nextInt(rnd.nextInt(8) == 0 ? 4000 : 100))
                    : text(rnd, 30).getBytes(StandardCharsets.UTF_8);
            return sure("binary", frame(0x82, true, b, rnd), binaryForm(b));
        }
        if (k < 32) {
            return fragmented(rnd);
        }
        if (k < 37) {
            return sure("ping", frame(0x89, true, bytes(rnd, rnd.nextInt(126)), rnd), null);
        }
        if (k < 40) {
            return sure("pong", frame(0x8A, true, bytes(rnd, rnd.nextInt(126)), rnd), null);
        }
        return bad(k, rnd);
    }

    /** A text or binary message in two to four fragments, split at any byte, at times with a ping between. */
    private static FramePiece fragmented(Random rnd) {
        boolean isText = rnd.nextBoolean();
        byte[] whole = isText ? text(rnd, 200).getBytes(StandardCharsets.UTF_8) : bytes(rnd, rnd.nextInt(500));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 2 + rnd.nextInt(3);
        int at = 0;
        for (int p = 0; p < parts; p++) {
            int to = p == parts - 1 ? whole.length : at + rnd.nextInt(whole.length - at + 1);
            int opcode = p == 0 ? (isText ? 1 : 2) : 0;
            out.writeBytes(frame((p == parts - 1 ? 0x80 : 0) | opcode, true, Arrays.copyOfRange(whole, at, to), rnd));
            if (p < parts - 1 && rnd.nextInt(4) == 0) {
                out.writeBytes(frame(0x89, true, bytes(rnd, rnd.nextInt(20)), rnd));
            }
            at = to;
        }
        String relayed = isText ? "T:" + new String(whole, StandardCharsets.UTF_8) : binaryForm(whole);
        return sure(isText ? "fragmented-text(split at any byte)" : "fragmented-binary", out.toByteArray(), relayed);
    }

    /** A piece that breaks RFC 6455 or the relay's limits, for {@code k} in [40, 100). */
    private static FramePiece bad(int k, Random rnd) {
        if (k < 46) {
            return bad("invalid-utf8-text", frame(0x81, true, RandomData.invalidUtf8(rnd, text(rnd, 40)), rnd));
        }
        if (k < 50) {
            return bad("continuation-without-start", frame(rnd.nextBoolean() ? 0x80 : 0, true, bytes(rnd, 10), rnd));
        }
        if (k < 55) {
            return bad("start-without-end", frame(rnd.nextBoolean() ? 1 : 2, true,
                    "part".getBytes(StandardCharsets.US_ASCII), rnd));
        }
        if (k < 59) {
            int opcode = 0x88 + rnd.nextInt(3);
            byte[] payload = opcode == 0x88 ? closePayload(1000, "r".repeat(124 + rnd.nextInt(200)))
                    : bytes(rnd, 126 + rnd.nextInt(2000));
            return bad("control-over-125-bytes", frame(opcode, true, payload, rnd));
        }
        if (k < 62) {
            return bad("fragmented-control", frame(0x09 + rnd.nextInt(2), true, bytes(rnd, 5), rnd));
        }
        if (k < 67) {
            int[] opcodes = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
            int opcode = opcodes[rnd.nextInt(opcodes.length)];
            return bad("opcode-" + opcode, frame(0x80 | opcode, true, bytes(rnd, rnd.nextInt(20)), rnd));
        }
        if (k < 72) {
            int rsv = (1 + rnd.nextInt(7)) << 4;
            return bad("rsv-" + (rsv >> 4), frame(0x80 | rsv | (1 + rnd.nextInt(2)), true,
                    "rsv".getBytes(StandardCharsets.US_ASCII), rnd));
        }
        if (k < 77) {
            return bad("unmasked", frame(0x80 | (1 + rnd.nextInt(2)), false, "plain".getBytes(StandardCharsets.US_ASCII), rnd));
        }
        if (k < 81) {
            boolean isText = rnd.nextBoolean();
            byte[] b = isText
                    ? RandomData.token(rnd, MAX_MESSAGE + 1 + rnd.nextInt(20_000), "abc").getBytes(StandardCharsets.US_ASCII)
                    : bytes(rnd, MAX_MESSAGE + 1 + rnd.nextInt(20_000));
            return bad("oversized-" + (isText ? "text" : "binary"), frame(isText ? 0x81 : 0x82, true, b, rnd));
        }
        if (k < 84) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int total = 0;
            boolean first = true;
            while (total <= MAX_MESSAGE) {
                int n = 16_000 + rnd.nextInt(16_000);
                total += n;
                out.writeBytes(frame((total > MAX_MESSAGE ? 0x80 : 0) | (first ? 2 : 0), true, bytes(rnd, n), rnd));
                first = false;
            }
            return bad("oversized-in-fragments", out.toByteArray());
        }
        if (k < 87) {
            long[] lengths = {Long.MIN_VALUE, -1L, 0x7FFF_FFFF_FFFF_FFFFL, 1L << 40, (long) Integer.MAX_VALUE + 1,
                MAX_MESSAGE + 1L};
            long declared = lengths[rnd.nextInt(lengths.length)];
            return bad("huge-length-" + Long.toHexString(declared),
                    ClientFrames.declaring(0x80 | (1 + rnd.nextInt(2)), bytes(rnd, rnd.nextInt(100)), declared, rnd));
        }
        if (k < 90) {
            String t = text(rnd, 20);
            return bad("non-minimal-length", ClientFrames.nonMinimal(0x81, t.getBytes(StandardCharsets.UTF_8),
                    rnd.nextInt(2) == 0 ? 2 : 8, rnd));
        }
        if (k < 94) {
            byte[][] bad = {{3}, closePayload(0, ""), closePayload(999, ""), closePayload(1004, ""), closePayload(1005, ""),
                closePayload(1006, ""), closePayload(1015, ""), closePayload(2000, ""), closePayload(5000, ""),
                closePayload(65535, ""), Bytes.concat(closePayload(1000, ""), new byte[] {(byte) 0xC3, 0x28})};
            return bad("close-bad", frame(0x88, true, bad[rnd.nextInt(bad.length)], rnd));
        }
        if (k < 96) {
            int code = FuzzLimits.CLIENT_CLOSE_CODES[rnd.nextInt(FuzzLimits.CLIENT_CLOSE_CODES.length)];
            return bad("close-" + code, frame(0x88, true, closePayload(code, text(rnd, 10)), rnd));
        }
        return bad("garbage", bytes(rnd, 1 + rnd.nextInt(64)));
    }

    /** @return the relayed form of a binary message: its text where it is UTF-8 (an empty one too), else base64 */
    private static String binaryForm(byte[] b) {
        return Bytes.decodes(StandardCharsets.UTF_8, b) ? "B:" + new String(b, StandardCharsets.UTF_8)
                : "B:base64:" + Base64.getEncoder().encodeToString(b);
    }

    private static FramePiece sure(String name, byte[] bytes, String relayed) {
        return new FramePiece(name, bytes, true, relayed);
    }

    private static FramePiece bad(String name, byte[] bytes) {
        return new FramePiece(name, bytes, false, null);
    }
}
