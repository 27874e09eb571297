package io.github.socketdock.harness.fuzz;

import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_DISCONNECT_BODY;
import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_MESSAGE;
import static io.github.socketdock.harness.fuzz.FuzzLimits.SO_TIMEOUT_MS;

import io.github.socketdock.fixtures.RawSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storm's operations on the HTTP port: random bytes and garbled requests, which may get any
 * answer but a 5xx, and well-formed callback POSTs, which must get the answer the README promises.
 * Each returns null, or what went wrong, and appends its input to {@code input}.
 */
final class HttpOperations {

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d\\d\\d)");
    private static final Duration READ_AT_MOST = Duration.ofMillis(2L * SO_TIMEOUT_MS);

    private final int port;
    private final SocketIds ids;
    private final Outcomes outcomes;

    HttpOperations(int port, SocketIds ids, Outcomes outcomes) {
        this.port = port;
        this.ids = ids;
        this.outcomes = outcomes;
    }

    String randomBytes(Random rnd, StringBuilder input) throws IOException {
        return sendAndExpectNoServerError(OperationKind.RANDOM_BYTES, MalformedHttp.randomBytes(rnd), 5, rnd, input);
    }

    String garbledHttp(int op, Random rnd, StringBuilder input) throws IOException {
        return sendAndExpectNoServerError(OperationKind.GARBLED_HTTP, MalformedHttp.garbled(op, rnd, ids), 4, rnd, input);
    }

    /** A well-formed POST to a callback route: its answer must be the one the README promises. */
    String post(Random rnd, StringBuilder input) throws IOException {
        boolean send = rnd.nextInt(10) < 6;
        int t = rnd.nextInt(100);
        Target target = t < 30 ? Target.HEALTHY : t < 55 ? Target.STORM : t < 75 ? Target.UNKNOWN : Target.MALFORMED;
        String id = ids.pick(target, rnd);
        if (id == null) {
            target = Target.UNKNOWN;
            id = ids.pick(target, rnd);
        }
        String contentType = CallbackBodies.contentType(rnd);
        byte[] body = send ? CallbackBodies.sendBody(rnd)
                : target == Target.HEALTHY ? CallbackBodies.malformedDisconnectBody(rnd) : CallbackBodies.disconnectBody(rnd);
        boolean chunked = rnd.nextInt(7) == 0;
        Set<Integer> expected = CallbackAnswers.expected(send, target, contentType, body, chunked);
        String path = "/socket/" + id + (send ? "/send" : "/disconnect");
        byte[] request = MalformedHttp.request("POST", path, contentType, body, chunked, rnd);
        input.append(target).append(' ').append(Bytes.printable(request));
        try (RawSocket s = new RawSocket(port, SO_TIMEOUT_MS)) {
            s.tryWrite(request);
            byte[] answer = s.readToEof(4096, READ_AT_MOST);
            int status = status(answer);
            outcomes.count("POST " + (send ? "send " : "disconnect ") + target + " " + (status < 0 ? "reset" : status));
            if (expected.contains(status)) {
                return null;
            }
            if (status < 0 && body.length > (send ? MAX_MESSAGE : MAX_DISCONNECT_BODY)) {
                return null; // refused before its body was read: the reset may overtake the 413
            }
            // the answer's body says whose refusal it was: the relay's one-line reason, or Jetty's page
            return "expected " + expected + ", got " + (status < 0 ? "no answer" : firstLine(answer) + " / " + body(answer));
        }
    }

    /** Sends {@code request}, then either resets (one time in {@code abortOneIn}) or sends EOF and reads the answer. */
    private String sendAndExpectNoServerError(OperationKind kind, byte[] request, int abortOneIn, Random rnd,
                                              StringBuilder input) throws IOException {
        input.append(Bytes.printable(request));
        try (RawSocket s = new RawSocket(port, SO_TIMEOUT_MS)) {
            if (!s.tryWrite(request) || rnd.nextInt(abortOneIn) == 0) {
                s.abort();
                outcomes.count(kind + " aborted");
                return null;
            }
            if (!s.shutdownOutput()) {
                return null;
            }
            return noServerError(kind, s.readToEof(64 * 1024, READ_AT_MOST));
        }
    }

    /** @return null, or the 5xx answer (501 and 505 aside: a transfer coding or version it does not speak) */
    private String noServerError(OperationKind kind, byte[] answer) {
        Matcher m = STATUS.matcher(new String(answer, StandardCharsets.ISO_8859_1));
        boolean any = false;
        while (m.find()) {
            any = true;
            int status = Integer.parseInt(m.group(1));
            outcomes.count(kind + " " + status);
            if (status >= 500 && status != 501 && status != 505) {
                return "answered " + status + ": " + firstLine(Arrays.copyOfRange(answer, m.start(), answer.length));
            }
        }
        if (!any) {
            outcomes.count(kind + " closed without an answer");
        }
        return null;
    }

    private static int status(byte[] answer) {
        String s = new String(answer, 0, Math.min(answer.length, 12), StandardCharsets.ISO_8859_1);
        return s.length() == 12 && s.startsWith("HTTP/1.1 ") ? Integer.parseInt(s.substring(9, 12)) : -1;
    }

    /** @return the body of an answer (after its head), at most 200 bytes of it, on one line */
    private static String body(byte[] answer) {
        String s = new String(answer, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\r\n\r\n");
        String b = at < 0 ? "" : s.substring(at + 4);
        return b.substring(0, Math.min(b.length(), 200)).replaceAll("\\s+", " ");
    }

    /** @return the first line of an answer, at most 200 bytes of it */
    static String firstLine(byte[] answer) {
        String s = new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.ISO_8859_1);
        int eol = s.indexOf('\r');
        return eol < 0 ? s : s.substring(0, eol);
    }
}
