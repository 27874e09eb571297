package io.github.socketdock.internal.backend;

import io.github.socketdock.internal.common.Ticker;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a backend request that provably did not reach the backend is tried again: exponential
 * backoff from {@code backoff}, doubling, with equal jitter (half of each delay is fixed, the other
 * half random), each delay capped at 30 s; at most {@code maxRetries} retries, and none that would
 * start after {@code deadline} (a {@link Ticker} reading; {@code Long.MAX_VALUE} for none).
 */
record RetryPolicy(int maxRetries, Duration backoff, long deadline) {

    private static final long MAX_DELAY = Duration.ofSeconds(30).toNanos();

    /** A policy bounded by a number of retries. */
    static RetryPolicy retries(int maxRetries, Duration backoff) {
        return new RetryPolicy(maxRetries, backoff, Long.MAX_VALUE);
    }

    /** A policy bounded by time alone: retries until {@code period} from {@code now} (a ticker reading) has passed. */
    static RetryPolicy forPeriod(Duration period, Duration backoff, long now) {
        return new RetryPolicy(Integer.MAX_VALUE, backoff, now + period.toNanos());
    }

    /**
     * @param retry the retry about to be scheduled, 1 for the first
     * @param now   the ticker's time
     * @return the delay before it in nanoseconds, or -1 if no retry is allowed
     */
    long delayBefore(int retry, long now) {
        if (retry > maxRetries) {
            return -1;
        }
        long base = backoff.toNanos();
        long full = retry >= 40 ? MAX_DELAY : Math.min(MAX_DELAY, base << Math.min(retry - 1, 40));
        if (full < 0) {
            full = MAX_DELAY;
        }
        long half = full / 2;
        long delay = half + ThreadLocalRandom.current().nextLong(half + 1);
        if (deadline != Long.MAX_VALUE && now + delay > deadline) {
            long left = deadline - now;
            return left > 0 ? left : -1;
        }
        return delay;
    }
}
