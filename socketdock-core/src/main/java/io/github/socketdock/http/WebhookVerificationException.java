package io.github.socketdock.http;

/**
 * A request failed {@link WebhookVerifier#verify}: a header is missing or malformed, the timestamp
 * is outside the tolerance, or no signature matches any secret. The message says which, never
 * what the expected signature would have been.
 */
public class WebhookVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what did not verify
     */
    public WebhookVerificationException(String message) {
        super(message);
    }
}
