package io.github.socketdock.internal;

import io.github.socketdock.http.WebhookVerifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * Signs backend requests as Standard Webhooks: a {@code webhook-id} per event (kept across its
 * retries), a {@code webhook-timestamp} per attempt, and one {@code v1} signature per secret.
 */
final class WebhookSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> secrets;
    private final Clock clock;

    WebhookSigner(List<String> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    boolean enabled() {
        return !secrets.isEmpty();
    }

    /** @return a new event id: {@code msg_} and 128 random bits in hex, no dots */
    static String newId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return "msg_" + HexFormat.of().formatHex(bits);
    }

    /** @return the unix seconds to send as {@code webhook-timestamp} now */
    long timestamp() {
        return clock.instant().getEpochSecond();
    }

    /** @return the {@code webhook-signature} value for this attempt */
    String signature(String id, long timestamp, byte[] body) {
        StringJoiner all = new StringJoiner(" ");
        for (String secret : secrets) {
            all.add(WebhookVerifier.sign(secret, id, timestamp, body));
        }
        return all.toString();
    }
}
