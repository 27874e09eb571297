package io.github.socketdock.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The relay's meters in a Micrometer registry (Prometheus names in brackets):
 * <ul>
 *   <li>{@code socketdock.connections.active} gauge [{@code socketdock_connections_active}]</li>
 *   <li>{@code socketdock.connections.opened}, {@code socketdock.connections.closed} by {@code code}</li>
 *   <li>{@code socketdock.messages} and {@code socketdock.message.bytes} by {@code direction} (in, out)</li>
 *   <li>{@code socketdock.backend.requests} timer with a histogram, by {@code event} and {@code outcome}</li>
 *   <li>{@code socketdock.backend.retries} and {@code socketdock.backend.failures} by {@code event}</li>
 *   <li>{@code socketdock.send.answers} by {@code status}</li>
 *   <li>{@code socketdock.buffered.bytes} gauge: the byte budget in use</li>
 * </ul>
 * Meters with a fixed set of tags are made up front; close codes and statuses, which come from a
 * bounded range, are made once each on first use.
 */
final class MicrometerMetrics implements Metrics {

    static final String[] EVENTS = {"connect", "message", "disconnect"};

    private final MeterRegistry registry;
    private final Counter opened;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Map<String, Map<BackendOutcome, Timer>> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> closed = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> sendAnswers = new ConcurrentHashMap<>();

    /**
     * @param registry a {@code MeterRegistry} (typed {@code Object} so that callers need not load Micrometer)
     * @param active   the open connections, for the gauge
     * @param buffered the bytes the budget holds, for the gauge
     */
    MicrometerMetrics(Object registry, Supplier<Number> active, Supplier<Number> buffered) {
        this.registry = (MeterRegistry) registry;
        Gauge.builder("socketdock.connections.active", active).description("Open WebSocket connections")
                .register(this.registry);
        Gauge.builder("socketdock.buffered.bytes", buffered).description("Bytes held under the relay's byte budget")
                .baseUnit("bytes").register(this.registry);
        opened = Counter.builder("socketdock.connections.opened").description("WebSocket connections opened")
                .register(this.registry);
        messagesIn = messages("in");
        messagesOut = messages("out");
        bytesIn = bytes("in");
        bytesOut = bytes("out");
        for (String event : EVENTS) {
            Map<BackendOutcome, Timer> byOutcome = new EnumMap<>(BackendOutcome.class);
            for (BackendOutcome outcome : BackendOutcome.values()) {
                byOutcome.put(outcome, Timer.builder("socketdock.backend.requests")
                        .description("HTTP requests to the backend, from sending to the end of the answer")
                        .tag("event", event).tag("outcome", outcome.tag())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(this.registry));
            }
            requests.put(event, byOutcome);
            retries.put(event, Counter.builder("socketdock.backend.retries")
                    .description("Backend requests retried").tag("event", event).register(this.registry));
            failures.put(event, Counter.builder("socketdock.backend.failures")
                    .description("Events not delivered, or delivered without an answer, after their retries")
                    .tag("event", event).register(this.registry));
        }
    }

    private Counter messages(String direction) {
        return Counter.builder("socketdock.messages").description("WebSocket messages relayed")
                .tag("direction", direction).register(registry);
    }

    private Counter bytes(String direction) {
        return Counter.builder("socketdock.message.bytes").description("Payload bytes of the messages relayed")
                .tag("direction", direction).register(registry);
    }

    @Override
    public void opened() {
        opened.increment();
    }

    @Override
    public void closed(int code) {
        // close codes are 1000-4999 (1006 included): a bounded set of meters
        closed.computeIfAbsent(code, c -> Counter.builder("socketdock.connections.closed")
                .description("WebSocket connections closed, by close code").tag("code", Integer.toString(c))
                .register(registry)).increment();
    }

    @Override
    public void messageIn(long bytes) {
        messagesIn.increment();
        bytesIn.increment(bytes);
    }

    @Override
    public void messageOut(long bytes) {
        messagesOut.increment();
        bytesOut.increment(bytes);
    }

    @Override
    public void backendRequest(String event, BackendOutcome outcome, long nanos) {
        Map<BackendOutcome, Timer> byOutcome = requests.get(event);
        if (byOutcome != null) {
            byOutcome.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void backendRetry(String event) {
        Counter c = retries.get(event);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void backendFailure(String event) {
        Counter c = failures.get(event);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void sendAnswered(int status) {
        // statuses are 100-599: a bounded set of meters
        sendAnswers.computeIfAbsent(status, s -> Counter.builder("socketdock.send.answers")
                .description("Answers to /socket/{id}/send, by HTTP status").tag("status", Integer.toString(s))
                .register(registry)).increment();
    }
}
