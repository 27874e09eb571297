package io.github.socketdock.harness.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server sent a storm socket after its upgrade, parsed from the bytes it read.
 *
 * @param closeCodes the codes of its close frames (1005 for one without a code)
 * @param complete whether the bytes end at a frame boundary
 * @param anomaly what no server may send (a masked frame, reserved bits or opcodes), or null
 */
record ServerFrames(List<Integer> closeCodes, boolean complete, String anomaly) {

    static ServerFrames parse(byte[] data) {
        List<Integer> codes = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            if (at + 2 > data.length) {
                return new ServerFrames(codes, false, null);
            }
            int b0 = data[at] & 0xff;
            int b1 = data[at + 1] & 0xff;
            int opcode = b0 & 0x0f;
            if ((b1 & 0x80) != 0) {
                return new ServerFrames(codes, false, "the server sent a masked frame");
            }
            if ((b0 & 0x70) != 0 || !(opcode <= 2 || (opcode >= 8 && opcode <= 10))) {
                return new ServerFrames(codes, false, "the server sent a frame with first byte 0x" + Integer.toHexString(b0));
            }
            long n = b1 & 0x7f;
            int header = 2;
            if (n == 126) {
                if (at + 4 > data.length) {
                    return new ServerFrames(codes, false, null);
                }
                n = ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
                header = 4;
            } else if (n == 127) {
                if (at + 10 > data.length) {
                    return new ServerFrames(codes, false, null);
                }
                n = 0;
                for (int i = 0; i < 8; i++) {
                    n = (n << 8) | (data[at + 2 + i] & 0xff);
                }
                header = 10;
            }
            if (at + header + n > data.length) {
                return new ServerFrames(codes, false, null);
            }
            if (opcode == 8) {
                codes.add(n >= 2 ? ((data[at + header] & 0xff) << 8) | (data[at + header + 1] & 0xff) : 1005);
            }
            at += header + (int) n;
        }
        return new ServerFrames(codes, true, null);
    }
}
