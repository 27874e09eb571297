package io.github.socketdock.harness.fuzz;

import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_DISCONNECT_BODY;
import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_MESSAGE;
import static io.github.socketdock.harness.fuzz.RandomData.bytes;
import static io.github.socketdock.harness.fuzz.RandomData.size;
import static io.github.socketdock.harness.fuzz.RandomData.text;
import static io.github.socketdock.harness.fuzz.RandomData.token;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Content types and bodies for POSTs to the callback routes: send bodies of every size and
 * encoding, disconnect bodies that are close requests, and disconnect bodies no parser may take
 * for one.
 */
final class CallbackBodies {

    private static final String[] CONTENT_TYPES = {
        null, null, "application/octet-stream", "application/json", "image/png", "text/plain",
        "text/plain; charset=utf-8", "text/plain;charset=UTF-8", "text/plain; charset=\"utf-8\"",
        "text/html; charset=iso-8859-1", "text/plain; charset=us-ascii", "text/plain; charset=utf-16",
        "text/plain; charset=UTF-16LE", "text/csv; charset=windows-1252", "text/plain; charset=shift_jis",
        "text/plain; charset=", "text/plain; charset=no-such-charset", "text/plain; charset=\"",
        "text/plain; charset=utf-8; charset=bogus", "text/", "TEXT/PLAIN", "text/plain; format=flowed",
        "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded", ";", "text/plain;;;charset=utf-8",
        "text/plain; charset=utf-32", "text/plain; charset=x-fuzz-u"};

    private CallbackBodies() {
    }

    /** @return a content type, or null for none: listed odd ones, or a random text type or charset */
    static String contentType(Random rnd) {
        if (rnd.nextInt(6) == 0) {
            String token = token(rnd, 1 + rnd.nextInt(12), "abcdefghijklmnopqrstuvwxyz0123456789-_.:+");
            return rnd.nextBoolean() ? "text/" + token : "text/plain; charset=" + token;
        }
        return CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)];
    }

    /** @return a send body: random bytes, valid or invalid UTF-8, ASCII; around and over the maximum message */
    static byte[] sendBody(Random rnd) {
        int k = rnd.nextInt(100);
        if (k < 5) {
            return bytes(rnd, MAX_MESSAGE + 1 + rnd.nextInt(5000));
        }
        if (k < 8) {
            return bytes(rnd, MAX_MESSAGE - rnd.nextInt(3));
        }
        if (k < 40) {
            return bytes(rnd, size(rnd));
        }
        if (k < 75) {
            return text(rnd, size(rnd) / 2).getBytes(StandardCharsets.UTF_8);
        }
        if (k < 90) {
            return RandomData.invalidUtf8(rnd, text(rnd, size(rnd) / 2));
        }
        return token(rnd, size(rnd), "abcdefghijklmnopqrstuvwxyz ").getBytes(StandardCharsets.US_ASCII);
    }

    /** A disconnect body for a storm socket: anything, but a code only from {@link FuzzLimits#STORM_DISCONNECT_CODES}. */
    static byte[] disconnectBody(Random rnd) {
        int k = rnd.nextInt(10);
        if (k < 3) {
            int code = FuzzLimits.STORM_DISCONNECT_CODES[rnd.nextInt(FuzzLimits.STORM_DISCONNECT_CODES.length)];
            return ("{\"code\":" + code + ",\"reason\":" + quote(text(rnd, 20)) + "}").getBytes(StandardCharsets.UTF_8);
        }
        return malformedDisconnectBody(rnd);
    }

    /** A disconnect body no parser may take for a close request: it starts '{' and never closes, or is no object. */
    static byte[] malformedDisconnectBody(Random rnd) {
        switch (rnd.nextInt(10)) {
            case 0 -> {
                return Bytes.concat(new byte[] {'{'}, replace(bytes(rnd, rnd.nextInt(200)), '}', '{'));
            }
            case 1 -> {
                return ("[" + "[".repeat(rnd.nextInt(MAX_DISCONNECT_BODY))).getBytes(StandardCharsets.US_ASCII);
            }
            case 2 -> {
                return "{\"a\":".repeat(1 + rnd.nextInt(800)).getBytes(StandardCharsets.US_ASCII);
            }
            case 3 -> {
                int[] bad = {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, -1, 1_000_000_000};
                return ("{\"code\":" + bad[rnd.nextInt(bad.length)] + "}").getBytes(StandardCharsets.US_ASCII);
            }
            case 4 -> {
                String[] bad = {"\"4000\"", "true", "null", "[4000]", "{}", "4000.5", "1e400", "-0.5", "NaN"};
                return ("{\"code\":" + bad[rnd.nextInt(bad.length)] + "}").getBytes(StandardCharsets.US_ASCII);
            }
            case 5 -> {
                return ("{\"code\":4000,\"reason\":" + quote("r".repeat(124 + rnd.nextInt(200))) + "}")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            case 6 -> {
                return ("[" + text(rnd, 50)).getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> {
                return bytes(rnd, MAX_DISCONNECT_BODY + 1 + rnd.nextInt(3000));
            }
            case 8 -> {
                return ("{\"reason\":" + rnd.nextInt(100) + "}").getBytes(StandardCharsets.US_ASCII);
            }
            default -> {
                return Bytes.concat("{\"code\":4000,\"reason\":\"".getBytes(StandardCharsets.US_ASCII),
                        replace(bytes(rnd, 10), '"', 'x'));
            }
        }
    }

    private static byte[] replace(byte[] b, char from, char to) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == from) {
                b[i] = (byte) to;
            }
        }
        return b;
    }

    /** @return {@code s} as a JSON string literal */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
