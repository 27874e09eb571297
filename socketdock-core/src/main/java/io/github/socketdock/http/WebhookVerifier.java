package io.github.socketdock.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a request really comes from a SocketDock that holds one of your signing secrets: the
 * receiving side of the {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}
 * headers that SocketDock's {@code http} backend adds when given signing secrets, as the
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> specification defines them.
 * Any Standard Webhooks library verifies the same requests; this one is here for Java backends that
 * already depend on SocketDock.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * verifier.verify(headers, body);   // throws WebhookVerificationException if forged, stale or altered
 * }</pre>
 *
 * <p>Verify the body exactly as received, before parsing it. Signatures are compared in constant
 * time. A timestamp more than the tolerance (5 minutes by default) away from now is refused, which
 * bounds replays; use {@code webhook-id} as an idempotency key to refuse them entirely. Give
 * several secrets to rotate without downtime: a request verifies if any signature matches any
 * secret. Instances are immutable and thread-safe.
 */
public final class WebhookVerifier {

    /** Default tolerance between the {@code webhook-timestamp} and now: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<byte[]> keys;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(List<byte[]> keys, Duration tolerance, Clock clock) {
        this.keys = keys;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * A verifier for one or more secrets, with the default tolerance.
     *
     * @param secrets secrets as {@code whsec_<base64>} (the prefix may be left out)
     * @return the verifier
     * @throws IllegalArgumentException if no secret is given or one is not base64
     */
    public static WebhookVerifier of(String... secrets) {
        return of(List.of(secrets), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * A verifier with its own tolerance and clock (a fixed clock in tests).
     *
     * @param secrets   secrets as {@code whsec_<base64>} (the prefix may be left out)
     * @param tolerance how far the timestamp may be from now, either way
     * @param clock     the clock that says what now is
     * @return the verifier
     * @throws IllegalArgumentException if no secret is given or one is not base64
     */
    public static WebhookVerifier of(List<String> secrets, Duration tolerance, Clock clock) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("give at least one signing secret");
        }
        List<byte[]> keys = new ArrayList<>();
        for (String s : secrets) {
            keys.add(SigningSecrets.decode(s));
        }
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
        }
        return new WebhookVerifier(List.copyOf(keys), tolerance, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Verifies a request from its headers (names in any case) and its body as received.
     *
     * @param headers the request headers; a name that appears more than once may not be one of the three
     * @param body    the body, exactly as received
     * @throws WebhookVerificationException if the request is not authentic or too old
     */
    public void verify(Map<String, String> headers, byte[] body) throws WebhookVerificationException {
        String id = null;
        String timestamp = null;
        String signatures = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            switch (h.getKey().toLowerCase(Locale.ROOT)) {
                case "webhook-id":
                    id = h.getValue();
                    break;
                case "webhook-timestamp":
                    timestamp = h.getValue();
                    break;
                case "webhook-signature":
                    signatures = h.getValue();
                    break;
                default:
                    break;
            }
        }
        verify(id, timestamp, signatures, body);
    }

    /**
     * Verifies a request from the values of its three headers and its body as received.
     *
     * @param id         the {@code webhook-id} header
     * @param timestamp  the {@code webhook-timestamp} header (unix seconds)
     * @param signatures the {@code webhook-signature} header (space-separated {@code v1,<base64>})
     * @param body       the body, exactly as received
     * @throws WebhookVerificationException if the request is not authentic or too old
     */
    public void verify(String id, String timestamp, String signatures, byte[] body) throws WebhookVerificationException {
        if (id == null || id.isEmpty() || timestamp == null || signatures == null || body == null) {
            throw new WebhookVerificationException("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not a number of seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (seconds < now - tolerance.getSeconds() || seconds > now + tolerance.getSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp is outside the tolerance of " + tolerance);
        }
        byte[] signed = signedContent(id, seconds, body);
        for (byte[] key : keys) {
            byte[] expected = hmac(key, signed);
            for (String candidate : signatures.strip().split(" +")) {
                int comma = candidate.indexOf(',');
                if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return;
                }
            }
        }
        throw new WebhookVerificationException("no signature matches");
    }

    /**
     * Computes the signature a sender puts in {@code webhook-signature} for one secret:
     * {@code v1,<base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>">}. SocketDock's {@code http}
     * backend signs with it; a test of your own verifier can too.
     *
     * @param secret    the secret as {@code whsec_<base64>} (the prefix may be left out)
     * @param id        the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp}, unix seconds
     * @param body      the body exactly as sent
     * @return {@code v1,<base64>}
     */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(SigningSecrets.decode(secret), signedContent(id, timestamp, body)));
    }

    /** {@code <id>.<timestamp>.<body>} as bytes. */
    static byte[] signedContent(String id, long timestamp, byte[] body) {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookVerifier[" + keys.size() + " secrets, tolerance " + tolerance + "]";
    }
}
