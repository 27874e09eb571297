package io.github.socketdock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.internal.Metrics.BackendOutcome;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What {@link MicrometerMetrics} records, in a plain registry: which meters exist when, and the histogram's buckets. */
class MicrometerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerMetrics metrics = new MicrometerMetrics(registry, () -> 0, () -> 0);

    private List<Timer> histograms() {
        return List.copyOf(registry.find("socketdock.backend.requests").timers());
    }

    @Test
    void anIdleRelayHasNoLatencyHistogram() {
        assertThat(histograms()).isEmpty();
        assertThat(registry.getMeters()).as("gauges, counters by direction, retries and failures by event")
                .hasSize(2 + 1 + 4 + 3 + 3);
    }

    @Test
    void aBackendRequestMakesOneHistogramForItsEventAndOutcomeOnly() {
        metrics.backendRequest("message", BackendOutcome.SUCCESS, Duration.ofMillis(3).toNanos());
        metrics.backendRequest("message", BackendOutcome.SUCCESS, Duration.ofMillis(40).toNanos());
        metrics.backendRequest("connect", BackendOutcome.TIMEOUT, Duration.ofSeconds(31).toNanos());

        assertThat(histograms()).hasSize(2);
        Timer success = registry.get("socketdock.backend.requests").tags("event", "message", "outcome", "success").timer();
        assertThat(success.count()).isEqualTo(2);
        HistogramSnapshot snapshot = success.takeSnapshot();
        assertThat(snapshot.percentileValues()).as("no client-side percentiles").isEmpty();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        assertThat(Arrays.stream(buckets).map(b -> Duration.ofNanos((long) b.bucket())).toList())
                .isEqualTo(MicrometerMetrics.LATENCY_BUCKETS);
        assertThat(buckets[0].count()).as("≤ 5 ms").isEqualTo(1);
        assertThat(buckets[3].count()).as("≤ 50 ms").isEqualTo(2);

        Timer timeout = registry.get("socketdock.backend.requests").tags("event", "connect", "outcome", "timeout").timer();
        assertThat(timeout.takeSnapshot().histogramCounts()[MicrometerMetrics.LATENCY_BUCKETS.size() - 1].count())
                .as("31 s is past the last finite bucket: only +Inf holds it").isZero();
    }

    @Test
    void anEventOutsideTheClosedSetIsNotRecorded() {
        metrics.backendRequest("upgrade", BackendOutcome.SUCCESS, 1);
        metrics.backendRetry("upgrade");
        metrics.backendFailure("upgrade");
        assertThat(histograms()).isEmpty();
        assertThat(registry.find("socketdock.backend.retries").counters()).hasSize(3);
    }

    @Test
    void theBucketsAreAtMostTwelveAscendingAndEndAtTheDefaultBackendTimeout() {
        List<Duration> buckets = MicrometerMetrics.LATENCY_BUCKETS;
        assertThat(buckets).hasSizeLessThanOrEqualTo(12).isSorted().doesNotHaveDuplicates()
                .contains(HttpBackendOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(buckets.get(buckets.size() - 1)).isEqualTo(HttpBackendOptions.DEFAULT_TIMEOUT);
    }

    @Test
    void outcomesAreAClosedSetOfStatusClassesTimeoutAndUnreachable() {
        assertThat(BackendOutcome.of(204, null).tag()).isEqualTo("success");
        assertThat(BackendOutcome.of(404, null).tag()).isEqualTo("client_error");
        assertThat(BackendOutcome.of(302, null).tag()).isEqualTo("client_error");
        assertThat(BackendOutcome.of(503, null).tag()).isEqualTo("server_error");
        assertThat(BackendOutcome.of(0, new CompletionException(new TimeoutException("30s"))).tag()).isEqualTo("timeout");
        assertThat(BackendOutcome.of(0, new ConnectException("refused")).tag()).isEqualTo("unreachable");
        assertThat(BackendOutcome.of(0, new IOException("reset")).tag()).isEqualTo("unreachable");
    }

    @Test
    void closeCodesCountAsTheyAreOrByRange() {
        for (int code : new int[] {1000, 1006, 3001, 3999, 4000, 4999, 999, 5000}) {
            metrics.closed(code);
        }
        assertThat(registry.find("socketdock.connections.closed").counters())
                .map(c -> c.getId().getTag("code")).containsExactlyInAnyOrder("1000", "1006", "3xxx", "4xxx", "other");
    }

    @Test
    void afterCloseTheRegistryIsEmptyAndStaysEmpty() {
        metrics.backendRequest("message", BackendOutcome.SUCCESS, 1);
        metrics.sendAnswered(200);
        metrics.closed(1000);
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();

        metrics.backendRequest("message", BackendOutcome.SERVER_ERROR, 1);
        metrics.backendRequest("disconnect", BackendOutcome.SUCCESS, 1);
        metrics.sendAnswered(410);
        metrics.closed(1001);
        metrics.opened();
        assertThat(registry.getMeters()).as("nothing is made after close").isEmpty();
    }
}
