package io.github.socketdock.harness.fuzz;

import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_DISCONNECT_BODY;
import static io.github.socketdock.harness.fuzz.FuzzLimits.MAX_MESSAGE;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The answers the README promises for a well-formed POST to a callback route, by route, target,
 * content type and body: its table of statuses, written out as the test's own oracle.
 */
final class CallbackAnswers {

    private CallbackAnswers() {
    }

    /** @return every status the relay may answer; more than one where the storm races the POST */
    static Set<Integer> expected(boolean send, Target target, String contentType, byte[] body, boolean chunked) {
        Set<Integer> s = new HashSet<>();
        if (send && !chunked && body.length > MAX_MESSAGE) {
            return Set.of(413);
        }
        if (target == Target.MALFORMED) {
            return Set.of(404);
        }
        if (target == Target.UNKNOWN) {
            return Set.of(410);
        }
        if (target == Target.STORM) {
            s.add(410);
        }
        if (send) {
            if (target == Target.STORM) {
                s.add(503);
            }
            Charset charset;
            try {
                charset = textCharset(contentType);
            } catch (IllegalArgumentException e) {
                s.add(415);
                return s;
            }
            if (body.length > MAX_MESSAGE) {
                s.add(413);
            } else if (charset != null && !Bytes.decodes(charset, body)) {
                s.add(400);
            } else if (charset != null && new String(body, charset).getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE) {
                s.add(413); // the frame is the text in UTF-8, which may be larger than the body
            } else {
                s.add(200);
            }
            return s;
        }
        if (body.length > MAX_DISCONNECT_BODY) {
            s.add(413);
        } else if (target == Target.HEALTHY) {
            s.add(400);
        } else {
            s.add(200);
            s.add(400);
        }
        return s;
    }

    /**
     * The README's rule: the charset of a text/* type (UTF-8 when none); null for any other type or
     * none (a binary frame); IAE for an unknown charset (415).
     */
    private static Charset textCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (parts.length == 0 || !parts[0].strip().toLowerCase(Locale.ROOT).startsWith("text/")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String name = p.substring(eq + 1).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(name);
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
