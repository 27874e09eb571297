package io.github.socketdock.micrometer;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.SocketDockListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Records what a SocketDock does as Micrometer meters: add it to the builder, and scrape the
 * registry as usual.
 *
 * <pre>{@code
 * PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * SocketDockMeters meters = new SocketDockMeters(prometheus);
 * SocketDock dock = SocketDock.builder()
 *         .backend(backend)
 *         .listener(meters)
 *         .metricsPage("text/plain; version=0.0.4; charset=utf-8", prometheus::scrape)
 *         .build()
 *         .start();
 * // …
 * dock.close();
 * meters.close(); // its meters leave the registry
 * }</pre>
 *
 * <p>The meters (Prometheus names in brackets; each is in the README's metrics table):
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
 *   <li>{@code socketdock.buffered.bytes} gauge: the byte budget in use, as last reported
 *       [{@code socketdock_buffered_bytes}]</li>
 * </ul>
 * Meters with a small fixed set of tags are made up front, so that their zeros are scraped before
 * the first event. The others are made once each on first use: a latency histogram only for an
 * event and outcome that happened (15 made up front would be 15 histograms of idle zeros), close
 * codes and statuses from a small set: the close codes a client or backend may choose freely
 * (3000-4999) count as {@code 3xxx} and {@code 4xxx}, so nobody can make a series per code.
 *
 * <p>One instance may hear several SocketDocks: its meters then add theirs up (the buffered-bytes
 * gauge shows the last level reported by any of them). {@link #close()} removes every meter from
 * the registry, so a registry outlives the relay without holding on to it; no meter is made after
 * it. Thread-safe, as a listener must be.
 */
public final class SocketDockMeters implements SocketDockListener, AutoCloseable {

    /**
     * The upper bounds of the backend latency histogram's buckets (+Inf is added by the registry).
     * 5 ms: below it a backend round trip is the relay's own cost on a LAN (the bench's p99 with
     * a trivial backend is under 4 ms); 1-2.5-5 steps up to the defaults of the http backend:
     * 5 s is the default connect timeout and 30 s the default request timeout, so every answer
     * that the default timeout lets through lands in a finite bucket.
     */
    public static final List<Duration> LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500,
            5_000, 10_000, 30_000).map(Duration::ofMillis).toList();

    private final MeterRegistry registry;
    private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
    /** Set by {@link #close()}, under this object's lock: no new meter is registered after it. */
    private boolean closedDown;
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong buffered = new AtomicLong();
    private final Counter opened;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Map<BackendEvent, Map<BackendOutcome, Timer>> requests = new EnumMap<>(BackendEvent.class);
    private final Map<BackendEvent, Counter> retries = new EnumMap<>(BackendEvent.class);
    private final Map<BackendEvent, Counter> failures = new EnumMap<>(BackendEvent.class);
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, Counter> sendAnswers = new ConcurrentHashMap<>();

    /**
     * Registers the meters made up front in {@code registry}.
     *
     * @param registry where the meters go
     */
    public SocketDockMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        kept(Gauge.builder("socketdock.connections.active", active, AtomicLong::get)
                .description("Open WebSocket connections").register(registry));
        kept(Gauge.builder("socketdock.buffered.bytes", buffered, AtomicLong::get)
                .description("Bytes held under the relay's byte budget").baseUnit("bytes").register(registry));
        opened = kept(Counter.builder("socketdock.connections.opened").description("WebSocket connections opened")
                .register(registry));
        messagesIn = counter("socketdock.messages", "WebSocket messages relayed", "direction", "in");
        messagesOut = counter("socketdock.messages", "WebSocket messages relayed", "direction", "out");
        bytesIn = counter("socketdock.message.bytes", "Payload bytes of the messages relayed", "direction", "in");
        bytesOut = counter("socketdock.message.bytes", "Payload bytes of the messages relayed", "direction", "out");
        for (BackendEvent event : BackendEvent.values()) {
            requests.put(event, new ConcurrentHashMap<>());
            retries.put(event, counter("socketdock.backend.retries", "Backend requests retried", "event", event.tag()));
            failures.put(event, counter("socketdock.backend.failures",
                    "Events not delivered, or delivered without an answer, after their retries", "event", event.tag()));
        }
    }

    private <M extends Meter> M kept(M meter) {
        registered.add(meter);
        return meter;
    }

    private Counter counter(String name, String description, String tag, String value) {
        return kept(Counter.builder(name).description(description).tag(tag, value).register(registry));
    }

    /** Registers a meter made on first use, or none (null) once closed. */
    private synchronized <M extends Meter> M lazily(Supplier<M> register) {
        return closedDown ? null : kept(register.get());
    }

    private Timer timer(BackendEvent event, BackendOutcome outcome) {
        return Timer.builder("socketdock.backend.requests")
                .description("HTTP requests to the backend, from sending to the end of the answer")
                .tag("event", event.tag()).tag("outcome", outcome.tag())
                .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
                .register(registry);
    }

    /**
     * The {@code code} tag of a close code.
     *
     * @param code a close code
     * @return the codes of RFC 6455 as they are ({@code 1000}…{@code 1015}), the freely chosen
     *         ones by range ({@code 3xxx}, {@code 4xxx}), anything else {@code other}
     */
    public static String codeTag(int code) {
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        if (code >= 4000 && code <= 4999) {
            return "4xxx";
        }
        return code >= 1000 && code <= 1015 ? Integer.toString(code) : "other";
    }

    @Override
    public void connectionOpened(Connection connection) {
        active.incrementAndGet();
        opened.increment();
    }

    @Override
    public void connectionClosed(Connection connection, CloseStatus status) {
        active.decrementAndGet();
        increment(closed.computeIfAbsent(codeTag(status.code()), tag -> lazily(() -> counter(
                "socketdock.connections.closed", "WebSocket connections closed, by close code", "code", tag))));
    }

    @Override
    public void messageIn(Connection connection, long bytes) {
        messagesIn.increment();
        bytesIn.increment(bytes);
    }

    @Override
    public void messageOut(Connection connection, long bytes) {
        messagesOut.increment();
        bytesOut.increment(bytes);
    }

    @Override
    public void backendCall(BackendCall call) {
        Timer t = requests.get(call.event()).computeIfAbsent(call.outcome(), o -> lazily(() -> timer(call.event(), o)));
        if (t != null) {
            t.record(call.duration());
        }
        if (call.attempt() > 1) {
            increment(retries.get(call.event()));
        }
    }

    @Override
    public void backendGaveUp(String connectionId, BackendEvent event, GiveUpReason reason) {
        increment(failures.get(event));
    }

    @Override
    public void sendAnswered(String connectionId, int status) {
        // statuses are the relay's own answers (a handful), or "failed" when none could be sent
        String tag = status > 0 ? Integer.toString(status) : "failed";
        increment(sendAnswers.computeIfAbsent(tag, t -> lazily(() -> counter("socketdock.send.answers",
                "Answers to /socket/{id}/send, by HTTP status", "status", t))));
    }

    @Override
    public void budgetLevel(long usedBytes, long limitBytes) {
        buffered.set(usedBytes);
    }

    private static void increment(Counter c) {
        if (c != null) {
            c.increment();
        }
    }

    /** Removes every meter this listener made from the registry; none is made after. */
    @Override
    public synchronized void close() {
        closedDown = true;
        for (Meter m; (m = registered.poll()) != null; ) {
            registry.remove(m);
        }
    }
}
