package io.github.socketdock.harness.fuzz;

import static io.github.socketdock.harness.fuzz.RandomData.bytes;

import io.github.socketdock.fixtures.RawSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests for the HTTP port, as raw bytes: well-formed POSTs to the callback routes (with a
 * Content-Length or chunked), random bytes behind a plausible prefix, and valid requests garbled
 * by cuts, flipped bytes, stray line ends, bad lengths, methods and versions.
 */
final class MalformedHttp {

    private MalformedHttp() {
    }

    /** @return random bytes, at times behind the start of a request */
    static byte[] randomBytes(Random rnd) {
        String[] prefixes = {"", "", "GET ", "POST /socket/", "GET /ws HTTP/1.1\r\n", "\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"};
        String prefix = prefixes[rnd.nextInt(prefixes.length)];
        byte[] junk = bytes(rnd, 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 20_000 : 600));
        return Bytes.concat(prefix.getBytes(StandardCharsets.ISO_8859_1), junk);
    }

    /** @return a valid request of operation {@code op}, garbled one to three times */
    static byte[] garbled(int op, Random rnd, SocketIds ids) {
        return mutate(rnd, baseRequest(op, rnd, ids), 1 + rnd.nextInt(3));
    }

    /** @return a request with {@code Connection: close}, its body sent whole or in random chunks */
    static byte[] request(String method, String path, String contentType, byte[] body, boolean chunked, Random rnd) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1 + rnd.nextInt(body.length < 100 ? 50 : body.length / 3 + 1));
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                at += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** @return a header line with a random name suffix and a value of printable and high bytes */
    static String junkHeader(Random rnd) {
        StringBuilder v = new StringBuilder();
        for (int i = 0, n = rnd.nextInt(60); i < n; i++) {
            int c = rnd.nextInt(10) == 0 ? 0x80 + rnd.nextInt(0x80) : 0x20 + rnd.nextInt(0x5F);
            v.append((char) c);
        }
        return "X-Junk-" + rnd.nextInt(1000) + ": " + v.toString().strip();
    }

    /** A valid request to garble; a disconnect only of an id that is no socket's. */
    private static byte[] baseRequest(int op, Random rnd, SocketIds ids) {
        switch (rnd.nextInt(6)) {
            case 0, 1 -> {
                Target target = Target.values()[rnd.nextInt(4)];
                String id = ids.pick(target, rnd);
                if (id == null) {
                    id = ids.pick(Target.UNKNOWN, rnd);
                }
                byte[] body = rnd.nextInt(10) == 0 ? CallbackBodies.sendBody(rnd) : bytes(rnd, rnd.nextInt(300));
                return request("POST", "/socket/" + id + "/send", CallbackBodies.contentType(rnd), body,
                        rnd.nextInt(3) == 0, rnd);
            }
            case 2 -> {
                // never a real id: a garbled body or length may turn into a well-formed close request
                String id = ids.pick(rnd.nextBoolean() ? Target.UNKNOWN : Target.MALFORMED, rnd);
                return request("POST", "/socket/" + id + "/disconnect", "application/json",
                        CallbackBodies.disconnectBody(rnd), rnd.nextInt(3) == 0, rnd);
            }
            case 3 -> {
                return RawSocket.upgradeRequest(bytes(rnd, 16), "X-Fuzz-Op: g" + op)
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                String[] lines = {"GET /ws HTTP/1.1", "GET / HTTP/1.1",
                    "PUT /socket/" + Bytes.hex(bytes(rnd, 16)) + "/send HTTP/1.1", "OPTIONS * HTTP/1.1",
                    "GET /socket/%2e%2e/%2fws HTTP/1.1", "GET http://127.0.0.1/ws HTTP/1.1"};
                return (lines[rnd.nextInt(lines.length)] + "\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static byte[] mutate(Random rnd, byte[] request, int times) {
        byte[] r = request;
        for (int t = 0; t < times; t++) {
            String s = new String(r, StandardCharsets.ISO_8859_1);
            switch (rnd.nextInt(11)) {
                case 0 -> r = Arrays.copyOf(r, rnd.nextInt(Math.max(1, r.length)));
                case 1 -> {
                    for (int i = 0, n = 1 + rnd.nextInt(4); i < n && r.length > 0; i++) {
                        r[rnd.nextInt(r.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> {
                    int at = rnd.nextInt(r.length + 1);
                    r = Bytes.concat(Arrays.copyOf(r, at), bytes(rnd, 1 + rnd.nextInt(32)), Arrays.copyOfRange(r, at, r.length));
                }
                case 3 -> {
                    int from = rnd.nextInt(r.length + 1);
                    int to = Math.min(r.length, from + rnd.nextInt(40));
                    r = Bytes.concat(Arrays.copyOf(r, from), Arrays.copyOfRange(r, to, r.length));
                }
                case 4 -> r = s.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
                case 5 -> {
                    String[] lengths = {"-1", "0", "1", "999999999", "99999999999999999999", "abc", "0x10", " 5", "5 5",
                        "", Integer.toString(rnd.nextInt(100_000))};
                    r = s.replaceFirst("Content-Length: \\d+", "Content-Length: " + lengths[rnd.nextInt(lengths.length)])
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                case 6 -> {
                    String[] lines = s.split("\r\n", -1);
                    if (lines.length > 2) {
                        int i = 1 + rnd.nextInt(lines.length - 2);
                        r = s.replaceFirst(Pattern.quote(lines[i] + "\r\n"), Matcher.quoteReplacement(lines[i] + "\r\n"
                                + lines[i] + "\r\n")).getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
                case 7 -> r = s.replaceFirst("\r\n", Matcher.quoteReplacement("\r\nX-Big: "
                        + "x".repeat(8 * 1024 + rnd.nextInt(32 * 1024)) + "\r\n")).getBytes(StandardCharsets.ISO_8859_1);
                case 8 -> {
                    int at = rnd.nextInt(r.length + 1);
                    byte[][] strays = {{0}, {'\r'}, {'\n'}, {'\r', '\n'}, {'\r', '\n', '\r', '\n'}, {(byte) 0xFF}};
                    r = Bytes.concat(Arrays.copyOf(r, at), strays[rnd.nextInt(strays.length)],
                            Arrays.copyOfRange(r, at, r.length));
                }
                case 9 -> {
                    String[] methods = {"post", "P0ST", "GET", "DELETE", "CONNECT", "TRACE", "BREW", "X".repeat(300)};
                    int sp = s.indexOf(' ');
                    if (sp > 0) {
                        r = (methods[rnd.nextInt(methods.length)] + s.substring(sp)).getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
                default -> {
                    String[] versions = {"HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "HTTP/9.9", "HTTP/1", "http/1.1", ""};
                    r = s.replaceFirst("HTTP/1\\.1", Matcher.quoteReplacement(versions[rnd.nextInt(versions.length)]))
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
            }
        }
        return r;
    }
}
