package io.github.socketdock.internal.backend;

import io.github.socketdock.http.WebhookVerifier;
import io.github.socketdock.internal.wire.RequestBody;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs backend requests as Standard Webhooks: a {@code webhook-id} per event (kept across its
 * retries), a {@code webhook-timestamp} per attempt, and one {@code v1} signature per secret.
 */
final class WebhookSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> secrets;
    private final Clock clock;
    private final List<SecretKeySpec> keys;

    WebhookSigner(List<String> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
        // the options checked each secret when they were built: whsec_ and base64
        this.keys = secrets.stream()
                .map(s -> new SecretKeySpec(Base64.getDecoder().decode(s.strip().replaceFirst("^whsec_", "")), "HmacSHA256"))
                .toList();
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

    /**
     * @return the {@code webhook-signature} value for this attempt of {@code body}, as
     *     {@link WebhookVerifier#sign} makes it of the body's bytes, computed as the body is read:
     *     nothing the size of the body is copied
     */
    String signature(String id, long timestamp, RequestBody body) {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        StringJoiner all = new StringJoiner(" ");
        for (SecretKeySpec key : keys) {
            Mac mac;
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
            mac.update(head);
            body.update(mac);
            all.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return all.toString();
    }
}
