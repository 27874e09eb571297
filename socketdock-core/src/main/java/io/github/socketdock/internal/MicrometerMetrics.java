package io.github.socketdock.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Meters with a fixed set of tags are made up front; close codes and statuses are made once each
 * on first use, from a small set: the close codes a client or backend may choose freely (3000-4999)
 * count as {@code 3xxx} and {@code 4xxx}, so nobody can make a series per code. {@link #close()}
 * removes every meter again, so a registry outlives the relay without holding on to it.
 */
final class MicrometerMetrics implements Metrics {

    static final String[] EVENTS = {"connect", "message", "disconnect"};

    private final MeterRegistry registry;
    private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
    /** Set by {@link #close()}: no new meter is registered after it. */
    private volatile boolean closedDown;
    private final Counter opened;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Map<String, Map<BackendOutcome, Timer>> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, Counter> sendAnswers = new ConcurrentHashMap<>();

    /**
     * @param registry a {@code MeterRegistry} (typed {@code Object} so that callers need not load Micrometer)
     * @param active   the open connections, for the gauge
     * @param buffered the bytes the budget holds, for the gauge
     */
    MicrometerMetrics(Object registry, Supplier<Number> active, Supplier<Number> buffered) {
        this.registry = (MeterRegistry) registry;
        kept(Gauge.builder("socketdock.connections.active", active).description("Open WebSocket connections")
                .register(this.registry));
        kept(Gauge.builder("socketdock.buffered.bytes", buffered).description("Bytes held under the relay's byte budget")
                .baseUnit("bytes").register(this.registry));
        opened = kept(Counter.builder("socketdock.connections.opened").description("WebSocket connections opened")
                .register(this.registry));
        messagesIn = counter("socketdock.messages", "WebSocket messages relayed", "direction", "in");
        messagesOut = counter("socketdock.messages", "WebSocket messages relayed", "direction", "out");
        bytesIn = counter("socketdock.message.bytes", "Payload bytes of the messages relayed", "direction", "in");
        bytesOut = counter("socketdock.message.bytes", "Payload bytes of the messages relayed", "direction", "out");
        for (String event : EVENTS) {
            Map<BackendOutcome, Timer> byOutcome = new EnumMap<>(BackendOutcome.class);
            for (BackendOutcome outcome : BackendOutcome.values()) {
                byOutcome.put(outcome, kept(Timer.builder("socketdock.backend.requests")
                        .description("HTTP requests to the backend, from sending to the end of the answer")
                        .tag("event", event).tag("outcome", outcome.tag())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(this.registry)));
            }
            requests.put(event, byOutcome);
            retries.put(event, counter("socketdock.backend.retries", "Backend requests retried", "event", event));
            failures.put(event, counter("socketdock.backend.failures",
                    "Events not delivered, or delivered without an answer, after their retries", "event", event));
        }
    }

    private <M extends Meter> M kept(M meter) {
        registered.add(meter);
        return meter;
    }

    private Counter counter(String name, String description, String tag, String value) {
        return kept(Counter.builder(name).description(description).tag(tag, value).register(registry));
    }

    /** The {@code code} tag: the codes of RFC 6455 as they are, the freely chosen ones by range. */
    static String codeTag(int code) {
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        if (code >= 4000 && code <= 4999) {
            return "4xxx";
        }
        return code >= 1000 && code <= 1015 ? Integer.toString(code) : "other";
    }

    @Override
    public void opened() {
        opened.increment();
    }

    @Override
    public void closed(int code) {
        if (closedDown) {
            return;
        }
        closed.computeIfAbsent(codeTag(code), tag -> counter("socketdock.connections.closed",
                "WebSocket connections closed, by close code", "code", tag)).increment();
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
        // statuses are the relay's own answers (a handful), or "failed" when none could be sent
        if (closedDown) {
            return;
        }
        String tag = status > 0 ? Integer.toString(status) : "failed";
        sendAnswers.computeIfAbsent(tag, t -> counter("socketdock.send.answers",
                "Answers to /socket/{id}/send, by HTTP status", "status", t)).increment();
    }

    @Override
    public void close() {
        closedDown = true;
        for (Meter m; (m = registered.poll()) != null; ) {
            registry.remove(m);
        }
    }
}
