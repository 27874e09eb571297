package io.github.socketdock.harness.fuzz;

import static io.github.socketdock.harness.fuzz.FuzzLimits.CLIENT_CLOSE_CODES;
import static io.github.socketdock.harness.fuzz.FuzzLimits.SO_TIMEOUT_MS;

import io.github.socketdock.fixtures.RawSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The storm's WebSocket operation: an upgrade (at times with a junk header), one to six
 * {@link FramePiece}s, then an end: a reset, a close without a word, an EOF, or a close frame.
 * After an EOF or a close frame it reads until the server closes and checks the close codes. It
 * files an {@link Expectation} of what the backend must have been sent.
 */
final class StormSocket {

    private final int port;
    private final Outcomes outcomes;
    private final LeadingMessages expectations;

    StormSocket(int port, Outcomes outcomes, LeadingMessages expectations) {
        this.port = port;
        this.outcomes = outcomes;
        this.expectations = expectations;
    }

    /** @return null, or what went wrong; appends its input to {@code input} */
    String run(int op, Random rnd, StringBuilder input) throws IOException {
        try (RawSocket s = new RawSocket(port, SO_TIMEOUT_MS)) {
            String junkHeader = rnd.nextInt(8) == 0 ? MalformedHttp.junkHeader(rnd) : null;
            byte[] key = RandomData.bytes(rnd, 16);
            String upgrade = junkHeader == null ? RawSocket.upgradeRequest(key, "X-Fuzz-Op: w" + op)
                    : RawSocket.upgradeRequest(key, "X-Fuzz-Op: w" + op, junkHeader);
            input.append(junkHeader == null ? "" : Bytes.printable(junkHeader.getBytes(StandardCharsets.ISO_8859_1)) + " | ");
            s.tryWrite(upgrade.getBytes(StandardCharsets.ISO_8859_1));
            String head = s.readHead(16 * 1024);
            if (!head.startsWith("HTTP/1.1 101")) {
                outcomes.count("WEBSOCKET upgrade " + HttpOperations.firstLine(head.getBytes(StandardCharsets.ISO_8859_1)));
                if (junkHeader != null && head.startsWith("HTTP/1.1 400")) {
                    return null;
                }
                // the body says which refusal it was (Jetty's error page names the cause)
                String body;
                try {
                    body = s.readBody(head).replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ");
                } catch (IOException e) {
                    body = "(no body: " + e + ")";
                }
                return "upgrade answered " + head + body.substring(0, Math.min(body.length(), 300));
            }
            List<String> leading = new ArrayList<>();
            boolean stillSure = true;
            boolean leadingWritten = true;
            boolean truncated = false;
            boolean writable = true;
            int frames = 1 + rnd.nextInt(6);
            for (int i = 0; i < frames && writable; i++) {
                FramePiece p = FramePieces.next(rnd);
                if (i == frames - 1 && rnd.nextInt(5) == 0 && p.bytes().length > 1) {
                    p = p.cut(rnd);
                }
                truncated |= p.mayLeaveAFrameOpen();
                input.append(p.name()).append(' ');
                writable = s.tryWrite(p.bytes());
                if (stillSure && p.sure()) {
                    if (p.relayed() != null) {
                        leading.add(p.relayed());
                    }
                    leadingWritten &= writable;
                } else {
                    stillSure = false;
                }
            }
            return end(op, s, rnd, truncated, leading, leadingWritten, input);
        }
    }

    private String end(int op, RawSocket s, Random rnd, boolean truncated, List<String> leading, boolean leadingWritten,
                       StringBuilder input) throws IOException {
        int end = rnd.nextInt(100);
        if (end < 20) {
            input.append("| reset");
            s.abort();
            expectations.add(new Expectation(op, leading, false, input.toString()));
            outcomes.count("WEBSOCKET ended by reset");
            return null;
        }
        if (end < 35) {
            input.append("| close");
            expectations.add(new Expectation(op, leading, false, input.toString()));
            outcomes.count("WEBSOCKET ended by close");
            return null;
        }
        if (end < 70 || truncated) {
            input.append("| EOF, read");
            s.shutdownOutput();
        } else {
            int code = CLIENT_CLOSE_CODES[rnd.nextInt(CLIENT_CLOSE_CODES.length)];
            input.append("| close frame ").append(code).append(", read");
            s.tryWrite(ClientFrames.frame(0x88, true, ClientFrames.closePayload(code, "bye"), rnd));
        }
        ServerFrames got = ServerFrames.parse(s.readToEof(512 * 1024, Duration.ofMillis(2L * SO_TIMEOUT_MS)));
        for (int code : got.closeCodes()) {
            outcomes.count("WEBSOCKET server close " + code);
        }
        if (got.closeCodes().isEmpty()) {
            outcomes.count("WEBSOCKET server closed without a close frame");
        }
        if (got.anomaly() != null) {
            return got.anomaly();
        }
        for (int code : got.closeCodes()) {
            if (!FuzzLimits.ALLOWED_CLOSE_CODES.contains(code)) {
                return "server closed with " + code;
            }
        }
        boolean closedByStorm = got.closeCodes().stream()
                .anyMatch(c -> Arrays.stream(FuzzLimits.STORM_DISCONNECT_CODES).anyMatch(x -> x == c));
        expectations.add(new Expectation(op, leading, leadingWritten && got.complete() && !closedByStorm,
                input.toString()));
        return null;
    }
}
