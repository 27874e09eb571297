package io.github.socketdock.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void delaysDoubleWithEqualJitterAndStopAfterTheLastRetry() {
        RetryPolicy p = RetryPolicy.retries(5, Duration.ofSeconds(1));
        for (int round = 0; round < 200; round++) {
            for (int retry = 1; retry <= 5; retry++) {
                long full = SECOND << (retry - 1);
                assertThat(p.delayBefore(retry, 0)).as("retry " + retry).isBetween(full / 2, full);
            }
            assertThat(p.delayBefore(6, 0)).isEqualTo(-1);
        }
    }

    @Test
    void theJitterReallyVaries() {
        RetryPolicy p = RetryPolicy.retries(3, Duration.ofSeconds(1));
        long first = p.delayBefore(3, 0);
        boolean varied = false;
        for (int i = 0; i < 100 && !varied; i++) {
            varied = p.delayBefore(3, 0) != first;
        }
        assertThat(varied).isTrue();
    }

    @Test
    void eachDelayIsCappedAt30Seconds() {
        RetryPolicy p = RetryPolicy.retries(100, Duration.ofSeconds(1));
        for (int retry : new int[] {6, 10, 40, 63, 100}) {
            assertThat(p.delayBefore(retry, 0)).isBetween(15 * SECOND, 30 * SECOND);
        }
    }

    @Test
    void aPeriodPolicyRetriesUntilItsDeadlineWhateverTheCount() {
        RetryPolicy p = RetryPolicy.forPeriod(Duration.ofSeconds(60), Duration.ofSeconds(1), 0);
        assertThat(p.delayBefore(1000, 0)).isPositive().isLessThanOrEqualTo(30 * SECOND);
        RetryPolicy over = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), - 1);
        assertThat(over.delayBefore(1, 0)).isEqualTo(-1);
        RetryPolicy nearlyOver = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(10), SECOND);
        assertThat(nearlyOver.delayBefore(5, 0)).as("the last delay is cut to the deadline").isLessThanOrEqualTo(SECOND);
    }
}
