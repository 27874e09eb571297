package io.github.socketdock.http;

import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@code http} backend retries a request: how many times, and how long it waits before
 * the first retry (each further retry waits twice as long, with jitter).
 *
 * <p>A request is retried when it did not reach the backend (the connection was refused, or failed
 * before the request was fully sent), when the backend answered 503, and when it was written whole
 * but its connection failed before any answer began (the backend may have handled it: the retry
 * carries the same {@code SocketDock-Message-Id}, by which the backend can drop the duplicate). A
 * request answered otherwise, or not within the {@linkplain HttpBackendOptions#timeout() timeout},
 * is not retried. A message still undelivered after its retries closes its socket with 1011, so
 * the client reconnects and resends. Disconnects are retried for {@link #DISCONNECT_RETRY_PERIOD}
 * whatever the number of retries says. See the README's "Delivery" section for the whole contract.
 *
 * <pre>{@code
 * HttpBackendOptions options = HttpBackendOptions.builder(URI.create("http://mediator:3000/message"))
 *         .retry(Retry.defaults().withRetries(3).withBackoff(Duration.ofMillis(250)))
 *         .build();
 * }</pre>
 *
 * <p>Immutable: each {@code with…} method checks its value and returns a new value, or throws
 * {@link IllegalArgumentException} with a message that names the setting.
 * {@link #toString()} writes the backoff as the command line takes it:
 * {@code Retry[retries=5, retryBackoff=1s]}.
 */
public final class Retry {

    /** Default number of retries of a request that provably did not reach the backend: 5. */
    public static final int DEFAULT_RETRIES = 5;
    /** Default delay before the first retry, doubling each time: 1 second. */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    /** How long a disconnect notification keeps being retried, whatever the retry count: 60 seconds. */
    public static final Duration DISCONNECT_RETRY_PERIOD = Duration.ofSeconds(60);

    private static final Retry DEFAULTS = new Retry(DEFAULT_RETRIES, DEFAULT_BACKOFF);

    private final int retries;
    private final Duration backoff;

    /** Every value passes through here, so the rules are checked in one place. */
    private Retry(int retries, Duration backoff) {
        if (retries < 0) {
            throw new IllegalArgumentException("backend retries must not be negative, got " + retries);
        }
        this.retries = retries;
        this.backoff = Require.positive("backend retry backoff", backoff);
    }

    /** @return 5 retries, the first after 1 second */
    public static Retry defaults() {
        return DEFAULTS;
    }

    /**
     * How often a request is retried. Default 5.
     *
     * @param retries zero (no retries) or more
     * @return these settings with that number
     */
    public Retry withRetries(int retries) {
        return new Retry(retries, backoff);
    }

    /**
     * The delay before the first retry; each further retry waits twice as long, with jitter (a
     * random half of each delay is dropped, so instances do not retry in step), each delay at most
     * 30 seconds. Default 1 second.
     *
     * @param backoff positive
     * @return these settings with that delay
     */
    public Retry withBackoff(Duration backoff) {
        return new Retry(retries, backoff);
    }

    /** @return how often a request is retried; 0 for never */
    public int retries() {
        return retries;
    }

    /** @return the delay before the first retry; it doubles with each retry */
    public Duration backoff() {
        return backoff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Retry r && retries == r.retries && backoff.equals(r.backoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(retries, backoff);
    }

    @Override
    public String toString() {
        return "Retry[" + settings() + "]";
    }

    /** @return the settings as {@link HttpBackendOptions#toString()} writes them */
    String settings() {
        return "retries=" + retries + ", retryBackoff=" + LogText.duration(backoff);
    }
}
