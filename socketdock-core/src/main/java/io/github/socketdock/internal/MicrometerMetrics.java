package io.github.socketdock.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The relay's meters in a Micrometer registry (Prometheus names in brackets; each is in the
 * README's metrics table):
 * <ul>
 *   <li>{@code socketdock.connections.active} gauge [{@code socketdock_connections_active}]</li>
 *   <li>{@code socketdock.connections.opened} [{@code socketdock_connections_opened_total}],
 *       {@code socketdock.connections.closed} by {@code code} [{@code socketdock_connections_closed_total}]</li>
 *   <li>{@code socketdock.messages} [{@code socketdock_messages_total}] and {@code socketdock.message.bytes}
 *       [{@code socketdock_message_bytes_total}] by {@code direction} (in, out)</li>
 *   <li>{@code socketdock.backend.requests} timer by {@code event} and {@code outcome}
 *       [{@code socketdock_backend_requests_seconds} histogram, {@link #LATENCY_BUCKETS}, and its
 *       {@code _max}]</li>
 *   <li>{@code socketdock.backend.retries} and {@code socketdock.backend.failures} by {@code event}
 *       [{@code socketdock_backend_retries_total}, {@code socketdock_backend_failures_total}]</li>
 *   <li>{@code socketdock.send.answers} by {@code status} [{@code socketdock_send_answers_total}]</li>
 *   <li>{@code socketdock.buffered.bytes} gauge: the byte budget in use [{@code socketdock_buffered_bytes}]</li>
 * </ul>
 * Meters with a small fixed set of tags are made up front, so that their zeros are scraped before
 * the first event. The others are made once each on first use: a latency histogram only for an
 * event and outcome that happened (15 made up front would be 15 histograms of idle zeros), close
 * codes and statuses from a small set: the close codes a client or backend may choose freely
 * (3000-4999) count as {@code 3xxx} and {@code 4xxx}, so nobody can make a series per code.
 * {@link #close()} removes every meter again, so a registry outlives the relay without holding on
 * to it; no meter is made after it.
 */
final class MicrometerMetrics implements Metrics {

    static final String[] EVENTS = {"connect", "message", "disconnect"};

    /**
     * The upper bounds of the backend latency histogram's buckets (+Inf is added by the registry).
     * 5 ms: below it a backend round trip is the relay's own cost on a LAN (the bench's p99 with
     * a trivial backend is under 4 ms); 1-2.5-5 steps up to the defaults of the http backend:
     * 5 s is the default connect timeout and 30 s the default request timeout, so every answer
     * that the default timeout lets through lands in a finite bucket.
     */
    static final List<Duration> LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000).map(Duration::ofMillis).toList();

    private final MeterRegistry registry;
    private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
    /** Set by {@link #close()}, under this object's lock: no new meter is registered after it. */
    private boolean closedDown;
    private final Counter opened;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Map<String, Map<BackendOutcome, Timer>> requests = new HashMap<>();
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
            requests.put(event, new ConcurrentHashMap<>());
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

    /** Registers a meter made on first use, or none (null) once the relay has stopped. */
    private synchronized <M extends Meter> M lazily(Supplier<M> register) {
        return closedDown ? null : kept(register.get());
    }

    private Timer timer(String event, BackendOutcome outcome) {
        return Timer.builder("socketdock.backend.requests")
                .description("HTTP requests to the backend, from sending to the end of the answer")
                .tag("event", event).tag("outcome", outcome.tag())
                .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
                .register(registry);
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
        increment(closed.computeIfAbsent(codeTag(code), tag -> lazily(() -> counter("socketdock.connections.closed",
                "WebSocket connections closed, by close code", "code", tag))));
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
        if (byOutcome == null) {
            return;
        }
        Timer t = byOutcome.computeIfAbsent(outcome, o -> lazily(() -> timer(event, o)));
        if (t != null) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void backendRetry(String event) {
        increment(retries.get(event));
    }

    @Override
    public void backendFailure(String event) {
        increment(failures.get(event));
    }

    @Override
    public void sendAnswered(int status) {
        // statuses are the relay's own answers (a handful), or "failed" when none could be sent
        String tag = status > 0 ? Integer.toString(status) : "failed";
        increment(sendAnswers.computeIfAbsent(tag, t -> lazily(() -> counter("socketdock.send.answers",
                "Answers to /socket/{id}/send, by HTTP status", "status", t))));
    }

    private static void increment(Counter c) {
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public synchronized void close() {
        closedDown = true;
        for (Meter m; (m = registered.poll()) != null; ) {
            registry.remove(m);
        }
    }
}
