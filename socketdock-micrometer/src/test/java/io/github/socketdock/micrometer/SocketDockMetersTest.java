package io.github.socketdock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.SocketDockListener.BackendCall;
import io.github.socketdock.SocketDockListener.BackendEvent;
import io.github.socketdock.SocketDockListener.BackendOutcome;
import io.github.socketdock.SocketDockListener.GiveUpReason;
import io.github.socketdock.http.HttpBackendOptions;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link SocketDockMeters} records, in a plain registry: which meters exist when, and the histogram's buckets. */
class SocketDockMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SocketDockMeters meters = new SocketDockMeters(registry);

    private List<Timer> histograms() {
        return List.copyOf(registry.find("socketdock.backend.requests").timers());
    }

    private static BackendCall call(BackendEvent event, int attempt, BackendOutcome outcome, Duration took) {
        return new BackendCall("c1", event, 0, attempt, outcome, 0, took);
    }

    @Test
    void anIdleRelayHasNoLatencyHistogram() {
        assertThat(histograms()).isEmpty();
        assertThat(registry.getMeters()).as("gauges, counters by direction, retries and failures by event")
                .hasSize(2 + 1 + 4 + 3 + 3);
    }

    @Test
    void aBackendRequestMakesOneHistogramForItsEventAndOutcomeOnly() {
        meters.backendCall(call(BackendEvent.MESSAGE, 1, BackendOutcome.SUCCESS, Duration.ofMillis(3)));
        meters.backendCall(call(BackendEvent.MESSAGE, 1, BackendOutcome.SUCCESS, Duration.ofMillis(40)));
        meters.backendCall(call(BackendEvent.CONNECT, 1, BackendOutcome.TIMEOUT, Duration.ofSeconds(31)));

        assertThat(histograms()).hasSize(2);
        Timer success = registry.get("socketdock.backend.requests").tags("event", "message", "outcome", "success").timer();
        assertThat(success.count()).isEqualTo(2);
        HistogramSnapshot snapshot = success.takeSnapshot();
        assertThat(snapshot.percentileValues()).as("no client-side percentiles").isEmpty();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        assertThat(Arrays.stream(buckets).map(b -> Duration.ofNanos((long) b.bucket())).toList())
                .isEqualTo(SocketDockMeters.LATENCY_BUCKETS);
        assertThat(buckets[0].count()).as("≤ 5 ms").isEqualTo(1);
        assertThat(buckets[3].count()).as("≤ 50 ms").isEqualTo(2);

        Timer timeout = registry.get("socketdock.backend.requests").tags("event", "connect", "outcome", "timeout").timer();
        assertThat(timeout.takeSnapshot().histogramCounts()[SocketDockMeters.LATENCY_BUCKETS.size() - 1].count())
                .as("31 s is past the last finite bucket: only +Inf holds it").isZero();
    }

    @Test
    void aSecondTryIsARetryAndAGiveUpIsAFailureOfItsEvent() {
        meters.backendCall(call(BackendEvent.MESSAGE, 1, BackendOutcome.SERVER_ERROR, Duration.ofMillis(1)));
        meters.backendCall(call(BackendEvent.MESSAGE, 2, BackendOutcome.SERVER_ERROR, Duration.ofMillis(1)));
        meters.backendCall(call(BackendEvent.MESSAGE, 3, BackendOutcome.SERVER_ERROR, Duration.ofMillis(1)));
        meters.backendGaveUp("c1", BackendEvent.MESSAGE, GiveUpReason.UNDELIVERED);
        meters.backendGaveUp("c1", BackendEvent.DISCONNECT, GiveUpReason.NO_ANSWER);

        assertThat(registry.get("socketdock.backend.retries").tags("event", "message").counter().count()).isEqualTo(2);
        assertThat(registry.get("socketdock.backend.failures").tags("event", "message").counter().count()).isEqualTo(1);
        assertThat(registry.get("socketdock.backend.failures").tags("event", "disconnect").counter().count()).isEqualTo(1);
        assertThat(registry.get("socketdock.backend.failures").tags("event", "connect").counter().count()).isZero();
    }

    @Test
    void theBucketsAreAtMostTwelveAscendingAndEndAtTheDefaultBackendTimeout() {
        List<Duration> buckets = SocketDockMeters.LATENCY_BUCKETS;
        assertThat(buckets).hasSizeLessThanOrEqualTo(12).isSorted().doesNotHaveDuplicates()
                .contains(HttpBackendOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(buckets.get(buckets.size() - 1)).isEqualTo(HttpBackendOptions.DEFAULT_TIMEOUT);
    }

    @Test
    void closeCodesCountAsTheyAreOrByRange() {
        for (int code : new int[] {1000, 1006, 3001, 3999, 4000, 4999, 999, 5000}) {
            meters.connectionClosed(null, new CloseStatus(code, ""));
        }
        assertThat(registry.find("socketdock.connections.closed").counters())
                .map(c -> c.getId().getTag("code")).containsExactlyInAnyOrder("1000", "1006", "3xxx", "4xxx", "other");
    }

    @Test
    void theGaugesFollowOpensClosesAndTheBudgetLevel() {
        meters.connectionOpened(null);
        meters.connectionOpened(null);
        meters.connectionClosed(null, new CloseStatus(1000, ""));
        meters.budgetLevel(4096, 1 << 20);
        assertThat(registry.get("socketdock.connections.active").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("socketdock.buffered.bytes").gauge().value()).isEqualTo(4096.0);
        assertThat(registry.get("socketdock.connections.opened").counter().count()).isEqualTo(2.0);
    }

    @Test
    void afterCloseTheRegistryIsEmptyAndStaysEmpty() {
        meters.backendCall(call(BackendEvent.MESSAGE, 1, BackendOutcome.SUCCESS, Duration.ofNanos(1)));
        meters.sendAnswered("c1", 200);
        meters.connectionClosed(null, new CloseStatus(1000, ""));
        meters.close();
        assertThat(registry.getMeters()).isEmpty();

        meters.backendCall(call(BackendEvent.MESSAGE, 1, BackendOutcome.SERVER_ERROR, Duration.ofNanos(1)));
        meters.backendCall(call(BackendEvent.DISCONNECT, 1, BackendOutcome.SUCCESS, Duration.ofNanos(1)));
        meters.sendAnswered("c1", 410);
        meters.connectionClosed(null, new CloseStatus(1001, ""));
        meters.connectionOpened(null);
        assertThat(registry.getMeters()).as("nothing is made after close").isEmpty();
    }
}
